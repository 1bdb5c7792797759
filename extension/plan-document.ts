// "Show compiled graph": a read-only markdown document (emn-plan: scheme) rendered from the server's emn/getPlan reply.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GetPlanRequest, type ExperimentRef } from '../language-server/protocol.js';
import { renderPlan } from '../engine/view.js';

export const PLAN_SCHEME = 'emn-plan';

export class PlanDocumentProvider implements vscode.TextDocumentContentProvider {
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;

    constructor(private readonly client: () => LanguageClient | undefined) {}

    /** emn-plan:/<experiment>.plan.md?<spec uri>: the path names the tab, the query says which spec. */
    static uriFor(ref: ExperimentRef): vscode.Uri {
        return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${ref.experiment}.plan.md`, query: ref.uri });
    }

    /** Re-renders an open plan (after the spec changed). */
    refresh(uri: vscode.Uri): void {
        this.changed.fire(uri);
    }

    async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
        const experiment = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.plan\.md$/, ''));
        const client = this.client();
        if (!client) return `# ${experiment}\n\nThe EMN language server is not running.\n`;
        const reply = await client.sendRequest(GetPlanRequest, { uri: uri.query, experiment }, token);
        if (reply.error || reply.plan === undefined)
            return `# ${experiment}\n\nNo compiled plan: ${reply.error ?? 'the experiment did not compile'}.\n`;
        return renderPlan(reply.plan);
    }

    dispose(): void {
        this.changed.dispose();
    }
}
