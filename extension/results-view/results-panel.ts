// The results webview panels (one per experiment) beside the editor: fetch results and history, stream progress, export files, open
// comparisons.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
    GetHistoryRequest,
    GetResultsRequest,
    ResultsStateNotification,
    ServerCommands,
    type ExperimentRef,
    type GetResultsResponse,
    type ResultsStateParams,
    type RunRef,
} from '../../language-server/protocol.js';
import type { TrainingMonitor } from '../training-monitor.js';
import { runKey } from '../../engine/view.js';
import { fileLabel } from '../uris.js';
import type { FromWebviewMessage, ResultsViewState, ToWebviewMessage } from './messages.js';
import { pngBytes, saveBesideSpec } from './save-file.js';
import { WebviewPanelHost, registerPanelRestorer } from './webview-panel.js';
import { weightsFile } from './weights-export.js';

/** Opens the compare view on run B compared with run A. */
type CompareRuns = (a: RunRef, b: RunRef) => Promise<void>;

/** The webview type: also the `onWebviewPanel:` activation event that restores the view after a reload. */
const RESULTS_VIEW_TYPE = 'emn.results';

function isResultsViewState(value: unknown): value is ResultsViewState {
    const v = value as Partial<ResultsViewState> | undefined;
    return typeof v?.uri === 'string' && typeof v.experiment === 'string';
}

export class ResultsPanels implements vscode.Disposable {
    private readonly panels = new Map<string, ResultsPanel>();
    private readonly disposables: vscode.Disposable[] = [];

    constructor(
        private readonly extensionUri: vscode.Uri,
        private readonly client: () => LanguageClient | undefined,
        private readonly monitor: TrainingMonitor,
        private readonly log: vscode.LogOutputChannel,
        private readonly compare: CompareRuns,
    ) {
        this.disposables.push(
            monitor.onDidStart(ref => this.panels.get(runKey(ref.uri, ref.experiment))?.post({ type: 'trainingStarted' })),
            monitor.onDidProgress(p => this.panels.get(runKey(p.uri, p.experiment))?.post({ type: 'progress', progress: p.progress })),
            monitor.onDidFinish(p => {
                const panel = this.panels.get(runKey(p.uri, p.experiment));
                panel?.post({ type: 'trainingFinished', outcome: p.outcome, message: p.message });
                // a new run: show it (and the history with it), not an older one the user had selected
                panel?.showRun(undefined);
            }),
        );
    }

    /** Follows the server's results state (stale / fresh, results appearing) for every open view. */
    attach(client: LanguageClient): void {
        this.disposables.push(
            client.onNotification(ResultsStateNotification, params => this.followState(params)),
            // a restarted server (after a crash): every open view asks it again
            client.onDidChangeState(e => {
                if (e.newState === State.Running && e.oldState !== State.Running)
                    for (const panel of this.panels.values()) void panel.refresh();
            }),
        );
    }

    /** Restores the views that were open before a reload (VS Code keeps the webview state the page stored). */
    registerSerializer(): vscode.Disposable {
        return registerPanelRestorer(RESULTS_VIEW_TYPE, isResultsViewState, (webviewPanel, state) => {
            this.adopt({ uri: state.uri, experiment: state.experiment }, webviewPanel);
            return true;
        });
    }

    show(ref: ExperimentRef): void {
        const existing = this.panels.get(runKey(ref.uri, ref.experiment));
        if (existing) {
            existing.reveal();
            void existing.refresh();
            return;
        }
        this.adopt(ref);
    }

    private adopt(ref: ExperimentRef, restored?: vscode.WebviewPanel): void {
        const key = runKey(ref.uri, ref.experiment);
        this.panels.get(key)?.dispose();
        const panel = new ResultsPanel(
            ref,
            this.extensionUri,
            this.client,
            this.monitor,
            this.log,
            this.compare,
            () => this.panels.delete(key),
            restored,
        );
        this.panels.set(key, panel);
    }

    private followState(params: ResultsStateParams): void {
        const uri = vscode.Uri.parse(params.uri).toString();
        for (const state of params.experiments) {
            this.panels.get(runKey(uri, state.experiment))?.followState(state.hasResult, state.stale);
        }
    }

    dispose(): void {
        for (const panel of [...this.panels.values()]) panel.dispose();
        for (const d of this.disposables) d.dispose();
    }
}

class ResultsPanel {
    private readonly host: WebviewPanelHost<ToWebviewMessage>;
    private last?: GetResultsResponse;
    /** The kept run the view shows (selected in its history); undefined: the latest result. */
    private run?: number;
    /** Counts refreshes, so that an answer overtaken by a later refresh (Show, then a run finishing) is dropped. */
    private refreshes = 0;

    constructor(
        private readonly ref: ExperimentRef,
        extensionUri: vscode.Uri,
        private readonly client: () => LanguageClient | undefined,
        private readonly monitor: TrainingMonitor,
        private readonly log: vscode.LogOutputChannel,
        private readonly compare: CompareRuns,
        onDispose: () => void,
        restored?: vscode.WebviewPanel,
    ) {
        const page = {
            viewType: RESULTS_VIEW_TYPE,
            bundle: 'results-view',
            logTag: 'results',
            pageName: 'results view',
            extensionUri,
            log,
            onReady: () => this.refresh(),
            onMessage: (msg: FromWebviewMessage) => this.handle(msg),
            onDispose,
        };
        this.host = new WebviewPanelHost(
            page,
            `Results: ${ref.experiment}`,
            restored ? { restored } : { column: vscode.ViewColumn.Beside },
        );
    }

    reveal(): void {
        this.host.panel.reveal(vscode.ViewColumn.Beside, true);
    }

    /** The lens's state, live: a changed staleness updates the badge; results that appeared (or went) are fetched. */
    followState(hasResult: boolean, stale: boolean): void {
        // the state is the latest result's; an older run on show keeps its own
        if (this.run !== undefined) return;
        if (!this.last || hasResult !== (this.last.result !== undefined)) {
            void this.refresh();
            return;
        }
        if (this.last.stale === stale) return;
        this.last = { ...this.last, stale };
        this.post({ type: 'staleness', stale });
    }

    post(message: ToWebviewMessage): void {
        this.host.post(message);
    }

    /** Shows a kept run (undefined: the latest result) with the history. */
    showRun(run: number | undefined): void {
        this.run = run;
        void this.refresh();
    }

    async refresh(): Promise<void> {
        if (!this.host.isReady) return;
        const client = this.client();
        if (!client) {
            this.post({ type: 'error', message: 'The EMN language server is not running.' });
            return;
        }
        try {
            const run = this.run;
            const refresh = ++this.refreshes;
            const [response, history] = await Promise.all([
                client.sendRequest(GetResultsRequest, { ...this.ref, ...(run !== undefined ? { run } : {}) }),
                client.sendRequest(GetHistoryRequest, this.ref),
            ]);
            if (refresh !== this.refreshes) return;
            this.last = response;
            this.post({
                type: 'results',
                uri: this.ref.uri,
                experiment: this.ref.experiment,
                response,
                history,
                ...(run !== undefined ? { run } : {}),
                training: this.monitor.isRunning(this.ref.uri, this.ref.experiment),
                trusted: vscode.workspace.isTrusted,
            });
        } catch (err) {
            this.log.error(`[results] ${this.ref.experiment}: emn/getResults failed: ${String(err)}`);
            this.post({ type: 'error', message: `Could not load the results: ${String(err)}` });
        }
    }

    private async handle(msg: FromWebviewMessage): Promise<void> {
        switch (msg.type) {
            case 'train':
                await runCommand(this.log, ServerCommands.train, this.ref.uri, this.ref.experiment);
                break;
            case 'cancel':
                await runCommand(this.log, ServerCommands.cancel, this.ref.uri, this.ref.experiment);
                break;
            case 'showRun':
                this.showRun(msg.run);
                break;
            case 'compare':
                await this.compare({ ...this.ref, run: msg.a }, { ...this.ref, run: msg.b });
                break;
            case 'exportPng':
                await this.save(`${this.ref.experiment}-${msg.name}.png`, { 'PNG image': ['png'] }, pngBytes(msg.dataUrl));
                break;
            case 'exportWeights': {
                const result = this.last?.result;
                if (!result) return;
                const suffix = msg.point !== undefined && result.runs ? `-point${msg.point}` : '';
                const filters: Record<string, string[]> = msg.format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] };
                await this.save(
                    `${this.ref.experiment}${suffix}-weights.${msg.format}`,
                    filters,
                    Buffer.from(weightsFile(result, msg.format, msg.point), 'utf8'),
                );
                break;
            }
            default:
                // ready and log: the host's
                break;
        }
    }

    private async save(fileName: string, filters: Record<string, string[]>, content: Uint8Array): Promise<void> {
        const target = await saveBesideSpec(this.ref.uri, fileName, filters, content);
        if (target) this.log.info(`[results] ${this.ref.experiment} (${fileLabel(this.ref.uri)}): exported ${target.fsPath}`);
    }

    dispose(): void {
        this.host.dispose();
    }
}

async function runCommand(log: vscode.LogOutputChannel, command: string, ...args: unknown[]): Promise<void> {
    try {
        await vscode.commands.executeCommand(command, ...args);
    } catch (err) {
        log.error(`[results] ${command} failed: ${String(err)}`);
    }
}
