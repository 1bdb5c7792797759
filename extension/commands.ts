// The palette commands (ClientCommands): train / cancel / results / plan / compare for the experiment at the cursor, examples.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
    ClientCommands,
    CompareCandidatesRequest,
    ExperimentAtRequest,
    ServerCommands,
    type ExperimentRef,
} from '../language-server/protocol.js';
import { openExample } from './examples.js';
import { PlanDocumentProvider } from './plan-document.js';
import type { CompareView } from './results-view/compare-panel.js';
import type { ResultsPanels } from './results-view/results-panel.js';
import type { TrainingMonitor } from './training-monitor.js';
import { activeEmnEditor, fileLabel, uriString } from './uris.js';
import { errorMessage } from '../engine/view.js';

export interface CommandContext {
    extensionUri: vscode.Uri;
    client: () => LanguageClient | undefined;
    monitor: TrainingMonitor;
    results: ResultsPanels;
    compare: CompareView;
    log: vscode.LogOutputChannel;
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
    const register = (id: string, handler: (...args: unknown[]) => Promise<void>) =>
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
            try {
                await handler(...args);
            } catch (err) {
                ctx.log.error(`[command] ${id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
                void vscode.window.showWarningMessage(`EMN: ${errorMessage(err)}`, 'Show log').then(choice => {
                    if (choice === 'Show log') ctx.log.show(true);
                });
            }
        });
    return [
        register(ClientCommands.trainExperiment, async (uri, name) => {
            if (!checkTrusted()) return;
            const ref = await experimentRef(ctx, uri, name, 'Train which experiment?');
            if (ref) await vscode.commands.executeCommand(ServerCommands.train, ref.uri, ref.experiment);
        }),
        register(ClientCommands.trainAllInFile, async uri => {
            if (!checkTrusted()) return;
            const target = uriString(uri) ?? activeEmnEditor()?.document.uri.toString();
            if (!target) return noEmnFile();
            await vscode.commands.executeCommand(ServerCommands.trainAll, target);
        }),
        register(ClientCommands.cancelTraining, async (uri, name) => {
            const explicit = uriString(uri);
            if (explicit) {
                await vscode.commands.executeCommand(ServerCommands.cancel, explicit, ...(typeof name === 'string' ? [name] : []));
                return;
            }
            const runs = ctx.monitor.activeRuns();
            if (runs.length === 0) {
                void vscode.window.showInformationMessage('No EMN training is running.');
                return;
            }
            const pick =
                runs.length === 1
                    ? runs[0]
                    : (
                          await vscode.window.showQuickPick(
                              runs.map(r => ({ label: r.experiment, description: fileLabel(r.uri), ref: r })),
                              { title: 'Cancel which run?' },
                          )
                      )?.ref;
            if (pick) await vscode.commands.executeCommand(ServerCommands.cancel, pick.uri, pick.experiment);
        }),
        register(ClientCommands.showResults, async (uri, name) => {
            const ref = await experimentRef(ctx, uri, name, 'Show the results of which experiment?');
            if (ref) ctx.results.show(ref);
        }),
        register(ClientCommands.showPlan, async (uri, name) => {
            const ref = await experimentRef(ctx, uri, name, 'Show the compiled graph of which experiment?');
            if (ref) await showPlan(ref);
        }),
        register(ClientCommands.compareWith, async (uri, name) => {
            const ref = await experimentRef(ctx, uri, name, 'Compare which experiment?');
            if (ref) await compareWith(ctx, ref);
        }),
        register(ClientCommands.openExample, () => openExample(ctx.extensionUri)),
    ];
}

/** The experiment a command acts on: its arguments (CodeLens), else the one at the cursor, else a quick pick. */
async function experimentRef(ctx: CommandContext, uriArg: unknown, nameArg: unknown, question: string): Promise<ExperimentRef | undefined> {
    const explicit = uriString(uriArg);
    if (explicit && typeof nameArg === 'string') return { uri: explicit, experiment: nameArg };
    const editor = activeEmnEditor();
    const uri = explicit ?? editor?.document.uri.toString();
    if (!uri) {
        noEmnFile();
        return undefined;
    }
    const client = ctx.client();
    if (!client) throw new Error('the EMN language server is not running');
    const position = editor && editor.document.uri.toString() === uri ? editor.selection.active : new vscode.Position(0, 0);
    const reply = await client.sendRequest(ExperimentAtRequest, { uri, line: position.line, character: position.character });
    if (reply.experiment) return { uri, experiment: reply.experiment };
    if (reply.all.length === 0) {
        void vscode.window.showInformationMessage(`${fileLabel(uri)} declares no experiment.`);
        return undefined;
    }
    const experiment = reply.all.length === 1 ? reply.all[0] : await vscode.window.showQuickPick(reply.all, { title: question });
    return experiment ? { uri, experiment } : undefined;
}

/** "Compare with…": a quick pick of this experiment's earlier runs and the other experiments' latest results; the latest result is B. */
async function compareWith(ctx: CommandContext, ref: ExperimentRef): Promise<void> {
    const client = ctx.client();
    if (!client) throw new Error('the EMN language server is not running');
    const { candidates } = await client.sendRequest(CompareCandidatesRequest, ref);
    if (candidates.length === 0) {
        void vscode.window.showInformationMessage(
            `Nothing to compare ${ref.experiment} with yet: train it again (its earlier runs are kept) or train another experiment.`,
        );
        return;
    }
    type Item = vscode.QuickPickItem & { candidate?: (typeof candidates)[number] };
    const items: Item[] = [];
    let group: string | undefined;
    for (const c of candidates) {
        if (c.group !== group) items.push({ label: c.group, kind: vscode.QuickPickItemKind.Separator });
        group = c.group;
        items.push({ label: c.label, description: c.description, candidate: c });
    }
    const pick = await vscode.window.showQuickPick(items, { title: `Compare ${ref.experiment} (latest) with…`, matchOnDescription: true });
    if (pick?.candidate) await ctx.compare.show(pick.candidate.ref, ref);
}

async function showPlan(ref: ExperimentRef): Promise<void> {
    const uri = PlanDocumentProvider.uriFor(ref);
    try {
        // the rendered table reads best; the markdown extension may be disabled, so fall back to the source
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
}

function checkTrusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
        .showWarningMessage(
            'Training is disabled in untrusted workspaces: a spec can make the editor run long computations and write files. Trust this folder to train.',
            'Manage Workspace Trust',
        )
        .then(choice => {
            if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
        });
    return false;
}

function noEmnFile(): undefined {
    void vscode.window.showInformationMessage('Open an .emn spec first.');
    return undefined;
}
