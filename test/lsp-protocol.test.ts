// The language server over stdio, driven by a real LSP client: diagnostics with ranges, hover, completion, formatting, shutdown and exit.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    createProtocolConnection, StreamMessageReader, StreamMessageWriter,
    type CompletionItem, type CompletionList, type Diagnostic, type Hover, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ensureFreshDist, ROOT } from './fresh-dist.js';

const BAD = [
    'operation Local {',
    '    size 20',
    '    sparsity 1.5',
    '}',
    'experiment Run {',
    '    learn Remote20 with RemoteNet',
    '    optimizer sgd(lr 0.05, beta1 0.9)',
    '    ',
    '}',
    '',
].join('\n');

interface StarHandlers {
    onNotification(handler: (method: string, params: unknown) => void): void;
    onRequest(handler: (method: string, params: any) => unknown): void;
}

describe.each([
    ['dist/language-server.cjs --stdio', ['dist/language-server.cjs', '--stdio']],
    ['bin/emn.cjs lsp --stdio', ['bin/emn.cjs', 'lsp', '--stdio']],
])('language server: node %s', (_name, args) => {
    let child: ChildProcess;
    let connection: ProtocolConnection;
    let exited: Promise<number | null>;
    const folder = mkdtempSync(join(tmpdir(), 'emn-lsp-'));
    const folderUri = pathToFileURL(folder).toString();
    const badUri = pathToFileURL(join(folder, 'bad.emn')).toString();
    const diagnostics = new Map<string, (d: Diagnostic[]) => void>();

    beforeAll(async () => {
        await ensureFreshDist();
        // a sibling on disk: the server indexes the workspace, so the open file's references resolve to it
        writeFileSync(join(folder, 'decls.emn'), 'operation Remote20 { size 20 }\nnetwork RemoteNet { width 4 }\n');
        child = spawn(process.execPath, args.map((a, i) => (i === 0 ? join(ROOT, a) : a)), { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
        child.stdin!.on('error', () => undefined);
        exited = new Promise(resolve => child.on('exit', code => resolve(code)));
        connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
        // answer whatever the server asks (configuration, capability registration) as a minimal client would
        (connection as unknown as StarHandlers).onRequest((method, params) =>
            method === 'workspace/configuration' ? params.items.map(() => null) : null);
        connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
            if (p.diagnostics.length > 0) diagnostics.get(p.uri)?.(p.diagnostics);
        });
        connection.onError(() => undefined);
        connection.listen();
        const init = await connection.sendRequest('initialize', {
            processId: process.pid, rootUri: folderUri, workspaceFolders: [{ uri: folderUri, name: 'ws' }],
            capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, completion: { completionItem: { snippetSupport: true } } } },
        }) as { capabilities: Record<string, unknown> };
        expect(init.capabilities).toMatchObject({ hoverProvider: true, completionProvider: expect.anything(), documentFormattingProvider: true, codeActionProvider: expect.anything() });
        await connection.sendNotification('initialized', {});
    });

    afterAll(async () => {
        connection?.dispose();
        // the server must have exited after `exit`; if a test failed before that, end it here
        if (child && child.exitCode === null && child.signalCode === null) child.kill();
    });

    test('didOpen of a bad spec publishes its diagnostics with precise ranges', async () => {
        const received = new Promise<Diagnostic[]>(resolve => diagnostics.set(badUri, resolve));
        await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: badUri, languageId: 'emn', version: 1, text: BAD } });
        const found = (await received).map(d => [d.severity, d.message, d.range.start.line, d.range.start.character, d.range.end.character]);
        expect(found).toEqual(expect.arrayContaining([
            [1, 'sparsity must be in [0, 1); got 1.5', 2, 13, 16],
            [1, 'beta1 is not an option of sgd (it belongs to adam); sgd takes lr, momentum', 6, 27, 32],
        ]));
        // Remote20 and RemoteNet come from the sibling file: no linking errors
        expect(found.filter(f => String(f[1]).includes('resolve'))).toEqual([]);
    });

    test('hover on a reference to another file summarises the operation', async () => {
        const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri: badUri }, position: { line: 5, character: 12 } }) as Hover;
        expect(hover.contents).toMatchObject({ kind: 'markdown', value: expect.stringContaining('operation Remote20: matvec, n = 20, sparsity 0.5, entries binary, vectors uniform(-1, 1)') });
    });

    test('completion inside an experiment offers the properties not yet given', async () => {
        const result = await connection.sendRequest('textDocument/completion', { textDocument: { uri: badUri }, position: { line: 7, character: 4 } }) as CompletionList | CompletionItem[];
        const labels = (Array.isArray(result) ? result : result.items).map(i => i.label);
        expect(labels).toEqual(expect.arrayContaining(['batch', 'steps', 'schedule', 'evaluate', 'sweep']));
        expect(labels).not.toContain('learn');
        expect(labels).not.toContain('optimizer');
    });

    test('shutdown and exit end the process', async () => {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
        expect(await exited).toBe(0);
    });
});
