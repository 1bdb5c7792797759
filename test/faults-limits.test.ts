// Limits: a spec estimated to need more memory per step than training allows is refused with the estimate (LSP and CLI).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost } from '../engine/cost/cost-estimate.js';
import { MAX_TRAINING_BYTES_PER_STEP, memoryRefusal } from '../engine/cost/training-limits.js';
import { useEmnCli } from './emn-cli.js';
import { tinySpec } from './fault-specs.js';
import { startTrainingServer, TrainingLspClient } from './training-lsp-client.js';
import { makeSpec } from './trainer-fixtures.js';

// n = 6000, w = 4, B = 64: about 11 GB per step (A x alone is 3.6e7 floats per sample)
const HUGE = `operation Big {
    matvec
    size 6000
}

network Wide {
    width 4
    depth 2
}

experiment Huge {
    learn Big with Wide
    batch 64
    steps 10
}

experiment HugeSweep {
    learn Big with Wide
    batch 64
    steps 10
    sweep size [5, 6000]
}
`;
const REFUSAL = /needs about 11 GB of memory per training step, more than the 8 GB training allows: lower size, width, masking or batch/;

describe('the memory bound', () => {
    it('refuses exactly the specs estimated above it, with the estimate', () => {
        const huge = makeSpec({ operation: { size: 6000 }, experiment: { batch: 64 } });
        expect(estimateCost(huge).bytesPerStep).toBeGreaterThan(MAX_TRAINING_BYTES_PER_STEP);
        expect(memoryRefusal(huge)).toMatch(REFUSAL);
        expect(memoryRefusal(makeSpec({ operation: { size: 200 } }))).toBeUndefined();
        // a sweep is as big as its largest point
        expect(memoryRefusal(makeSpec({ experiment: { batch: 64, sweep: [{ parameter: 'size', values: [5, 6000] }] } }))).toMatch(REFUSAL);
        // absurd numbers (an estimate that overflows to Infinity or NaN) are refused, not let through
        expect(memoryRefusal(makeSpec({ operation: { size: 1e200 } }))).toMatch(/needs about/);
    });
});

describe('training a spec above the memory bound over LSP', () => {
    let client: TrainingLspClient;
    beforeAll(async () => { client = await startTrainingServer(); });
    afterAll(async () => { await client.dispose(); });

    it('is refused with the estimate; no run starts, the server answers, a small experiment beside it trains', async () => {
        const text = HUGE + tinySpec(50, 1, 'Fine');
        const uri = await client.open('huge.emn', text);
        const diags = await client.diagnostics(uri, 0, ds => ds.some(d => d.severity === 2));
        // the validator's warning says the same before anyone asks to train
        expect(diags.filter(d => d.severity === 2 && /needs about 11 GB per step/.test(String(d.message)))).toHaveLength(2);
        for (const experiment of ['Huge', 'HugeSweep']) {
            const reply = await client.execute('emn.server.train', [uri, experiment]);
            expect(reply.experiments).toEqual([]);
            expect(reply.message).toMatch(new RegExp(`^${experiment} cannot train: ${REFUSAL.source}$`));
        }
        const from = client.messages.length;
        const all = await client.execute('emn.server.trainAll', [uri]);
        expect(all.experiments).toEqual(['Fine']);
        expect(all.message).toMatch(/^Huge cannot train: needs about .*; HugeSweep cannot train: needs about /);
        expect((await client.finished(uri, 'Fine', from)).outcome).toBe('completed');
        const started = client.messages.filter(m => m.method === 'emn/trainingStarted').map(m => m.params.experiment);
        expect(started).toEqual(['Fine']);
        expect(client.child.exitCode).toBeNull();
    });
});

describe('emn train on a spec above the memory bound', () => {
    const cli = useEmnCli('emn-limits-');

    it('exits 1 with the estimate and trains nothing; --plan still shows the plan', () => {
        const file = join(cli.dir, 'huge.emn');
        writeFileSync(file, HUGE);
        const r = cli.emn('train', file, '--experiment', 'Huge', '--backend', 'cpu');
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`emn train: Huge cannot train: ${REFUSAL.source}; nothing was trained`));
        expect(r.stdout).toBe('');
        expect(existsSync(join(cli.dir, '.emn-results'))).toBe(false);
        const plan = cli.emn('train', file, '--experiment', 'Huge', '--plan');
        expect(plan.code).toBe(0);
    });
});
