// The emn.training.workerMemoryMB setting with the real training worker: a run past the limit fails saying so (and which
// setting to raise), the server and the earlier results live on, and the next run with a normal limit trains.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GetResultsResponse } from '../language-server/protocol.js';
import { snapshot, trainGood } from './fault-specs.js';
import { TrainingLspClient } from './training-lsp-client.js';

/** A run whose weights, results and evaluation need far more than a small worker heap: n = 512, width 16 (4M weights). */
export const hungrySpec = (experiment = 'Quick') => `operation Big {
    matvec
    size 512
    sparsity 0.3
}

network Wide {
    width 16
    depth 1
}

experiment ${experiment} {
    learn Big with Wide
    optimizer adam(lr 0.01)
    batch 16
    steps 3
    evaluate 100 samples
}
`;

describe('emn.training.workerMemoryMB', () => {
    it('ends a run past the limit as failed naming the limit, keeps the earlier results, and trains again under a normal one', async () => {
        // a small run fits a small limit; the hungry one does not
        const training: { workerMemoryMB: number | null } = { workerMemoryMB: 32 };
        // the object the client answers workspace/configuration with: changed between runs, as a user edits settings.json
        const client = new TrainingLspClient({ initializationOptions: { trusted: true, backend: 'cpu' }, settings: { training } });
        try {
            await client.initialize();
            const { uri, good, resultsDir, before } = await trainGood(client, 'memory.emn');

            await client.change(uri, hungrySpec());
            let from = client.messages.length;
            await client.execute('emn.server.train', [uri, 'Quick']);
            const died = await client.finished(uri, 'Quick', from, 120_000);
            expect(died.outcome).toBe('failed');
            expect(died.message).toMatch(
                /training worker ran out of memory \(its heap limit is 32 MB\): raise emn\.training\.workerMemoryMB/,
            );
            expect(snapshot(resultsDir)).toEqual(before);
            expect(readdirSync(resultsDir).filter(f => f.includes('.tmp'))).toEqual([]);
            const stored: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
            expect(stored.result?.planHash).toBe(good.result?.planHash);

            training.workerMemoryMB = null;
            from = client.messages.length;
            await client.execute('emn.server.train', [uri, 'Quick']);
            expect((await client.finished(uri, 'Quick', from, 120_000)).outcome).toBe('completed');
        } finally {
            await client.dispose();
        }
    }, 300_000);
});
