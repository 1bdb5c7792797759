// Protocol tests of run history and comparison: the real server over stdio trains twice (lr changed), then answers
// emn/getHistory, emn/getResults of a kept run, emn/compareCandidates and emn/compareRuns as the editor asks them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    VSCODE_CLIENT_COMMANDS,
    type CompareCandidate,
    type CompareRunsResponse,
    type GetHistoryResponse,
    type GetResultsResponse,
} from '../language-server/protocol.js';
import { TrainingLspClient } from './training-lsp-client.js';

const SPEC = (lr: number) => `operation Tiny3 {
    matvec
    size 3
    sparsity 0.3
}

network Small {
    width 2
    depth 1
}

network Wide {
    width 3
    depth 1
}

experiment Quick {
    learn Tiny3 with Small
    optimizer sgd(lr ${lr}, momentum 0.9)
    batch 16
    steps 60
    evaluate 100 samples
}

experiment Broad {
    learn Tiny3 with Wide
    optimizer sgd(lr 0.05, momentum 0.9)
    batch 16
    steps 60
    evaluate 100 samples
}
`;

async function train(client: TrainingLspClient, uri: string, experiment: string): Promise<void> {
    const from = client.messages.length;
    expect(await client.execute('emn.server.train', [uri, experiment])).toEqual({ experiments: [experiment] });
    expect((await client.finished(uri, experiment, from)).outcome).toBe('completed');
}

/** Opens a spec and trains Quick at lr 0.05, then at lr 0.02 (runs 1 and 2), and Broad once; returns its URI. */
async function trainedPair(client: TrainingLspClient, file: string): Promise<string> {
    const from = client.messages.length;
    const uri = await client.open(file, SPEC(0.05));
    await client.diagnostics(uri, from, () => true);
    await train(client, uri, 'Quick');
    await client.change(uri, SPEC(0.02));
    await train(client, uri, 'Quick');
    await train(client, uri, 'Broad');
    return uri;
}

describe('run history and comparison over the language server protocol', () => {
    const client = new TrainingLspClient({
        initializationOptions: { trusted: true, backend: 'cpu', clientCommands: VSCODE_CLIENT_COMMANDS },
    });
    let uri: string;
    const request = <T>(method: string, params: unknown) => client.connection.sendRequest<T>(method, params);

    // the runs the read-only tests look at; the test that trains more has its own server (candidates span the workspace)
    beforeAll(async () => {
        await client.initialize();
        uri = await trainedPair(client, 'pair.emn');
    }, 120_000);

    afterAll(async () => {
        await client.dispose();
    });

    it("lists the kept runs newest first, each with what changed in the spec's words", async () => {
        const history = await request<GetHistoryResponse>('emn/getHistory', { uri, experiment: 'Quick' });
        expect(history.warnings).toEqual([]);
        expect(history.runs.map(r => r.run)).toEqual([2, 1]);
        expect(history.runs[0].changes).toEqual(['lr 0.05 -> 0.02']);
        expect(history.runs[1].changes).toEqual([]);
        expect(history.runs[0].backend).toBe('cpu');
        expect(history.runs[0].headline).toMatch(/^MSE \d/);
        expect(history.resultRun).toBe(2);
    });

    it("serves one kept run's result, stale when the spec has moved on", async () => {
        const old = await request<GetResultsResponse>('emn/getResults', { uri, experiment: 'Quick', run: 1 });
        const latest = await request<GetResultsResponse>('emn/getResults', { uri, experiment: 'Quick' });
        expect(old.result?.planHash).not.toBe(latest.result?.planHash);
        expect(old.stale).toBe(true);
        expect(latest.stale).toBe(false);
        const missing = await request<GetResultsResponse>('emn/getResults', { uri, experiment: 'Quick', run: 9 });
        expect(missing.result).toBeUndefined();
        expect(missing.warning).toBe('no run 9 of Quick (kept: 1-2)');
    });

    it('offers the earlier runs and the other experiments to compare with', async () => {
        const { candidates } = await request<{ candidates: CompareCandidate[] }>('emn/compareCandidates', { uri, experiment: 'Quick' });
        expect(candidates.map(c => [c.group, c.label])).toEqual([
            ['earlier runs', 'Quick@1'],
            ['other experiments', 'Broad'],
        ]);
        expect(candidates[0].ref).toEqual({ uri, experiment: 'Quick', run: 1 });
        expect(candidates[0].description).toMatch(/UTC · MSE \S+/);
    });

    it('compares two runs of one network: only the changed setting, metrics, both loss curves, E and weight differences', async () => {
        const { comparison, error } = await request<CompareRunsResponse>('emn/compareRuns', {
            a: { uri, experiment: 'Quick', run: 1 },
            b: { uri, experiment: 'Quick' },
        });
        expect(error).toBeUndefined();
        const c = comparison!;
        expect(c.a.label).toBe('Quick@1');
        expect(c.b.label).toBe('Quick@2');
        expect(c.settings).toEqual([{ setting: 'lr', before: '0.05', after: '0.02' }]);
        expect(c.metrics.find(m => m.metric === 'mse')).toMatchObject({ a: expect.any(Number), b: expect.any(Number) });
        expect(c.lossCurves.a.length).toBeGreaterThan(1);
        expect(c.lossCurves.b.length).toBeGreaterThan(1);
        expect(c.pathWeights?.shape).toEqual([3, 3]);
        expect(c.pathWeights?.difference.values).toHaveLength(9);
        expect(c.weights.length).toBeGreaterThan(0);
        expect(c.weightsNote).toBeUndefined();
    });

    it('says plainly that networks of different shapes have no weight difference', async () => {
        const { comparison } = await request<CompareRunsResponse>('emn/compareRuns', {
            a: { uri, experiment: 'Quick' },
            b: { uri, experiment: 'Broad' },
        });
        expect(comparison!.settings.map(s => s.setting)).toEqual(expect.arrayContaining(['learn', 'width']));
        expect(comparison!.weights).toEqual([]);
        expect(comparison!.pathWeights).toBeUndefined();
        expect(comparison!.weightsNote).toMatch(/^the networks differ in shape/);
    });

    it('answers why when a side has no such run', async () => {
        const reply = await request<CompareRunsResponse>('emn/compareRuns', {
            a: { uri, experiment: 'Quick', run: 7 },
            b: { uri, experiment: 'Quick' },
        });
        expect(reply).toEqual({ error: 'no run 7 of Quick (kept: 1-2)' });
        const lenses = await client.lensTitles(uri);
        expect(lenses.filter(t => t === 'Compare with…')).toHaveLength(2);
    });

    it('after a diverged run, the result is still the last good run: the history says which, Compare with… offers the others', async () => {
        const own = new TrainingLspClient({ initializationOptions: { trusted: true, backend: 'cpu' } });
        try {
            await own.initialize();
            const pair = await trainedPair(own, 'pair.emn');
            const from = own.messages.length;
            await own.change(pair, SPEC(80));
            expect(await own.execute('emn.server.train', [pair, 'Quick'])).toEqual({ experiments: ['Quick'] });
            expect((await own.finished(pair, 'Quick', from)).outcome).toBe('diverged');
            const history = await own.connection.sendRequest<GetHistoryResponse>('emn/getHistory', { uri: pair, experiment: 'Quick' });
            expect(history.runs.map(r => [r.run, r.stopped])).toEqual([
                [3, 'diverged'],
                [2, 'steps'],
                [1, 'steps'],
            ]);
            // a failed run never replaces the good result: run 2 is still what the lens (and the view without a selection) shows
            expect(history.resultRun).toBe(2);
            const { candidates } = await own.connection.sendRequest<{ candidates: CompareCandidate[] }>('emn/compareCandidates', {
                uri: pair,
                experiment: 'Quick',
            });
            expect(candidates.filter(c => c.group === 'earlier runs').map(c => c.label)).toEqual(['Quick@3', 'Quick@1']);
        } finally {
            await own.dispose();
        }
    }, 120_000);
});
