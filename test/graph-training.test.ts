// Training on a real graph: every sample uses the file's (normalised) A with a fresh x, pathWeightError averages over A's
// support, the kernel registry routes the plan to a kernel that trains it, and shared weights transfer to another graph.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { hasFixedMatrix } from '../engine/compiler/fixed-matrix.js';
import { parseMatrixMarket, type SparseMatrix } from '../engine/graphs/matrix-market.js';
import { toDense } from '../engine/graphs/normalize.js';
import type { OperationSpec } from '../engine/spec/spec-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';
import { runExperiment } from '../engine/training/run-experiment.js';
import { TrainingData } from '../engine/training/training-data.js';
import { makePlan, makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

function graph(file: string): SparseMatrix {
    const parsed = parseMatrixMarket(readFileSync(join(__dirname, '..', 'examples', 'graphs', file), 'utf8'));
    if ('error' in parsed) throw new Error(parsed.error.message);
    return parsed.file.matrix;
}

/** A path 1 - 2 - ... - n as a matrix file operation. */
function pathGraph(n: number): SparseMatrix {
    const m: SparseMatrix = { n, rows: [], cols: [], values: [] };
    for (let i = 0; i < n; i++)
        for (const j of [i - 1, i + 1])
            if (j >= 0 && j < n) {
                m.rows.push(i);
                m.cols.push(j);
                m.values.push(1);
            }
    return m;
}

const graphOperation = (name: string, matrix: SparseMatrix, normalize?: OperationSpec['normalize']): Partial<OperationSpec> => ({
    name,
    size: matrix.n,
    matrix: { file: `${name}.mtx`, matrix, sha256: name },
    ...(normalize ? { normalize } : {}),
});

describe('a matrix file as a fixed A', () => {
    it('gives every sample the normalised A of the file with its own x', () => {
        const plan = compileExperiment(makeSpec({ operation: graphOperation('Karate', graph('karate.mtx'), 'rows') }));
        expect(hasFixedMatrix(plan)).toBe(true);
        const n = plan.operation.n;
        expect(n).toBe(34);
        const a = toDense(plan.operation.matrix!);
        for (let i = 0; i < n; i++) {
            const row = a.subarray(i * n, (i + 1) * n);
            expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6); // D^-1 A: every karate member has a friend
        }
        const batch = new TrainingData(plan).next(0);
        const B = batch.size;
        const x = (b: number, j: number, i: number) => batch.ax[(i * B + b) * n + j] / a[i * n + j];
        for (let b = 0; b < B; b++)
            for (let i = 0; i < n; i++) {
                let y = 0;
                for (let j = 0; j < n; j++) {
                    const v = batch.ax[(i * B + b) * n + j];
                    if (a[i * n + j] === 0) expect(v === 0).toBe(true);
                    y += v;
                }
                expect(batch.y[i * B + b]).toBeCloseTo(y, 5);
            }
        // fresh x per sample: the entry node 1 sends to node 2 (A[1][0]) differs between samples 0 and 1
        expect(x(0, 0, 1)).not.toBeCloseTo(x(1, 0, 1), 3);
        // and the wasm steps, which draw fresh masks themselves, are not taken: the fused kernel or the ops graph train it
        expect(chooseKernel(plan, 'simd', 'cpu')).toBe('fused');
        const twoHops = compileExperiment(makeSpec({ operation: graphOperation('Karate', graph('karate.mtx')), network: { masking: 2 } }));
        expect(chooseKernel(twoHops, 'simd', 'cpu')).toBe('ops');
        const normalizedRandom = compileExperiment(makeSpec({ operation: { normalize: 'rows' }, network: { masking: 2 } }));
        expect(chooseKernel(normalizedRandom, 'simd', 'cpu')).toBe('ops');
    });

    it('averages pathWeightError over the support training saw, not all n² entries', async () => {
        const matrix = pathGraph(6);
        const plan = makePlan({
            operation: graphOperation('Path', matrix),
            experiment: { steps: 400, batch: 16, optimizer: { kind: 'adam', lr: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
        });
        const r = await runExperiment(plan, { backend: 'cpu' });
        expect(r.pathWeightSupport).toBe(matrix.values.length);
        const e = r.pathWeights!.values;
        const support = new Set(matrix.rows.map((i, k) => i * 6 + matrix.cols[k]));
        const over = (keep: (k: number) => boolean) => {
            const picked = e.flatMap((v, k) => (keep(k) ? [Math.abs(v - 1)] : []));
            return picked.reduce((s, v) => s + v, 0) / picked.length;
        };
        expect(r.metrics.pathWeightError).toBeCloseTo(
            over(k => support.has(k)),
            10,
        );
        expect(r.metrics.pathWeightError!).toBeLessThan(1e-2);
        // off the support E never had a gradient: averaging there too would report the initialisation
        expect(over(() => true)).toBeGreaterThan(10 * r.metrics.pathWeightError!);
        // a matrix file is a fixed A: a linear network's learned map is read at it (fixed-matrix.ts)
        expect(r.learnedMap?.relativeError).toBeLessThan(1e-2);
    }, 60_000);

    it('with shared weights, a filter learned on one graph is evaluated on another of another size', async () => {
        const karate = graphOperation('Karate', graph('karate.mtx'), 'symmetric');
        const grid = graphOperation('Grid', graph('grid-6x6.mtx'), 'symmetric');
        const spec = makeSpec({
            operation: karate,
            network: { weights: 'shared', depth: 1, width: 2 },
            experiment: { steps: 200, batch: 16, optimizer: { kind: 'adam', lr: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
        });
        spec.evaluations.push({ on: 'Grid', samples: 200, operation: { ...spec.operation, ...grid } });
        const plan = makePlan({ operation: spec.operation, network: spec.network, experiment: spec });
        const r = await runExperiment(plan, { backend: 'cpu' });
        expect(r.evaluations.map(e => [e.on, e.size])).toEqual([
            ['Karate', 34],
            ['Grid', 36],
        ]);
        // linear and shared: the network is a Â x for one number a, so learning it on one graph is learning it on every graph
        for (const e of r.evaluations) expect(e.relError).toBeLessThan(1e-3);
    }, 90_000);
});
