// A spec reading a .mtx file over the language server protocol: trained results turn stale when the file is edited, and a
// file made malformed is an error at the spec's string, both on the client's workspace/didChangeWatchedFiles.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { VSCODE_CLIENT_COMMANDS, type ResultsState } from '../language-server/protocol.js';
import { positionOf, TrainingLspClient } from './training-lsp-client.js';

const TRIANGLE = '%%MatrixMarket matrix coordinate pattern symmetric\n3 3 3\n2 1\n3 1\n3 2\n';
const SPEC =
    'operation Triangle { matvec matrix "graphs/g.mtx" }\nnetwork Small { width 2 depth 1 }\n\n' +
    'experiment Quick {\n    learn Triangle with Small\n    optimizer adam(lr 0.02)\n    batch 8\n    steps 60\n}\n';

describe('a matrix file under the language server', () => {
    const client = new TrainingLspClient({
        initializationOptions: { trusted: true, backend: 'cpu', clientCommands: VSCODE_CLIENT_COMMANDS },
    });
    const mtx = () => join(client.folder, 'graphs', 'g.mtx');
    const changed = () =>
        client.connection.sendNotification('workspace/didChangeWatchedFiles', {
            changes: [{ uri: pathToFileURL(mtx()).href, type: FileChangeType.Changed }],
        });

    beforeAll(async () => {
        await client.initialize();
        mkdirSync(join(client.folder, 'graphs'));
        writeFileSync(mtx(), TRIANGLE);
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('marks results stale when the .mtx changes, and says a malformed one at the string', async () => {
        const from = client.messages.length;
        const uri = await client.open('graph.emn', SPEC);
        expect(await client.diagnostics(uri, from, () => true)).toEqual([]);
        const trained = client.messages.length;
        expect(await client.execute('emn.server.train', [uri, 'Quick'])).toEqual({ experiments: ['Quick'] });
        expect((await client.finished(uri, 'Quick', trained)).outcome).toBe('completed');

        // one edge fewer: the plan (which carries the entries) changes, so the results are stale
        const edited = client.messages.length;
        writeFileSync(mtx(), TRIANGLE.replace('3 3 3\n2 1\n3 1\n3 2', '3 3 2\n2 1\n3 1'));
        await changed();
        await client.waitFor(
            m =>
                m.method === 'emn/resultsState' &&
                m.params.uri === uri &&
                m.params.experiments.some((e: ResultsState) => e.experiment === 'Quick' && e.hasResult && e.stale),
            30_000,
            edited,
            'stale results state',
        );

        const broken = client.messages.length;
        writeFileSync(mtx(), TRIANGLE.replace('3 2', '4 2'));
        await changed();
        const diagnostics = await client.diagnostics(uri, broken, ds => ds.length > 0);
        expect(diagnostics.map(d => d.message)).toEqual([
            'matrix "graphs/g.mtx": line 5: index 4 is out of range: the matrix is 3 x 3 (indices 1 to 3)',
        ]);
        expect(diagnostics[0].range.start).toEqual(positionOf(SPEC, '"graphs/g.mtx"'));
    }, 120_000);
});
