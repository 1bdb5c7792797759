// The compare view beside the editor: asks the server to compare two runs (emn/compareRuns), hands the result to its webview, and compares
// again when a run of a "latest" side finishes.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompareRunsRequest, type CompareRunsResponse, type RunRef } from '../../language-server/protocol.js';
import { runKey } from '../../engine/view.js';
import type { TrainingMonitor } from '../training-monitor.js';
import { fileLabel } from '../uris.js';
import type { CompareViewState, FromWebviewMessage, ToCompareMessage } from './messages.js';
import { pngBytes, saveBesideSpec } from './save-file.js';
import { WebviewPanelHost, registerPanelRestorer, type PanelPlace } from './webview-panel.js';

/** The webview type: also the `onWebviewPanel:` activation event that restores the view after a reload. */
const COMPARE_VIEW_TYPE = 'emn.compare';

function isRunRef(value: unknown): value is RunRef {
    const v = value as Partial<RunRef> | undefined;
    return typeof v?.uri === 'string' && typeof v.experiment === 'string' && (v.run === undefined || typeof v.run === 'number');
}

function isCompareViewState(value: unknown): value is CompareViewState {
    const v = value as Partial<CompareViewState> | undefined;
    return isRunRef(v?.a) && isRunRef(v.b);
}

/** One compare view: a new comparison replaces the one shown (a view per pair would pile up tabs). */
export class CompareView implements vscode.Disposable {
    private host?: WebviewPanelHost<ToCompareMessage>;
    private shown?: { a: RunRef; b: RunRef; response: CompareRunsResponse };
    /** A view reopened after a reload: the runs it compared, compared again once its page is ready. */
    private restored?: CompareViewState;
    /** Counts requests, so that an answer overtaken by a later request is dropped. */
    private requests = 0;
    private readonly finished: vscode.Disposable;

    constructor(
        private readonly extensionUri: vscode.Uri,
        private readonly client: () => LanguageClient | undefined,
        monitor: TrainingMonitor,
        private readonly log: vscode.LogOutputChannel,
    ) {
        // a side without a run number is the experiment's latest result: a finished run of it may be a new one
        this.finished = monitor.onDidFinish(p => {
            const shown = this.shown;
            const latest = (r: RunRef) => r.run === undefined && runKey(r.uri, r.experiment) === runKey(p.uri, p.experiment);
            if (this.host && shown && (latest(shown.a) || latest(shown.b))) void this.compare(shown.a, shown.b, false);
        });
    }

    /** Reopens the compare view that was open before a reload (VS Code keeps the state the page stored). */
    registerSerializer(): vscode.Disposable {
        return registerPanelRestorer(COMPARE_VIEW_TYPE, isCompareViewState, (webviewPanel, state) => {
            // a view is open already: one compare view at a time
            if (this.host) return false;
            this.restored = state;
            this.host = this.open(webviewPanel.title, { restored: webviewPanel });
            return true;
        });
    }

    /** Compares run B with run A (differences B - A) and shows it; a side without a result is a warning, not a view. */
    async show(a: RunRef, b: RunRef): Promise<void> {
        await this.compare(a, b, true);
    }

    /** `reveal`: asked for by the user (open or bring forward the view); else a refresh of the open view, in place. */
    private async compare(a: RunRef, b: RunRef, reveal: boolean): Promise<void> {
        const client = this.client();
        if (!client) throw new Error('the EMN language server is not running');
        const request = ++this.requests;
        const response = await client.sendRequest(CompareRunsRequest, { a, b });
        if (request !== this.requests || (!reveal && !this.host)) return;
        if (!response.comparison) {
            if (reveal) void vscode.window.showWarningMessage(`EMN: cannot compare: ${response.error ?? 'no comparison'}`);
            else this.post({ type: 'error', message: `Cannot compare: ${response.error ?? 'no comparison'}` });
            return;
        }
        this.shown = { a, b, response };
        const title = `Compare: ${response.comparison.b.label} vs ${response.comparison.a.label}`;
        if (this.host) {
            this.host.panel.title = title;
            if (reveal) this.host.panel.reveal(this.host.panel.viewColumn, true);
        } else {
            // from the spec (lens, palette): beside it; from a results view (no text editor active): a tab beside that view
            this.host = this.open(title, { column: vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active });
        }
        this.post({ type: 'comparison', a, b, response });
        this.log.info(
            `[compare] ${response.comparison.b.label} with ${response.comparison.a.label} (${fileLabel(b.uri)})${reveal ? '' : ': a run finished'}`,
        );
    }

    /** A new or restored panel with its page; the comparison is posted once the page says it is ready. */
    private open(title: string, place: PanelPlace): WebviewPanelHost<ToCompareMessage> {
        const page = {
            viewType: COMPARE_VIEW_TYPE,
            bundle: 'compare-view',
            logTag: 'compare',
            pageName: 'compare view',
            extensionUri: this.extensionUri,
            log: this.log,
            onReady: () => this.pageReady(),
            onMessage: (msg: FromWebviewMessage) => this.handle(msg),
            onDispose: () => {
                this.host = undefined;
                this.shown = undefined;
                this.restored = undefined;
            },
        };
        return new WebviewPanelHost<ToCompareMessage>(page, title, place);
    }

    private post(message: ToCompareMessage): void {
        this.host?.post(message);
    }

    private pageReady(): void {
        if (this.shown) this.post({ type: 'comparison', a: this.shown.a, b: this.shown.b, response: this.shown.response });
        else if (this.restored) {
            const { a, b } = this.restored;
            this.restored = undefined;
            // the runs are compared anew: a latest side may have a newer run since
            void this.compare(a, b, false).catch((err: unknown) => this.post({ type: 'error', message: `Cannot compare: ${String(err)}` }));
        }
    }

    private async handle(msg: FromWebviewMessage): Promise<void> {
        switch (msg.type) {
            case 'exportPng': {
                const c = this.shown?.response.comparison;
                if (!c || !this.shown) return;
                const name = `${c.b.label}-vs-${c.a.label}-${msg.name}.png`.replace(/[^\w@.-]+/g, '-');
                const saved = await saveBesideSpec(this.shown.b.uri, name, { 'PNG image': ['png'] }, pngBytes(msg.dataUrl));
                if (saved) this.log.info(`[compare] exported ${saved.fsPath}`);
                break;
            }
            default:
                // the compare view sends no other messages; the results view's (train, export weights) do not apply here
                break;
        }
    }

    dispose(): void {
        this.finished.dispose();
        this.host?.dispose();
    }
}
