// Tells the client to redraw what shows training (CodeLens, inlay hints, diagnostics) while runs go and after each ends.
import { URI } from 'langium';
import { ignore } from '../../../engine/view.js';
import { CodeLensRefreshRequest, type Connection, type InitializeParams } from 'vscode-languageserver';
import type { EmnServices } from '../../emn-module.js';

/** CodeLens refreshes while training: often enough to watch, rarely enough not to flicker. */
const LENS_REFRESH_INTERVAL_MS = 1000;

export class TrainingViewRefresher {
    protected readonly services: EmnServices;
    protected canRefreshLenses = false;
    protected canRefreshInlayHints = false;
    protected lensRefreshTimer?: NodeJS.Timeout;

    constructor(services: EmnServices) {
        this.services = services;
        services.shared.lsp.LanguageServer.onInitialize(params => this.initialize(params));
    }

    protected get connection(): Connection | undefined {
        return this.services.shared.lsp.Connection;
    }

    initialize(params: InitializeParams): void {
        this.canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
        this.canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    }

    /** After a run: CodeLens, inlay hints and diagnostics show the new state. */
    async refreshViews(uri: string): Promise<void> {
        this.refreshLenses();
        if (this.canRefreshInlayHints) this.connection?.languages.inlayHint.refresh().catch(ignore);
        await this.revalidate(uri);
    }

    refreshLenses(): void {
        if (this.canRefreshLenses) this.connection?.sendRequest(CodeLensRefreshRequest.type).catch(ignore);
    }

    startLensRefresh(): void {
        this.lensRefreshTimer ??= setInterval(() => this.refreshLenses(), LENS_REFRESH_INTERVAL_MS);
    }

    stopLensRefresh(): void {
        if (this.lensRefreshTimer) clearInterval(this.lensRefreshTimer);
        this.lensRefreshTimer = undefined;
    }

    /** Re-runs validation so the training diagnostics (a validation check) are re-published with the spec's own. */
    protected async revalidate(uri: string): Promise<void> {
        const shared = this.services.shared;
        await shared.workspace.WorkspaceLock.write(async token => {
            const document = shared.workspace.LangiumDocuments.getDocument(URI.parse(uri));
            if (document) await shared.workspace.DocumentBuilder.build([document], { validation: true }, token);
        }).catch(ignore);
    }
}
