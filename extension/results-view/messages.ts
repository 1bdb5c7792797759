// The typed messages between the results and compare webviews and the extension (imported by both sides; types only at run time).
import type {
    CompareRunsResponse,
    GetHistoryResponse,
    GetResultsResponse,
    RunRef,
    TrainingFinishedParams,
} from '../../language-server/protocol.js';
import type { TrainingProgress } from '../../engine/view.js';

/** Extension → webview. */
export type ToWebviewMessage =
    /** `run`: the kept run shown (selected in the history); absent: the experiment's latest result. */
    | {
          type: 'results';
          uri: string;
          experiment: string;
          response: GetResultsResponse;
          history: GetHistoryResponse;
          run?: number;
          training: boolean;
          trusted: boolean;
      }
    | { type: 'trainingStarted' }
    /** The spec was edited (stale) or edited back / retrained (fresh): the same state the CodeLens shows. */
    | { type: 'staleness'; stale: boolean }
    | { type: 'progress'; progress: TrainingProgress }
    | { type: 'trainingFinished'; outcome: TrainingFinishedParams['outcome']; message?: string }
    | { type: 'error'; message: string };

/** What the webview keeps with vscode.setState, so that the serializer reopens the same experiment after a reload. */
export interface ResultsViewState {
    uri: string;
    experiment: string;
}

/** What the compare view keeps with vscode.setState, so that the serializer compares the same runs after a reload. */
export interface CompareViewState {
    a: RunRef;
    b: RunRef;
}

export type WeightsFormat = 'json' | 'csv';

/** Webview → extension. */
export type FromWebviewMessage =
    /** The script has loaded and listens: the extension answers with `results` (the handshake). */
    | { type: 'ready' }
    /** A chart as a PNG data URL, to save through a dialog. */
    | { type: 'exportPng'; name: string; dataUrl: string }
    /** Save the weights of a run (sweep point index, or the experiment's own weights). */
    | { type: 'exportWeights'; format: WeightsFormat; point?: number }
    | { type: 'train' }
    | { type: 'cancel' }
    /** Show a kept run of the history (absent: the latest result again). */
    | { type: 'showRun'; run?: number }
    /** Open the compare view: kept run b compared with kept run a. */
    | { type: 'compare'; a: number; b: number }
    /** An error in the webview script, for the output channel. */
    | { type: 'log'; level: 'error' | 'info'; message: string };

const fromTypes = new Set(['ready', 'exportPng', 'exportWeights', 'train', 'cancel', 'showRun', 'compare', 'log']);

/** Messages come from a sandboxed page: check the shape before acting on one. */
export function isFromWebviewMessage(value: unknown): value is FromWebviewMessage {
    if (typeof value !== 'object' || value === null) return false;
    const m = value as Record<string, unknown>;
    if (typeof m.type !== 'string' || !fromTypes.has(m.type)) return false;
    switch (m.type) {
        case 'exportPng':
            return typeof m.name === 'string' && typeof m.dataUrl === 'string' && m.dataUrl.startsWith('data:image/png;base64,');
        case 'exportWeights':
            return (m.format === 'json' || m.format === 'csv') && (m.point === undefined || Number.isInteger(m.point));
        case 'showRun':
            return m.run === undefined || (Number.isInteger(m.run) && (m.run as number) > 0);
        case 'compare':
            return Number.isInteger(m.a) && Number.isInteger(m.b) && (m.a as number) > 0 && (m.b as number) > 0;
        case 'log':
            return typeof m.message === 'string';
        default:
            return true;
    }
}

/** Extension → compare webview (which answers with FromWebviewMessage: ready, exportPng, log). */
export type ToCompareMessage =
    /** B compared with A; the refs are what the view keeps to be compared again after a reload. */
    { type: 'comparison'; a: RunRef; b: RunRef; response: CompareRunsResponse } | { type: 'error'; message: string };
