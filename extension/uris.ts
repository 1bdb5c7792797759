// Helpers that turn command arguments (string or Uri) and the active editor into .emn document URIs.
import * as vscode from 'vscode';

/** A command argument as a URI string, from a string (CodeLens / server args) or a vscode.Uri. */
export function uriString(arg: unknown): string | undefined {
    if (typeof arg === 'string') return arg;
    if (arg instanceof vscode.Uri) return arg.toString();
    return undefined;
}

/** The active editor when it shows an .emn document. */
export function activeEmnEditor(): vscode.TextEditor | undefined {
    const editor = vscode.window.activeTextEditor;
    return editor?.document.languageId === 'emn' ? editor : undefined;
}

/** A short name for a spec URI, for titles and log lines. */
export function fileLabel(uri: string): string {
    const parsed = vscode.Uri.parse(uri);
    return parsed.path.split('/').pop() ?? uri;
}
