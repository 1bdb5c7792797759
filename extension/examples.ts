// "Open example": a quick pick over the bundled examples/*.emn; copies the pick into the workspace (or opens it untitled).
import * as vscode from 'vscode';

interface ExampleItem extends vscode.QuickPickItem {
    uri: vscode.Uri;
    fileName: string;
}

export async function openExample(extensionUri: vscode.Uri): Promise<void> {
    const folder = vscode.Uri.joinPath(extensionUri, 'examples');
    const items = await listExamples(folder);
    if (items.length === 0) {
        void vscode.window.showInformationMessage('No examples are bundled with this build of EMN Studio.');
        return;
    }
    const workspace = vscode.workspace.workspaceFolders?.[0];
    const pick = await vscode.window.showQuickPick(items, {
        title: 'Open an EMN example',
        placeHolder: workspace ? `Copies the example into ${workspace.name}` : 'Opens the example as an untitled file (no folder is open)',
        matchOnDescription: true,
        matchOnDetail: true,
    });
    if (!pick) return;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(pick.uri));
    if (!workspace) {
        // an untitled document can be edited and trained without touching the installed extension's files
        const doc = await vscode.workspace.openTextDocument({ language: 'emn', content: text });
        await vscode.window.showTextDocument(doc);
        return;
    }
    const target = vscode.Uri.joinPath(workspace.uri, pick.fileName);
    if (await exists(target)) {
        const choice = await vscode.window.showInformationMessage(
            `${pick.fileName} already exists in the workspace.`,
            'Open existing',
            'Replace',
        );
        if (!choice) return;
        if (choice === 'Replace') await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    } else {
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    }
    await copyImports(folder, workspace.uri, text);
    await copyMatrixFiles(folder, workspace.uri, text);
    await vscode.window.showTextDocument(target);
}

/** The examples an example imports (`import "paper.emn"`) come with it, unless the workspace has them already. */
async function copyImports(examples: vscode.Uri, workspace: vscode.Uri, text: string, copied = new Set<string>()): Promise<void> {
    for (const [, path] of text.matchAll(/^\s*import\s+"([^"/\\]+\.emn)"/gm)) {
        if (copied.has(path)) continue;
        copied.add(path);
        const source = vscode.Uri.joinPath(examples, path),
            target = vscode.Uri.joinPath(workspace, path);
        if ((await exists(target)) || !(await exists(source))) continue;
        const imported = await vscode.workspace.fs.readFile(source);
        await vscode.workspace.fs.writeFile(target, imported);
        await copyImports(examples, workspace, new TextDecoder().decode(imported), copied);
    }
}

/** The graphs an example reads (`matrix "graphs/karate.mtx"`) come with it, unless the workspace has them already. */
async function copyMatrixFiles(examples: vscode.Uri, workspace: vscode.Uri, text: string): Promise<void> {
    for (const [, path] of text.matchAll(/\bmatrix\s+"([\w./-]+\.mtx)"/g)) {
        if (path.split('/').includes('..')) continue;
        const source = vscode.Uri.joinPath(examples, path),
            target = vscode.Uri.joinPath(workspace, path);
        if ((await exists(target)) || !(await exists(source))) continue;
        await vscode.workspace.fs.writeFile(target, await vscode.workspace.fs.readFile(source));
    }
}

async function listExamples(folder: vscode.Uri): Promise<ExampleItem[]> {
    let entries: [string, vscode.FileType][];
    try {
        entries = await vscode.workspace.fs.readDirectory(folder);
    } catch {
        return [];
    }
    const files = entries
        .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.emn'))
        .map(([name]) => name)
        .sort();
    return Promise.all(
        files.map(async fileName => {
            const uri = vscode.Uri.joinPath(folder, fileName);
            const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
            return { label: fileName, description: firstComment(text), detail: experimentNames(text), uri, fileName };
        }),
    );
}

/** The first `//` line of a spec: by convention it says what the example shows. */
function firstComment(text: string): string | undefined {
    return /^\s*\/\/\s*(.+)$/m.exec(text)?.[1]?.trim();
}

function experimentNames(text: string): string | undefined {
    const names = [...text.matchAll(/^\s*experiment\s+([_a-zA-Z]\w*)/gm)].map(m => m[1]);
    return names.length ? `experiments: ${names.join(', ')}` : undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
    try {
        await vscode.workspace.fs.stat(uri);
        return true;
    } catch {
        return false;
    }
}
