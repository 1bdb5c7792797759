// The plumbing the results and compare panels share: a webview panel (new, or restored after a reload) showing a page from
// dist/webview only under a CSP with a nonce, its checked messages, the ready handshake, and the serializer that restores it.
import * as vscode from 'vscode';
import { errorMessage } from '../../engine/view.js';
import { renderResultsHtml } from './html.js';
import { isFromWebviewMessage, type FromWebviewMessage } from './messages.js';

/** What a panel says about itself; the host does the rest. */
export interface WebviewPageSpec {
    /** The webview type: also the `onWebviewPanel:` activation event that restores the view after a reload. */
    viewType: string;
    /** The script and stylesheet of the page in dist/webview (results-view, compare-view). */
    bundle: string;
    /** How the output channel names the panel ('results') and its page ('results view'). */
    logTag: string;
    pageName: string;
    extensionUri: vscode.Uri;
    log: vscode.LogOutputChannel;
    /** The page has loaded and listens (again after it was hidden and shown): posted messages reach it from now on. */
    onReady: () => void | Promise<void>;
    /** A message of the page, checked, other than `ready` and `log` (the host answers those). */
    onMessage: (msg: FromWebviewMessage) => void | Promise<void>;
    onDispose: () => void;
}

/** Where a panel comes from: created in a column, or handed back by VS Code's serializer after a reload. */
export type PanelPlace = { column: vscode.ViewColumn } | { restored: vscode.WebviewPanel };

/** One webview panel and its page: messages to the page are typed (`ToPage`) and sent only once it said it is ready. */
export class WebviewPanelHost<ToPage> {
    readonly panel: vscode.WebviewPanel;
    private ready = false;

    constructor(
        private readonly spec: WebviewPageSpec,
        title: string,
        place: PanelPlace,
    ) {
        const webviewRoot = vscode.Uri.joinPath(spec.extensionUri, 'dist', 'webview');
        // scripts for the page's own bundle; resources from dist/webview only
        const options: vscode.WebviewOptions = { enableScripts: true, localResourceRoots: [webviewRoot] };
        if ('restored' in place) {
            this.panel = place.restored;
            this.panel.title = title;
            this.panel.webview.options = options;
        } else {
            this.panel = vscode.window.createWebviewPanel(spec.viewType, title, { viewColumn: place.column, preserveFocus: true }, options);
        }
        this.panel.iconPath = vscode.Uri.joinPath(spec.extensionUri, 'images', 'icon.png');
        this.panel.webview.onDidReceiveMessage((msg: unknown) => this.receive(msg));
        this.panel.onDidDispose(() => {
            this.ready = false;
            spec.onDispose();
        });
        // when hidden the page is discarded (no retainContextWhenHidden); showing it again reloads it and repeats the handshake
        this.panel.onDidChangeViewState(() => {
            if (!this.panel.visible) this.ready = false;
        });
        this.panel.webview.html = renderResultsHtml(this.panel.webview, webviewRoot, title, spec.bundle);
    }

    /** Posts to the page once it is ready; before that the message is dropped (`onReady` sends what the page needs). */
    post(message: ToPage): void {
        if (this.ready) void this.panel.webview.postMessage(message);
    }

    get isReady(): boolean {
        return this.ready;
    }

    dispose(): void {
        this.panel.dispose();
    }

    private receive(msg: unknown): void {
        // messages come from a sandboxed page: only checked shapes are acted on
        if (!isFromWebviewMessage(msg)) {
            this.spec.log.warn(`[${this.spec.logTag}] ignored a malformed message from the ${this.spec.pageName}`);
            return;
        }
        const { log, logTag, pageName } = this.spec;
        if (msg.type === 'log') {
            if (msg.level === 'error') log.error(`[${pageName}] ${msg.message}`);
            else log.info(`[${pageName}] ${msg.message}`);
            return;
        }
        if (msg.type === 'ready') this.ready = true;
        const handled = msg.type === 'ready' ? this.spec.onReady() : this.spec.onMessage(msg);
        void Promise.resolve(handled).catch((err: unknown) => log.error(`[${logTag}] ${msg.type} failed: ${errorMessage(err)}`));
    }
}

/**
 * Restores the panels of `viewType` that were open before a reload, from the state their page kept with
 * vscode.setState. A state that is not one (`isState`), or a panel `restore` refuses, is closed rather than left empty.
 */
export function registerPanelRestorer<State>(
    viewType: string,
    isState: (state: unknown) => state is State,
    restore: (panel: vscode.WebviewPanel, state: State) => boolean,
): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: (panel, state: unknown) => {
            if (!isState(state) || !restore(panel, state)) panel.dispose();
            return Promise.resolve();
        },
    });
}
