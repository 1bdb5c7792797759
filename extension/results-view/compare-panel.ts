// The compare view beside the editor: asks the server to compare two runs (emn/compareRuns), hands the result to its webview, and compares again when a run of a "latest" side finishes.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompareRunsRequest, type CompareRunsResponse, type RunRef } from '../../language-server/protocol.js';
import { runKey } from '../../engine/view.js';
import type { TrainingMonitor } from '../training-monitor.js';
import { fileLabel } from '../uris.js';
import { renderResultsHtml } from './html.js';
import { isFromWebviewMessage, type CompareViewState, type FromWebviewMessage, type ToCompareMessage } from './messages.js';
import { pngBytes, saveBesideSpec } from './save-file.js';

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
    private panel?: vscode.WebviewPanel;
    private ready = false;
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
            if (this.panel && shown && (latest(shown.a) || latest(shown.b))) void this.compare(shown.a, shown.b, false);
        });
    }

    /** Reopens the compare view that was open before a reload (VS Code keeps the state the page stored). */
    registerSerializer(): vscode.Disposable {
        return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
            deserializeWebviewPanel: (webviewPanel, state: unknown) => {
                // nothing says what it compared (or a view is open already): close it rather than leave an empty one
                if (!isCompareViewState(state) || this.panel) {
                    webviewPanel.dispose();
                } else {
                    this.restored = state;
                    this.panel = this.attach(webviewPanel, webviewPanel.title);
                }
                return Promise.resolve();
            },
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
        if (request !== this.requests || (!reveal && !this.panel)) return;
        if (!response.comparison) {
            if (reveal) void vscode.window.showWarningMessage(`EMN: cannot compare: ${response.error ?? 'no comparison'}`);
            else this.post({ type: 'error', message: `Cannot compare: ${response.error ?? 'no comparison'}` });
            return;
        }
        this.shown = { a, b, response };
        const title = `Compare: ${response.comparison.b.label} vs ${response.comparison.a.label}`;
        if (this.panel) {
            this.panel.title = title;
            if (reveal) this.panel.reveal(this.panel.viewColumn, true);
        } else {
            this.panel = this.create(title);
        }
        this.post({ type: 'comparison', a, b, response });
        this.log.info(`[compare] ${response.comparison.b.label} with ${response.comparison.a.label} (${fileLabel(b.uri)})${reveal ? '' : ': a run finished'}`);
    }

    private create(title: string): vscode.WebviewPanel {
        // from the spec (lens, palette): beside it; from a results view (no text editor active): a tab beside that view
        const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
        const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, { viewColumn: column, preserveFocus: true },
            { enableScripts: true, localResourceRoots: [this.webviewRoot()] });
        return this.attach(panel, title);
    }

    private webviewRoot(): vscode.Uri {
        return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    }

    /** Wires a new or restored panel: its messages, its end, and the page with the ready handshake. */
    private attach(panel: vscode.WebviewPanel, title: string): vscode.WebviewPanel {
        const webviewRoot = this.webviewRoot();
        panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
        panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'images', 'icon.png');
        panel.webview.onDidReceiveMessage(msg => {
            if (isFromWebviewMessage(msg)) void this.handle(msg);
            else this.log.warn('[compare] ignored a malformed message from the compare view');
        });
        panel.onDidDispose(() => { this.panel = undefined; this.ready = false; this.shown = undefined; this.restored = undefined; });
        // when hidden the page is discarded; showing it again reloads it and repeats the handshake
        panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; });
        this.ready = false;
        panel.webview.html = renderResultsHtml(panel.webview, webviewRoot, title, 'compare-view');
        return panel;
    }

    private post(message: ToCompareMessage): void {
        if (this.ready && this.panel) void this.panel.webview.postMessage(message);
    }

    private async handle(msg: FromWebviewMessage): Promise<void> {
        switch (msg.type) {
            case 'ready':
                this.ready = true;
                if (this.shown) this.post({ type: 'comparison', a: this.shown.a, b: this.shown.b, response: this.shown.response });
                else if (this.restored) {
                    const { a, b } = this.restored;
                    this.restored = undefined;
                    // the runs are compared anew: a latest side may have a newer run since
                    void this.compare(a, b, false).catch((err: unknown) => this.post({ type: 'error', message: `Cannot compare: ${String(err)}` }));
                }
                break;
            case 'exportPng': {
                const c = this.shown?.response.comparison;
                if (!c || !this.shown) return;
                const name = `${c.b.label}-vs-${c.a.label}-${msg.name}.png`.replace(/[^\w@.-]+/g, '-');
                const saved = await saveBesideSpec(this.shown.b.uri, name, { 'PNG image': ['png'] }, pngBytes(msg.dataUrl));
                if (saved) this.log.info(`[compare] exported ${saved.fsPath}`);
                break;
            }
            case 'log':
                if (msg.level === 'error') this.log.error(`[compare view] ${msg.message}`);
                else this.log.info(`[compare view] ${msg.message}`);
                break;
            default:
                // the compare view sends no other messages; the results view's (train, export weights) do not apply here
                break;
        }
    }

    dispose(): void {
        this.finished.dispose();
        this.panel?.dispose();
    }
}
