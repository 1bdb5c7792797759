// Reads the extension's settings (emn.*) and the workspace trust that the language server is started with.
import * as vscode from 'vscode';
import type { BackendSetting, EmnInitializationOptions } from '../language-server/protocol.js';

export function readInitializationOptions(): EmnInitializationOptions {
    const config = vscode.workspace.getConfiguration('emn');
    return {
        trusted: vscode.workspace.isTrusted,
        backend: config.get<BackendSetting>('training.backend', 'auto'),
        resultsFolder: config.get<string>('results.folder', '.emn-results'),
    };
}
