// The typed protocol between the EMN language server and the VS Code extension: command ids and custom messages.
// Imports only types and vscode-languageserver-protocol's message types, so both sides can share it.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ExperimentPlan, ExperimentResult, RunComparison, TrainingProgress } from '../engine/view.js';
// Both sides pass these objects to their connection directly: one vscode-jsonrpc is installed (protocol pinned to 3.18.4),
// so the message types are the same class for vscode-languageserver and vscode-languageclient.

/**
 * Commands the SERVER executes (listed in its executeCommandProvider; the language client
 * registers them in VS Code itself, so the extension must never register these ids).
 */
export const ServerCommands = {
    /** args: [uri: string, experiment: string] */
    train: 'emn.server.train',
    /** args: [uri: string] */
    trainAll: 'emn.server.trainAll',
    /** args: [uri: string, experiment?: string] (no experiment: cancel every run of the file, Slurm arrays by scancel) */
    cancel: 'emn.server.cancel',
    /** args: [uri: string, experiment: string]: the sweep as a Slurm job array (points without a result) */
    trainOnSlurm: 'emn.server.trainOnSlurm',
} as const;

/** Commands the EXTENSION owns (palette, CodeLens links to views). */
export const ClientCommands = {
    trainExperiment: 'emn.trainExperiment',
    trainAllInFile: 'emn.trainAllInFile',
    cancelTraining: 'emn.cancelTraining',
    /** args: [uri: string, experiment: string] */
    showResults: 'emn.showResults',
    /** args: [uri: string, experiment: string] */
    showPlan: 'emn.showPlan',
    openExample: 'emn.openExample',
    /** args: [uri: string, experiment: string]: a quick pick of runs to compare the experiment's latest result with */
    compareWith: 'emn.compareWith',
} as const;

/** VS Code's own command that shows the Problems view (the lens "fix the error to train" opens it). */
export const OPEN_PROBLEMS_COMMAND = 'workbench.actions.view.problems';

/** The client-side commands the VS Code extension runs; it names them in initializationOptions.clientCommands. */
export const VSCODE_CLIENT_COMMANDS: string[] = [...Object.values(ClientCommands), OPEN_PROBLEMS_COMMAND];

export interface ExperimentRef {
    uri: string;
    experiment: string;
}

/** Server → client: training progress, at most a few per second per run. */
export interface TrainingProgressParams extends ExperimentRef {
    progress: TrainingProgress;
}
export const TrainingProgressNotification = new NotificationType<TrainingProgressParams>('emn/trainingProgress');

/** Server → client: a run started (the client shows progress with a Cancel button). */
export const TrainingStartedNotification = new NotificationType<ExperimentRef>('emn/trainingStarted');

/** Server → client: a run ended. `result` is set when it produced results (also for diverged or cancelled runs). */
export interface TrainingFinishedParams extends ExperimentRef {
    outcome: 'completed' | 'diverged' | 'cancelled' | 'failed';
    /** Human-readable reason for diverged / cancelled / failed. */
    message?: string;
    result?: ExperimentResult;
}
export const TrainingFinishedNotification = new NotificationType<TrainingFinishedParams>('emn/trainingFinished');

/** A run of an experiment: a run of its history (`run`), or without `run` its latest result (what the lens shows). */
export interface RunRef extends ExperimentRef {
    run?: number;
}

/** Client → server: the last stored results of an experiment (for the results view), or one run of its history. */
export interface GetResultsResponse {
    result?: ExperimentResult;
    /** True when the spec changed since these results were made. */
    stale: boolean;
    /** Set when the stored file could not be read (corrupt, foreign). */
    warning?: string;
}
export const GetResultsRequest = new RequestType<RunRef, GetResultsResponse, void>('emn/getResults');

/** One kept run of an experiment, as the results view's history lists it. */
export interface HistoryRun {
    run: number;
    finishedAt: string;
    backend: string;
    stopped: string;
    /** The headline metric as the lens says it: "MSE 2.1e-9", "MSE 2.1e-9 (median of 10; 8/10 < 1e-6)", a sweep's best and worst. */
    headline: string;
    /** What changed from the kept run before, in the spec's words ("lr 0.05 -> 0.02"); empty for the oldest kept run. */
    changes: string[];
}
export interface GetHistoryResponse {
    /** Newest first. */
    runs: HistoryRun[];
    /**
     * The kept run the experiment's result (what the lens shows) came from: the newest run, unless that one failed (a
     * failed run never replaces the last good result); absent when the result is of no kept run.
     */
    resultRun?: number;
    /** Run files that could not be read. */
    warnings: string[];
}
/** Client → server: the kept runs of an experiment (results/run-history.ts). */
export const GetHistoryRequest = new RequestType<ExperimentRef, GetHistoryResponse, void>('emn/getHistory');

/** A run "Compare with…" offers: an earlier run of the same experiment, or another experiment's latest result. */
export interface CompareCandidate {
    ref: RunRef;
    group: 'earlier runs' | 'other experiments';
    label: string;
    description: string;
}
/** Client → server: what an experiment's latest result can be compared with, in the workspace's specs. */
export const CompareCandidatesRequest = new RequestType<ExperimentRef, { candidates: CompareCandidate[] }, void>('emn/compareCandidates');

/** Client → server: compare run B with run A (differences are B - A), by results/compare-runs.ts. */
export interface CompareRunsParams {
    a: RunRef;
    b: RunRef;
}
export interface CompareRunsResponse {
    comparison?: RunComparison;
    /** Why there is no comparison (a side has no result, a run is not kept). */
    error?: string;
}
export const CompareRunsRequest = new RequestType<CompareRunsParams, CompareRunsResponse, void>('emn/compareRuns');

/** Client → server: the compiled plan of an experiment (layers, shapes, densities, parameter count), as JSON data. */
export interface GetPlanResponse {
    plan?: ExperimentPlan;
    error?: string;
}
export const GetPlanRequest = new RequestType<ExperimentRef, GetPlanResponse, void>('emn/getPlan');

/** Client → server: the experiment whose declaration contains a position (for palette commands). */
export interface ExperimentAtParams {
    uri: string;
    line: number;
    character: number;
}
export const ExperimentAtRequest = new RequestType<ExperimentAtParams, { experiment?: string; all: string[] }, void>('emn/experimentAt');

/**
 * What emn.server.train / trainAll / cancel reply. Train replies as soon as the run is queued
 * or started (not when it ends: emn/trainingFinished says that), so the request never blocks.
 */
export interface TrainCommandResult {
    /** Experiments queued or started (train, trainAll) or cancelled (cancel) by this command. */
    experiments: string[];
    /** Why nothing, or not everything, happened: untrusted workspace, already training, unknown experiment, spec errors. */
    message?: string;
    /** What `message` is about, for a client to branch on (never on the message's text); Train all: spec-errors if any. */
    reason?: RefusalReason;
}

/** Why a train, Train on Slurm or cancel command did not (all) happen. */
export type RefusalReason =
    | 'untrusted'
    | 'busy'
    | 'spec-errors'
    | 'not-a-file'
    | 'no-plan'
    | 'too-big'
    | 'unknown-experiment'
    | 'not-training'
    | 'bad-arguments'
    | 'unsaved'
    | 'slurm-refused';

/** A refusal: its reason and the sentence a person reads. */
export interface Refusal {
    reason: RefusalReason;
    message: string;
}

/** Backends a user can choose (`emn.training.backend`). */
export type BackendSetting = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/**
 * initializationOptions the server reads. The VS Code client sends `trusted`; other editors
 * (and the protocol tests) may also set the backend and results folder here, which the
 * `emn.training.backend` / `emn.results.folder` settings override when the client has them.
 */
export interface EmnInitializationOptions {
    /** false in an untrusted workspace: training is refused with a message. Default true. */
    trusted?: boolean;
    backend?: BackendSetting;
    /** Results folder relative to the spec's folder; default `.emn-results`. */
    resultsFolder?: string;
    /**
     * The client-side commands this client can run (VSCODE_CLIENT_COMMANDS for the VS Code extension). Lenses and
     * hovers offer only these besides the server's own: another editor gets Train, Cancel and the info lenses.
     */
    clientCommands?: string[];
}

/** Client → server: the workspace became trusted (VS Code can grant trust without restarting the server). */
export const TrustChangedNotification = new NotificationType<{ trusted: boolean }>('emn/trustChanged');

/** One experiment's results state, as the CodeLens shows it. */
export interface ResultsState {
    experiment: string;
    /** True when stored results exist. */
    hasResult: boolean;
    /** True when the spec (as edited, saved or not) differs from what the stored results were trained on. */
    stale: boolean;
}
/**
 * Server → client: the results state of a spec's experiments, sent after each validation of the document when it
 * changed (an edit makes results stale, an undo makes them fresh again) and after each run, so that an open
 * results view follows the same state as the lens, live.
 */
export interface ResultsStateParams {
    uri: string;
    experiments: ResultsState[];
}
export const ResultsStateNotification = new NotificationType<ResultsStateParams>('emn/resultsState');
