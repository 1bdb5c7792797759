// Reads the extension's settings (emn.*) and the workspace trust that the language server is started with.
import * as vscode from 'vscode';
import { VSCODE_CLIENT_COMMANDS, type BackendSetting, type EmnInitializationOptions } from '../language-server/protocol.js';

export function readInitializationOptions(): EmnInitializationOptions {
    const config = vscode.workspace.getConfiguration('emn');
    return {
        trusted: vscode.workspace.isTrusted,
        backend: config.get<BackendSetting>('training.backend', 'auto'),
        resultsFolder: config.get<string>('results.folder', '.emn-results'),
        // the lenses and hovers may offer these (another editor, naming none, gets the server's commands only)
        clientCommands: VSCODE_CLIENT_COMMANDS,
    };
}
