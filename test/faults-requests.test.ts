// Faults: train requests for one experiment that arrive together (not one after the other): one run, never two interleaved.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainCommandResult } from '../language-server/protocol.js';
import { openAlone, tinySpec } from './fault-specs.js';
import { startTrainingServer, TrainingLspClient } from './training-lsp-client.js';

describe('simultaneous train requests for one experiment', () => {
    let client: TrainingLspClient;
    beforeAll(async () => {
        client = await startTrainingServer();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('accepts one of train, train and train all sent at once, refuses the others with a message, and runs once', async () => {
        // long enough never to end by itself: the requests cannot slip in one after another's run
        const text = tinySpec(1_000_000, 1, 'Twice', 'W');
        const { uri, dir } = await openAlone(client, 'twice.emn', text);
        await client.diagnostics(uri, 0, () => true);
        const from = client.messages.length;
        // sent without waiting for the replies: the server sees them back to back
        const replies: TrainCommandResult[] = await Promise.all([
            client.execute('emn.server.train', [uri, 'Twice']),
            client.execute('emn.server.train', [uri, 'Twice']),
            client.execute('emn.server.trainAll', [uri]),
        ]);
        expect(replies.filter(r => r.experiments.includes('Twice'))).toHaveLength(1);
        const refusals = replies.filter(x => x.experiments.length === 0);
        expect(refusals).toHaveLength(2);
        for (const r of refusals)
            expect(r.message).toMatch(/^Twice is already training( \(.*\))?; cancel it first or wait for it to finish$/);
        expect((await client.execute('emn.server.cancel', [uri, 'Twice'])).experiments).toEqual(['Twice']);
        expect((await client.finished(uri, 'Twice', from)).outcome).toBe('cancelled');
        // nothing else is queued behind it: a second cancel finds nothing, and one run started and finished
        expect((await client.execute('emn.server.cancel', [uri, 'Twice'])).experiments).toEqual([]);
        const events = client.messages.slice(from).filter(m => m.method === 'emn/trainingStarted' || m.method === 'emn/trainingFinished');
        expect(events.map(m => m.method)).toEqual(['emn/trainingStarted', 'emn/trainingFinished']);
        // a cancelled run writes no result, only its last-failure file (results/failure-policy.ts)
        const folder = join(dir, '.emn-results');
        expect(
            existsSync(folder)
                ? readdirSync(folder, { recursive: true })
                      .map(String)
                      .filter(f => f.endsWith('.json') && !f.endsWith('.last-failure.json'))
                : [],
        ).toEqual([]);
    });
});
