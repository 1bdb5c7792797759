// Shared weights: one parameter set for every cluster and input position; the same function as a per-edge network
// whose weights repeat it, any n at evaluation, the size checks, and the tfjs graph (not the fused or SIMD kernels).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { compileExperimentPlan } from '../engine/compiler/compile-sweep.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';
import { batchTensors, forward, initialWeights, paramSpecs, type Params } from '../engine/training/network.js';
import { runExperiment } from '../engine/training/run-experiment.js';
import { tf } from '../engine/training/tf.js';
import { TrainingData } from '../engine/training/training-data.js';
import { useEmnCli } from './emn-cli.js';
import { useEmnServices } from './emn-test-services.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

/** The per-edge weights that repeat the shared ones at every cluster i and input position j. */
function repeated(shared: CompiledPlan, perEdge: CompiledPlan): Map<string, Float32Array> {
    const one = initialWeights(shared);
    const out = new Map<string, Float32Array>();
    for (const s of paramSpecs(perEdge)) {
        const small = one.get(s.name)!;
        const values = new Float32Array(s.internalShape.reduce((a, b) => a * b, 1));
        // per-edge internal layouts lead with i (and, for masking layers, j) blocks of the shared block's size
        for (let e = 0; e < values.length; e++) values[e] = small[e % small.length];
        out.set(s.name, values);
    }
    return out;
}

function predict(plan: CompiledPlan, weights: Map<string, Float32Array>, data: CompiledPlan): Float32Array {
    const batch = new TrainingData(data).next(0);
    return tf.tidy(() => {
        const p: Params = {};
        for (const s of paramSpecs(plan)) p[s.name] = tf.tensor(weights.get(s.name)!, s.internalShape);
        return forward(plan, p, batchTensors(plan, batch), 'ops').dataSync() as Float32Array;
    });
}

describe('shared weights: the network', () => {
    const cases: [string, SpecOverrides][] = [
        ['matvec, linear', {}],
        ['power 2, masking 2, relu', { operation: { target: { kind: 'power', order: 2 } }, network: { masking: 2, activation: 'relu' } }],
        [
            'polynomial (skip channels), masking 2, tanh, depth 3',
            {
                operation: { target: { kind: 'polynomial', coefficients: [0.5, 1, 0.25] } },
                network: { masking: 2, activation: 'tanh', depth: 3 },
            },
        ],
    ];

    it.each(cases)('%s: the same outputs as per-edge weights that repeat the shared ones', (_name, o) => {
        const shared = compileExperiment(makeSpec({ ...o, network: { ...o.network, weights: 'shared' } }));
        const perEdge = compileExperiment(makeSpec(o));
        expect(shared.parameterCount).toBeLessThan(perEdge.parameterCount);
        const a = predict(shared, initialWeights(shared), shared);
        const b = predict(perEdge, repeated(shared, perEdge), perEdge);
        expect(a.length).toBe(b.length);
        for (let e = 0; e < a.length; e++) expect(a[e]).toBeCloseTo(b[e], 4);
    });

    it('has as many parameters at every n, and runs at another n than its plan', () => {
        const at = (size: number) => compileExperiment(makeSpec({ operation: { size }, network: { weights: 'shared', masking: 2 } }));
        expect(at(5).parameterCount).toBe(at(50).parameterCount);
        const yhat = predict(at(5), initialWeights(at(5)), at(9));
        expect(yhat.length).toBe(9 * at(9).batch);
        expect(yhat.every(Number.isFinite)).toBe(true);
    });

    it('trains on the tfjs graph: neither the fused kernels nor the SIMD step take it', () => {
        const plan = compileExperiment(makeSpec({ network: { weights: 'shared' } }));
        expect(chooseKernel(plan, 'simd', 'wasm')).toBe('ops');
        expect(chooseKernel(plan, 'fused', 'cpu')).toBe('ops');
        // the per-edge network of the same plan does take them
        expect(chooseKernel(compileExperiment(makeSpec()), 'fused', 'cpu')).toBe('fused');
    });

    it('pruning none with shared weights is refused, saying why', () => {
        expect(() => compileExperiment(makeSpec({ network: { weights: 'shared', pruning: 'none' } }))).toThrow(
            /weights shared needs pruning rowwise/,
        );
    });
});

describe('shared weights: trained at one n, evaluated at others', () => {
    it('linear: trained at n = 4, exact at n = 4..24; each evaluation carries its size', async () => {
        const op = makeSpec().operation;
        const plan = compileExperimentPlan(
            makeSpec({
                operation: { size: 4 },
                network: { weights: 'shared', width: 2 },
                experiment: {
                    optimizer: { kind: 'adam', lr: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
                    steps: 300,
                    batch: 16,
                    evaluations: [{ on: 'Op', samples: 200, operation: { ...op, size: 4 }, sizes: [4, 12, 24] }],
                },
            }),
        );
        const r = await runExperiment(plan, { backend: 'cpu' });
        expect(r.evaluations.map(e => e.size)).toEqual([4, 12, 24]);
        expect(r.trainingSize).toBe(4);
        for (const e of r.evaluations) expect(e.relError).toBeLessThan(1e-3);
        // E is one number for every (i, j)
        expect(new Set(r.pathWeights!.values.map(v => v.toFixed(6))).size).toBe(1);
    }, 60_000);

    it('a per-edge network evaluated at another size is refused by the compiler', () => {
        const op = makeSpec().operation;
        expect(() =>
            compileExperiment(makeSpec({ experiment: { evaluations: [{ on: 'Op', samples: 10, operation: op, sizes: [5, 9] }] } })),
        ).toThrow(/at size 9 needs weights shared/);
    });
});

describe('shared weights: validation', () => {
    const { validate } = useEmnServices();
    const BASE = 'operation Op { size 5 }\noperation Big { size 9 }\nnetwork Edge { width 2 }\nnetwork Shared { width 2 weights shared }\n';
    const messages = async (text: string) => (await validate(BASE + text)).diagnostics.map(d => d.message);

    it('shared networks may evaluate at any size and on operations of another size', async () => {
        expect(
            await messages('experiment E { learn Op with Shared evaluate 10 samples at sizes [5, 50] evaluate 10 samples on Big }'),
        ).toEqual([]);
    });

    it('per-edge networks: at sizes, on Op of another size, and a swept size each say to use weights shared', async () => {
        expect(await messages('experiment E { learn Op with Edge evaluate 10 samples at sizes [5, 50] }')).toEqual([
            'evaluating at size 50 while training at size 5: use `weights shared` in Edge: a per-edge network has weights for its training size only',
        ]);
        expect(await messages('experiment E { learn Op with Edge evaluate 10 samples on Big }')).toEqual([
            'Big has size 9 but Op is learned at size 5: use `weights shared` in Edge: a per-edge network has weights for its training size only ' +
                '(or evaluate on an operation of size 5)',
        ]);
        const swept = await messages(
            'experiment E { learn Op with Edge sweep size [5, 9] evaluate 10 samples evaluate 10 samples on Big }',
        );
        expect(swept).toHaveLength(1);
        expect(swept[0]).toMatch(/^Big has size 9 but Op is learned at size 5, 9: use `weights shared`/);
    });

    it('shared with pruning none, and pool at other sizes, are errors', async () => {
        expect(await messages('network D { weights shared pruning none }')).toEqual([]);
        const dense = await messages('network D { weights shared pruning none }\nexperiment E { learn Op with D }');
        expect(dense).toEqual([
            'weights shared needs pruning rowwise: a dense layer (pruning none) connects all n·w units, so its weights depend on n ' +
                'and cannot be shared across sizes',
        ]);
        const pool = await messages('experiment E { learn Op with Shared pool 4 evaluate 10 samples on pool at sizes [9] }');
        expect(pool).toEqual(['evaluate on pool cannot be at other sizes: the pool holds the training matrices, of the training size']);
    });
});

describe('shared weights: the CLI table and the report figure', () => {
    const cli = useEmnCli('emn-shared-', 120_000);

    it('prints "trained at n = 4 → evaluated at" and the report draws relative error against n', () => {
        const file = join(cli.dir, 's.emn');
        writeFileSync(
            file,
            `operation M { matvec size 4 }
network S { width 2 weights shared }
experiment T { learn M with S optimizer adam(lr 0.02) batch 8 steps 60 evaluate 100 samples at sizes [4, 16] }
`,
        );
        const r = cli.emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/trained at n = 4 → evaluated at:\n\s+n\s+on\s+rel err\s+mse/);
        expect(r.stdout).toMatch(/^\s+16\s+M\s+\S+\s+\S+$/m);
        expect(r.stdout).toMatch(/^\s+M n=16\s+100\s/m);
        const report = cli.emn('report', file, '--experiment', 'T', '--md', '--to', join(cli.dir, 'rep'));
        expect(report.code).toBe(0);
        expect(readFileSync(join(cli.dir, 'rep', 'T-sizes.svg'), 'utf8')).toContain('trained at n = 4');
        expect(readFileSync(join(cli.dir, 'rep', 'T.md'), 'utf8')).toMatch(/\| M\s+\| 4 \(training size\)/);
    });
});
