// The memorisation quotient mse(fresh) / mse(pool): when it exists, its float floor, and where the CLI, diff and report show it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { memorisationQuotient, QUOTIENT_FLOOR } from '../engine/results/memorisation.js';
import type { EvaluationResult } from '../engine/results/result-types.js';
import { useEmnCli } from './emn-cli.js';
import { makeSpec } from './trainer-fixtures.js';

const set = (on: string, mse: number): EvaluationResult => ({ on, samples: 10, mse, maxAbsError: 0, relError: 0 });

describe('memorisationQuotient', () => {
    const pooled = compileExperiment(makeSpec({ experiment: { pool: 4 } }));
    const meta = compileExperiment(
        makeSpec({ experiment: { schedule: { kind: 'metaEpochs', metaEpochs: 1, masks: 3, stepsPerMask: 2, order: 'fixed' } } }),
    );
    const fresh = compileExperiment(makeSpec());

    it('is mse(fresh) / mse(pool) for a pool K or the meta-epoch masks', () => {
        expect(memorisationQuotient(pooled, [set('Op', 0.3), set('pool', 0.1)])).toBeCloseTo(3, 12);
        expect(memorisationQuotient(meta, [set('Op', 0.2), set('Other', 9), set('pool', 0.4)])).toBeCloseTo(0.5, 12);
    });

    it('is absent without a finite pool, without a pool evaluation, or when the first evaluation is the pool', () => {
        expect(memorisationQuotient(fresh, [set('Op', 0.3), set('pool', 0.1)])).toBeUndefined();
        expect(memorisationQuotient(pooled, [set('Op', 0.3)])).toBeUndefined();
        expect(memorisationQuotient(pooled, [set('pool', 0.3), set('Op', 0.1)])).toBeUndefined();
    });

    it('is null when both mse are at the float floor; a pool mse below it counts as the floor', () => {
        expect(memorisationQuotient(pooled, [set('Op', 1e-14), set('pool', 1e-15)])).toBeNull();
        expect(memorisationQuotient(pooled, [set('Op', 1e-6), set('pool', 0)])).toBeCloseTo(1e-6 / QUOTIENT_FLOOR, 3);
    });
});

describe('the quotient in the CLI, diff and report', () => {
    const cli = useEmnCli('emn-memorisation-', 120_000);
    const SPEC = `operation M { matvec size 4 sparsity 0.5 }
network N { width 2 depth 1 }
experiment Pools {
    learn M with N
    optimizer adam(lr 0.02)
    batch 8
    steps 150
    evaluate 200 samples
    evaluate 200 samples on pool
    sweep pool [1, 64]
}
experiment One { learn M with N optimizer adam(lr 0.02) batch 8 steps 150 pool 1 evaluate 200 samples evaluate 200 samples on pool }
`;

    it('a sweep over pool has a fresh/pool column; a single run says the quotient; diff and the CSV report carry it', () => {
        const file = join(cli.dir, 'm.emn');
        writeFileSync(file, SPEC);
        const r = cli.emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^\s+point\s+pool\s+ran\s+stopped\s+test mse.*mse on pool\s+fresh\/pool\s+convergence\s+to < \S+$/m);
        const stored = JSON.parse(readFileSync(join(cli.dir, '.emn-results', 'm.emn', 'Pools.json'), 'utf8'));
        const [one, many] = stored.result.runs as { metrics: { mse: number; memorisationQuotient: number } }[];
        // one training matrix is learned far better than y = A x: the quotient is large; 64 are not
        expect(one.metrics.memorisationQuotient).toBeGreaterThan(10);
        expect(many.metrics.memorisationQuotient).toBeLessThan(one.metrics.memorisationQuotient);
        expect(r.stdout).toMatch(/memorisation quotient: fresh\/pool = mse\(M\) \/ mse\(pool\) = \S+/);
        const diff = cli.emn('diff', file, 'One', 'Pools');
        expect(diff.stdout).toMatch(/^\s+fresh\/pool\s/m);
        const report = cli.emn('report', file, '--experiment', 'Pools', '--csv', '--md', '--to', join(cli.dir, 'rep'));
        expect(report.code).toBe(0);
        expect(readFileSync(join(cli.dir, 'rep', 'Pools.csv'), 'utf8').split('\n')[0]).toMatch(/,memorisationQuotient,mse on pool,/);
        expect(readFileSync(join(cli.dir, 'rep', 'Pools.md'), 'utf8')).toMatch(/\| fresh\/pool \|/);
    });
});
