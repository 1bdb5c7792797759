// Faults: the training worker thread dies for real mid-run (exit code 7): the server lives, says why, keeps earlier results.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetResultsResponse } from '../language-server/protocol.js';
import { snapshot, tinySpec, trainGood } from './fault-specs.js';
import { positionOf, ROOT, TrainingLspClient } from './training-lsp-client.js';

const DIE_AT_STEP = 200;

describe('a training worker killed mid-run', () => {
    let client: TrainingLspClient;
    beforeAll(async () => {
        client = new TrainingLspClient({
            initializationOptions: { trusted: true, backend: 'cpu' },
            // the real worker, whose thread exits once a run passes step 200; shorter runs complete
            trainingWorker: join(ROOT, 'test', 'fixtures', 'dying-training-worker.cjs'),
            env: { EMN_TEST_DIE_AT_STEP: String(DIE_AT_STEP) },
        });
        await client.initialize();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('ends the run as failed with where and why, keeps the earlier results, and trains again with a new worker', async () => {
        const short = tinySpec(100);
        const { uri, good, resultsDir, before } = await trainGood(client, 'tiny.emn');
        let from: number;
        expect(Object.keys(before)).toEqual(['Quick.history', 'Quick.json']);

        const long = tinySpec(100_000);
        await client.change(uri, long);
        from = client.messages.length;
        expect((await client.execute('emn.server.train', [uri, 'Quick'])).experiments).toEqual(['Quick']);
        const died = await client.finished(uri, 'Quick', from);
        expect(died.outcome).toBe('failed');
        expect(died.message).toMatch(/^training failed at step \d+\/100000: training worker exited with code 7$/);
        // the worker reported progress before it died: it was killed mid-run, not at start-up
        expect(client.messages.slice(from).some(m => m.method === 'emn/trainingProgress' && m.params.progress.step > 0)).toBe(true);
        const diags = await client.diagnostics(uri, from, ds => ds.some(d => String(d.message).startsWith('training failed')));
        const d = diags.find(x => String(x.message).startsWith('training failed'))!;
        expect(d.severity).toBe(1);
        expect(d.range.start).toEqual(positionOf(long, 'Quick'));

        // earlier results: the same bytes, no temporary or failure file beside them, still served (stale: spec changed)
        expect(snapshot(resultsDir)).toEqual(before);
        const stored: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
        expect(stored.result?.planHash).toBe(good.result?.planHash);
        expect(stored.stale).toBe(true);
        // the server lives: hover and CodeLens answer
        const at = positionOf(long, 'width 2', 1);
        expect(await client.hoverText(uri, at.line, at.character)).not.toBe('');
        expect(await client.lensTitles(uri)).toContain('▶ Train');

        // a new worker replaces the dead one
        await client.change(uri, short);
        from = client.messages.length;
        await client.execute('emn.server.train', [uri, 'Quick']);
        const again = await client.finished(uri, 'Quick', from);
        expect(again.outcome).toBe('completed');
        expect(again.result?.planHash).toBe(good.result?.planHash);
        const current: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
        expect(current.stale).toBe(false);
        expect(existsSync(join(resultsDir, 'Quick.last-failure.json'))).toBe(false);
    });
});
