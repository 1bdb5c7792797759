// `rank r`: A = U V^T / sqrt(r) from the entries' distribution; validation says why binary entries or sparsity cannot go with it.
import { describe, expect, test } from 'vitest';
import { expectError, expectNoIssues } from 'langium/test';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { expandSweep } from '../engine/spec/expand-sweep.js';
import { Rng } from '../engine/training/rng.js';
import { sampleMatrix } from '../engine/training/sampling.js';
import { offsetOf, useEmnServices } from './emn-test-services.js';
import { makeSpec } from './trainer-fixtures.js';

const NET = 'network Net { width 4 depth 2 }\n';

/** The rank of a matrix by Gaussian elimination with partial pivoting, pivots below tol * the largest entry counted as 0. */
function matrixRank(a: Float32Array, n: number, tol = 1e-4): number {
    const m = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n), Number));
    const scale = Math.max(...m.flat().map(Math.abs));
    let rank = 0;
    for (let c = 0; c < n && rank < n; c++) {
        let p = rank;
        for (let r = rank + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
        if (Math.abs(m[p][c]) <= tol * scale) continue;
        [m[rank], m[p]] = [m[p], m[rank]];
        for (let r = rank + 1; r < n; r++) {
            const f = m[r][c] / m[rank][c];
            for (let k = c; k < n; k++) m[r][k] -= f * m[rank][k];
        }
        rank++;
    }
    return rank;
}

describe('rank r', () => {
    const { validate } = useEmnServices();

    test('draws matrices of exactly that rank (normal and uniform entries), full rank without it', () => {
        for (const [rank, entries] of [
            [1, { kind: 'normal', mean: 0, std: 1 }],
            [3, { kind: 'uniform', low: -1, high: 1 }],
            [8, { kind: 'normal', mean: 0, std: 1 }],
        ] as const) {
            const plan = compileExperiment(makeSpec({ operation: { size: 8, sparsity: 0, entries, rank } }));
            expect(plan.operation.rank).toBe(rank);
            const rng = new Rng(5);
            for (let k = 0; k < 5; k++) expect(matrixRank(sampleMatrix(plan.operation, rng), 8)).toBe(rank);
        }
    });

    test('with rank the sparsity defaults to 0; rank is sweepable', async () => {
        const result = await validate(
            `operation Low { size 6 entries normal(0, 1) rank 2 }\n${NET}experiment E {\n learn Low with Net\n sweep rank [1, 2, 6]\n}`,
        );
        expectNoIssues(result);
        const spec = makeSpec({
            operation: { size: 6, sparsity: 0, entries: { kind: 'normal', mean: 0, std: 1 }, rank: 2 },
            experiment: { sweep: [{ parameter: 'rank', values: [1, 4] }] },
        });
        expect(expandSweep(spec).map(p => p.experiment.operation.rank)).toEqual([1, 4]);
    });

    test('binary entries, written or by default: an error saying why', async () => {
        const text = 'operation Low { size 6 rank 2 }';
        const result = await validate(text);
        expectError(result, /entries are binary \(the default\): write entries normal\(0, 1\) or uniform\(-1, 1\)$/, {
            offset: offsetOf(text, '2 }', 0),
            length: 1,
        });
        const written = 'operation Low { size 6 entries binary rank 2 }';
        expectError(await validate(written), /^rank draws A = U V\^T \/ sqrt\(r\)/, {
            offset: offsetOf(written, 'entries binary', 0),
            length: 'entries binary'.length,
        });
    });

    test('a sparsity above 0: an error on the sparsity saying the mask destroys the rank', async () => {
        const text = 'operation Low { size 6 entries normal(0, 1) sparsity 0.5 rank 2 }';
        expectError(
            await validate(text),
            'rank needs sparsity 0: zeroing entries of a rank-r matrix destroys its rank (Low has sparsity 0.5)',
            { offset: offsetOf(text, 'sparsity 0.5', 0), length: 'sparsity 0.5'.length },
        );
    });

    test('sweep rank on an operation without rank: its default sparsity 0.5 is an error on `rank`', async () => {
        const text = `operation Op { size 6 entries normal(0, 1) }\n${NET}experiment E {\n learn Op with Net\n sweep rank [1, 2]\n}`;
        expectError(await validate(text), /^sweep rank needs sparsity 0.*or give Op a rank, which makes the sparsity default 0$/, {
            offset: offsetOf(text, 'rank [', 0),
            length: 4,
        });
    });
});
