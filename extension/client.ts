// Creates the LanguageClient that runs dist/language-server.cjs over IPC for .emn files.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClientCommands } from '../language-server/protocol.js';
import { readInitializationOptions } from './settings.js';

export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
    const serverModule = context.asAbsolutePath(path.join('dist', 'language-server.cjs'));
    const serverOptions: ServerOptions = {
        run: { module: serverModule, transport: TransportKind.ipc },
        debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ scheme: 'file', language: 'emn' }, { scheme: 'untitled', language: 'emn' }],
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
    };
    return new LanguageClient('emn', 'EMN Studio', serverOptions, clientOptions);
}
