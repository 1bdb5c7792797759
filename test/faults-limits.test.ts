// Limits: a spec estimated to need more memory per step than training allows is an error with the estimate, alike in check, train and the
// editor.
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
    beforeAll(async () => {
        client = await startTrainingServer();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('is refused with the estimate; no run starts, the server answers, a small experiment beside it trains', async () => {
        const text = HUGE + tinySpec(50, 1, 'Fine');
        const uri = await client.open('huge.emn', text);
        const diags = await client.diagnostics(uri, 0, ds => ds.some(d => d.severity === 1));
        // the validator's error says the same before anyone asks to train
        expect(
            diags
                .filter(d => d.severity === 1)
                .map(d => String(d.message))
                .sort(),
        ).toEqual([
            expect.stringMatching(new RegExp(`^experiment Huge cannot train: ${REFUSAL.source}$`)),
            expect.stringMatching(new RegExp(`^experiment HugeSweep cannot train: ${REFUSAL.source}$`)),
        ]);
        for (const experiment of ['Huge', 'HugeSweep']) {
            const reply = await client.execute('emn.server.train', [uri, experiment]);
            expect(reply.experiments).toEqual([]);
            expect(reply.message).toMatch(
                new RegExp(
                    `^${experiment} cannot train: fix the errors in the spec first \\(line \\d+: experiment ${experiment} cannot train: ${REFUSAL.source}\\)$`,
                ),
            );
        }
        const from = client.messages.length;
        const all = await client.execute('emn.server.trainAll', [uri]);
        expect(all.experiments).toEqual(['Fine']);
        expect(all.message).toMatch(/^Huge cannot train: .*needs about .*; HugeSweep cannot train: .*needs about /);
        expect((await client.finished(uri, 'Fine', from)).outcome).toBe('completed');
        const started = client.messages.filter(m => m.method === 'emn/trainingStarted').map(m => m.params.experiment);
        expect(started).toEqual(['Fine']);
        expect(client.child.exitCode).toBeNull();
    });
});

describe('emn check and emn train on a spec above the memory bound', () => {
    const cli = useEmnCli('emn-limits-');

    it('train exits 1 with the estimate and trains nothing; --plan still shows the plan', () => {
        const file = join(cli.dir, 'huge.emn');
        writeFileSync(file, HUGE);
        const r = cli.emn('train', file, '--experiment', 'Huge', '--backend', 'cpu');
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`huge.emn:\\d+:\\d+: error: experiment Huge cannot train: ${REFUSAL.source}\n`));
        expect(r.stderr).toMatch(/emn train: .*huge.emn or a file it imports has errors; nothing was trained/);
        expect(r.stdout).toBe('');
        expect(existsSync(join(cli.dir, '.emn-results'))).toBe(false);
        const plan = cli.emn('train', file, '--experiment', 'Huge', '--plan');
        expect(plan.code).toBe(0);
        expect(plan.stdout).toContain('Huge');
    });

    it('size 100000: check and train say the same error (not two warnings, then a refusal)', () => {
        const file = join(cli.dir, 'n100000.emn');
        writeFileSync(file, 'operation Op { size 100000 }\nnetwork Net {}\nexperiment E { learn Op with Net }\n');
        const check = cli.emn('check', 'n100000.emn');
        const train = cli.emn('train', 'n100000.emn', '--backend', 'cpu');
        const line =
            /^n100000\.emn:3:12: error: experiment E cannot train: needs about [\d.]+ GB of memory per training step, more than the 8 GB training allows/;
        expect(check.stdout.trim().split('\n')).toEqual([expect.stringMatching(line)]);
        expect(check.code).toBe(1);
        expect(train.stderr.split('\n')[0]).toBe(check.stdout.split('\n')[0]);
        expect(train.code).toBe(1);
    });

    it('a sweep of 144 points: the same warning in check and train, with the estimated time', () => {
        const values = Array.from({ length: 12 }, (_, k) => k + 2).join(', ');
        writeFileSync(
            join(cli.dir, 'grid.emn'),
            `operation Op { size 4 }\nnetwork Net { width 1 depth 1 }\nexperiment Grid {\n    learn Op with Net steps 1 batch 1 evaluate 1 samples\n    sweep size [${values}], seed [${values}]\n}\n`,
        );
        const check = cli.emn('check', 'grid.emn');
        expect(check.stdout.trim().split('\n')).toEqual([
            expect.stringMatching(
                /^grid\.emn:3:12: warning: experiment Grid trains 144 points, about .* at the measured speed of the SIMD step/,
            ),
        ]);
        expect(check.code).toBe(0);
        const train = cli.emn('train', 'grid.emn', '--plan');
        expect(train.stderr.split('\n')[0]).toBe(check.stdout.split('\n')[0]);
    });
});
