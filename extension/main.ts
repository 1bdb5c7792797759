// VS Code extension entry: starts the .emn language server and wires commands, training progress and the results view.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TrustChangedNotification } from '../language-server/protocol.js';
import { createLanguageClient } from './client.js';
import { registerCommands } from './commands.js';
import { PLAN_SCHEME, PlanDocumentProvider } from './plan-document.js';
import { CompareView } from './results-view/compare-panel.js';
import { ResultsPanels } from './results-view/results-panel.js';
import { TrainingMonitor } from './training-monitor.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = vscode.window.createOutputChannel('EMN Studio', { log: true });
    const monitor = new TrainingMonitor(log);
    const getClient = () => client;
    const compare = new CompareView(context.extensionUri, getClient, monitor, log);
    const results = new ResultsPanels(context.extensionUri, getClient, monitor, log, (a, b) => compare.show(a, b));
    const plans = new PlanDocumentProvider(getClient);
    context.subscriptions.push(
        log,
        monitor,
        results,
        compare,
        plans,
        results.registerSerializer(),
        compare.registerSerializer(),
        vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, plans),
        ...registerCommands({ extensionUri: context.extensionUri, client: getClient, monitor, results, compare, log }),
        // the server refuses to train until trusted; tell it when trust is granted instead of restarting it
        vscode.workspace.onDidGrantWorkspaceTrust(() => {
            if (client) void client.sendNotification(TrustChangedNotification, { trusted: true });
        }),
        // an open compiled-graph document follows edits of its spec
        vscode.workspace.onDidChangeTextDocument(e => {
            if (e.document.languageId !== 'emn') return;
            const spec = e.document.uri.toString();
            for (const doc of vscode.workspace.textDocuments) {
                if (doc.uri.scheme === PLAN_SCHEME && doc.uri.query === spec) plans.refresh(doc.uri);
            }
        }),
    );

    client = createLanguageClient(context, log);
    monitor.attach(client);
    results.attach(client);
    await client.start();
    log.info(
        `EMN Studio ${(context.extension.packageJSON as { version: string }).version} started (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: training disabled'})`,
    );
}

export async function deactivate(): Promise<void> {
    await client?.stop();
    client = undefined;
}
