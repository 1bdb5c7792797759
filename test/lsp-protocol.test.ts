// The language server over stdio, driven by a real LSP client: diagnostics with ranges, hover, completion, formatting, shutdown and exit.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol/node';
import { TrainingLspClient } from './training-lsp-client.js';
import { withDeadline } from './wait-until.js';

const BAD = [
    'import "decls.emn"',
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

describe.each([
    ['dist/language-server.cjs --stdio', ['dist/language-server.cjs', '--stdio']],
    ['bin/emn.cjs lsp --stdio', ['bin/emn.cjs', 'lsp', '--stdio']],
])('language server: node %s', (_name, command) => {
    // answers whatever the server asks (configuration, capability registration) with null, as a minimal client would
    const client = new TrainingLspClient({ command });
    let badUri: string;

    beforeAll(async () => {
        // a file on disk the open spec imports: its references resolve to it
        writeFileSync(join(client.folder, 'decls.emn'), 'operation Remote20 { size 20 }\nnetwork RemoteNet { width 4 }\n');
        const init = await client.initialize();
        expect(init.capabilities).toMatchObject({
            hoverProvider: true,
            completionProvider: expect.anything(),
            documentFormattingProvider: true,
            codeActionProvider: expect.anything(),
        });
        // every test asks about the bad spec; what the server published for it is recorded from here on
        badUri = await client.open('bad.emn', BAD);
    });

    afterAll(async () => {
        await client.dispose();
    });

    test('didOpen of a bad spec publishes its diagnostics with precise ranges', async () => {
        const found = (await client.diagnostics(badUri, 0, ds => ds.length > 0)).map(d => [
            d.severity,
            d.message,
            d.range.start.line,
            d.range.start.character,
            d.range.end.character,
        ]);
        expect(found).toEqual(
            expect.arrayContaining([
                [1, 'sparsity must be in [0, 1); got 1.5', 3, 13, 16],
                [1, 'beta1 is not an option of sgd (it belongs to adam); sgd takes lr, momentum', 7, 27, 32],
            ]),
        );
        // Remote20 and RemoteNet come from the imported file: no linking errors
        expect(found.filter(f => String(f[1]).includes('resolve'))).toEqual([]);
    });

    test('hover on a reference to an imported file summarises the operation', async () => {
        const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
            textDocument: { uri: badUri },
            position: { line: 6, character: 12 },
        });
        expect(hover.contents).toMatchObject({
            kind: 'markdown',
            value: expect.stringContaining('operation Remote20: matvec, n = 20, sparsity 0.5, entries binary, vectors uniform(-1, 1)'),
        });
    });

    test('completion inside an experiment offers the properties not yet given', async () => {
        const result = await client.connection.sendRequest<CompletionList | CompletionItem[]>('textDocument/completion', {
            textDocument: { uri: badUri },
            position: { line: 8, character: 4 },
        });
        const labels = (Array.isArray(result) ? result : result.items).map(i => i.label);
        expect(labels).toEqual(expect.arrayContaining(['batch', 'steps', 'schedule', 'evaluate', 'sweep']));
        expect(labels).not.toContain('learn');
        expect(labels).not.toContain('optimizer');
    });

    test('shutdown and exit end the process', async () => {
        // a server of its own: the others' stays up for their tests, whatever the order
        const ending = new TrainingLspClient({ command });
        try {
            await ending.initialize();
            await ending.connection.sendRequest('shutdown');
            await ending.connection.sendNotification('exit');
            expect(await withDeadline(ending.exitCode, 30_000, 'the server to exit after shutdown and exit')).toBe(0);
        } finally {
            // the server must have exited after `exit`; if the test failed before that, dispose ends it
            await ending.dispose();
        }
    });
});
