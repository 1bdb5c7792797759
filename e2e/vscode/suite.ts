// Runs inside VS Code's extension host (test-electron): a small mocha-free runner driving the extension through the API.
import * as vscode from 'vscode';
import { errorMessage } from '../../engine/view.js';

type Step = [name: string, body: () => Promise<void>];

async function waitFor<T>(
    what: string,
    check: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = 60_000,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise(r => setTimeout(r, 200));
    }
}

function assert(condition: unknown, message: string): asserts condition {
    if (!condition) throw new Error(message);
}

const errors = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);

export async function run(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert(folder, 'the test workspace is not open');
    const uri = vscode.Uri.joinPath(folder.uri, 'tiny.emn');
    let doc!: vscode.TextDocument;

    const steps: Step[] = [
        [
            'the extension activates on an .emn file',
            async () => {
                doc = await vscode.workspace.openTextDocument(uri);
                await vscode.window.showTextDocument(doc);
                assert(doc.languageId === 'emn', `language is ${doc.languageId}`);
                const ext = await waitFor('the extension to be active', () => {
                    const e = vscode.extensions.getExtension('emn-studio.emn-studio');
                    return e?.isActive ? e : undefined;
                });
                assert(ext.isActive, 'not active');
                const commands = await vscode.commands.getCommands(true);
                for (const id of ['emn.trainExperiment', 'emn.showResults', 'emn.showPlan', 'emn.openExample', 'emn.server.train']) {
                    assert(commands.includes(id), `command ${id} is not registered`);
                }
            },
        ],
        [
            'a bad value gets an error diagnostic, the fix clears it',
            async () => {
                const line = doc
                    .getText()
                    .split('\n')
                    .findIndex(l => l.trim() === 'sparsity 0.5');
                assert(line >= 0, 'fixture has no `sparsity 0.5` line');
                const range = doc.lineAt(line).range;
                const original = doc.lineAt(line).text;
                const edit = new vscode.WorkspaceEdit();
                edit.replace(uri, range, original.replace('0.5', '1.5'));
                await vscode.workspace.applyEdit(edit);
                const diags = await waitFor('an error diagnostic', () => (errors(uri).length ? errors(uri) : undefined));
                assert(
                    diags.some(d => d.range.start.line === line),
                    `no error on line ${line + 1}: ${diags.map(d => d.message).join('; ')}`,
                );
                const fix = new vscode.WorkspaceEdit();
                fix.replace(uri, doc.lineAt(line).range, original);
                await vscode.workspace.applyEdit(fix);
                await waitFor('the diagnostics to clear', () => errors(uri).length === 0);
                await doc.save();
            },
        ],
        [
            'emn.server.train trains and the result appears in a CodeLens',
            async () => {
                await vscode.commands.executeCommand('emn.server.train', uri.toString(), 'Tiny');
                const lens = await waitFor(
                    'a result lens with MSE',
                    async () => {
                        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
                        return lenses?.find(l => l.command?.title.includes('MSE'));
                    },
                    120_000,
                );
                assert(/MSE \d/.test(lens.command!.title), `lens title: ${lens.command!.title}`);
            },
        ],
        [
            'emn.showResults opens the results view beside the editor',
            async () => {
                await vscode.commands.executeCommand('emn.showResults', uri.toString(), 'Tiny');
                await waitFor('a results tab', () =>
                    vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.label === 'Results: Tiny'),
                );
            },
        ],
    ];

    const failures: string[] = [];
    let passed = 0;
    for (const [name, body] of steps) {
        try {
            await body();
            passed++;
            console.log(`  ✓ ${name}`);
        } catch (err) {
            console.log(`  ✗ ${name}: ${errorMessage(err)}`);
            failures.push(name);
            break; // later steps build on earlier ones
        }
    }
    const notRun = steps.length - passed - failures.length;
    console.log(`${passed} passed, ${failures.length} failed${notRun ? `, ${notRun} not run` : ''}`);
    if (failures.length) throw new Error(`failed: ${failures.join(', ')}`);
}
