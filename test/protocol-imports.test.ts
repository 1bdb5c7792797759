// Copy-and-tweak over the language server protocol: two copies of a spec that imports its operation both train; a spec with errors cannot,
// and says so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingLspClient } from './training-lsp-client.js';
import { VSCODE_CLIENT_COMMANDS } from '../language-server/protocol.js';

const OPS = 'operation Tiny3 { matvec size 3 sparsity 0.3 }\nnetwork Small { width 2 depth 1 }\n';
const VARIANT = (seed: number) =>
    `import "ops.emn"\n\nexperiment Quick {\n    learn Tiny3 with Small\n    optimizer adam(lr 0.02)\n    batch 16\n    steps 120\n    seed ${seed}\n}\n`;

describe('copies of a spec in one workspace', () => {
    const client = new TrainingLspClient({
        initializationOptions: { trusted: true, backend: 'cpu', clientCommands: VSCODE_CLIENT_COMMANDS },
    });

    beforeAll(async () => {
        await client.initialize();
        // written to disk only: the server loads the imported file itself
        writeFileSync(join(client.folder, 'ops.emn'), OPS);
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('both copies validate clean and train', async () => {
        const from = client.messages.length;
        const original = await client.open('variant.emn', VARIANT(1));
        const copy = await client.open('variant-copy.emn', VARIANT(2));
        for (const uri of [original, copy]) {
            expect(await client.diagnostics(uri, from, () => true)).toEqual([]);
            expect(await client.lensTitles(uri)).toContain('▶ Train');
        }
        for (const uri of [original, copy]) {
            const at = client.messages.length;
            expect(await client.execute('emn.server.train', [uri, 'Quick'])).toEqual({ experiments: ['Quick'] });
            expect((await client.finished(uri, 'Quick', at)).outcome).toBe('completed');
        }
    });

    it('a spec with an error: Train answers why, and its lens points to the problems instead of training', async () => {
        const from = client.messages.length;
        const broken = await client.open('broken.emn', VARIANT(3).replace('learn Tiny3 with Small', 'learn Tiny3 with Smal'));
        const diagnostics = await client.diagnostics(broken, from, ds => ds.length > 0);
        expect(diagnostics.map(d => d.message)).toEqual(['no network named Smal in this file or its imports; did you mean `Small`?']);
        const reply = await client.execute('emn.server.train', [broken, 'Quick']);
        expect(reply.experiments).toEqual([]);
        expect(reply.message).toBe(
            'Quick cannot train: fix the errors in the spec first (line 4: no network named Smal in this file or its imports; did you mean `Small`?)',
        );
        const lenses = await client.codeLens(broken);
        expect(lenses.map(l => l.command?.title)).not.toContain('▶ Train');
        const fix = lenses.find(l => l.command?.title === '⚠ fix the error to train');
        expect(fix?.command?.command).toBe('workbench.actions.view.problems');
    });
});
