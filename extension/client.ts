// Creates the LanguageClient that runs dist/language-server.cjs over IPC for .emn files.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClientCommands, ServerCommands, type TrainCommandResult } from '../language-server/protocol.js';
import { readInitializationOptions } from './settings.js';

export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
    const serverModule = context.asAbsolutePath(path.join('dist', 'language-server.cjs'));
    const serverOptions: ServerOptions = {
        run: { module: serverModule, transport: TransportKind.ipc },
        debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [
            { scheme: 'file', language: 'emn' },
            { scheme: 'untitled', language: 'emn' },
        ],
        // a function, so a restart (after trust is granted) sends the current values
        initializationOptions: () => readInitializationOptions(),
        synchronize: { configurationSection: 'emn' },
        // one "EMN Studio" channel for the server's log and our run log
        outputChannel: log,
        // hovers and result lenses may link to the results view; only our own commands are trusted
        markdown: {
            isTrusted: { enabledCommands: [ClientCommands.showResults, ClientCommands.showPlan, ClientCommands.trainExperiment] },
            supportHtml: true,
        },
        // the server says why a Train (lens or command) did nothing: show it rather than drop it
        middleware: {
            executeCommand: async (command, args, next) => {
                const result = (await next(command, args)) as TrainCommandResult | undefined;
                if (command === ServerCommands.train || command === ServerCommands.trainAll) showRefusal(result);
                return result;
            },
        },
    };
    return new LanguageClient('emn', 'EMN Studio', serverOptions, clientOptions);
}

/** "E1 cannot train: fix the errors in the spec first (...)", with a button to the Problems view when errors are the reason. */
function showRefusal(result: TrainCommandResult | undefined): void {
    if (!result?.message) return;
    const errors = result.reason === 'spec-errors';
    const show = errors ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    void show(`EMN: ${result.message}`, ...(errors ? ['Open Problems'] : [])).then(choice => {
        if (choice === 'Open Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
}
