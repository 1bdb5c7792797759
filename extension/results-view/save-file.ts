// Saves a file a view exports (a chart PNG, weights) where the user picks, proposing the spec's folder.
import * as vscode from 'vscode';

/** Asks where to save (default: beside the spec) and writes through the workspace file system; returns the file or undefined. */
export async function saveBesideSpec(
    specUri: string,
    fileName: string,
    filters: Record<string, string[]>,
    content: Uint8Array,
): Promise<vscode.Uri | undefined> {
    const spec = vscode.Uri.parse(specUri);
    // an untitled spec has no folder: fall back to the first workspace folder
    const folder = spec.scheme === 'file' ? vscode.Uri.joinPath(spec, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultUri = folder ? vscode.Uri.joinPath(folder, fileName) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri, filters, saveLabel: 'Export' });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, content);
    return target;
}

/** A PNG data URL from a view (already checked by isFromWebviewMessage) as bytes. */
export function pngBytes(dataUrl: string): Uint8Array {
    return Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
}
