// The wasm layers step (simd-layers-kernel.ts: k masking layers, skip channels, any target) against the reference ops graph.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';
import { layersForward } from '../engine/training/layers-forward.js';
import { batchTensors, forward, initialWeights, paramSpecs } from '../engine/training/network.js';
import { freshBinaryDraw, SimdLayersTrainer } from '../engine/training/simd-layers-kernel.js';
import { tf } from '../engine/training/tf.js';
import { trainPoint } from '../engine/training/train-point.js';
import { TrainingData } from '../engine/training/training-data.js';
import { ensureFreshDist } from './fresh-dist.js';
import { expectWithinReferenceTolerance, worstCentralDifference } from './wasm-step-checks.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';

// dist/emn-layers.wasm is built by esbuild.mjs (the AssemblyScript source is engine/training/simd/emn-layers.as.ts)
beforeAll(async () => {
    await ensureFreshDist();
    await selectBackend('cpu');
}, 180_000);

const adam = { kind: 'adam' as const, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const power = (order: number) => ({ kind: 'power' as const, order });

/** A trainer holding the plan's initial weights, and the first batch's stream state and draw parameters. */
function setup(plan: CompiledPlan) {
    const trainer = new SimdLayersTrainer(plan, 0);
    const init = initialWeights(plan);
    trainer.names.forEach((name, p) => trainer.setWeight(p, init.get(name)!));
    const data = new TrainingData(plan);
    return { trainer, init, data, s0: data.drawState, draw: freshBinaryDraw(plan) };
}

describe("the SIMD layers step draws the engine's batch", () => {
    const drawCases: [string, SpecOverrides][] = [
        ['power 2, n = 7 (padded lanes)', { operation: { size: 7, sparsity: 0.3, target: power(2) }, network: { masking: 2 } }],
        [
            'polynomial, n = 37 (whole groups, a tail, ties)',
            { operation: { size: 37, sparsity: 0.6, target: { kind: 'polynomial', coefficients: [0.5, 1, -0.25, 0.1] } } },
        ],
        ['A x with masking 3', { operation: { size: 9 }, network: { masking: 3 } }],
    ];
    for (const [name, o] of drawCases)
        it(`every target equals the JS sampler's to the bit: ${name}`, () => {
            const plan = compileExperiment(makeSpec({ ...o, experiment: { batch: 24 } }));
            expect(chooseKernel(plan, 'simd', 'cpu')).toBe('simd-layers');
            const { trainer, data, s0, draw } = setup(plan);
            const batch = data.next(0);
            trainer.loss(s0, draw);
            expect(Array.from(trainer.targets())).toEqual(Array.from(batch.y));
            const other = new TrainingData(plan);
            other.skipBatch();
            expect(other.drawState).toBe(data.drawState);
        });
});

// the stated tolerance against the ops graph: wasm-step-checks.ts expectWithinReferenceTolerance
const cases: [string, SpecOverrides][] = [
    ['power 2, masking 2, sgd momentum', { operation: { target: power(2) }, network: { masking: 2 } }],
    [
        'polynomial with skips, masking 2, adam',
        {
            operation: { size: 6, target: { kind: 'polynomial', coefficients: [0.5, 1, 0.25] } },
            network: { masking: 2 },
            experiment: { optimizer: adam },
        },
    ],
    [
        'A x with masking 3 (skips), tanh, width 3, depth 3, adam',
        { operation: { size: 5 }, network: { masking: 3, activation: 'tanh', width: 3, depth: 3 }, experiment: { optimizer: adam } },
    ],
    [
        'power 3, masking 3, relu, width 5, plain sgd',
        {
            operation: { size: 5, target: power(3), sparsity: 0.7 },
            network: { masking: 3, activation: 'relu', width: 5 },
            experiment: { optimizer: { kind: 'sgd', lr: 0.01, momentum: 0 } },
        },
    ],
    ['power 2, masking 1 (no message passing)', { operation: { target: power(2) }, network: { depth: 1 } }],
    ['dense baseline, sgd momentum', { operation: { size: 6 }, network: { pruning: 'none' } }],
    [
        'dense baseline with masking 2 and skips, tanh, depth 3, adam',
        {
            operation: { size: 5, target: { kind: 'polynomial', coefficients: [0.5, 1, 0.25] } },
            network: { pruning: 'none', masking: 2, activation: 'tanh', depth: 3, width: 3 },
            experiment: { optimizer: adam },
        },
    ],
];

describe('the SIMD layers step against the reference ops graph over 1,000 steps', () => {
    for (const [name, o] of cases) {
        it(
            name,
            async () => {
                const plan = compileExperiment(makeSpec({ ...o, experiment: { steps: 1000, ...o.experiment } }));
                expect(chooseKernel(plan, 'simd', 'cpu')).toBe('simd-layers');
                const ref = await trainPoint(plan, { kernels: 'ops', readEvery: 1 });
                const simd = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
                expectWithinReferenceTolerance(ref, simd);
                expect(Math.abs(simd.metrics.mse - ref.metrics.mse)).toBeLessThanOrEqual(1e-3 * ref.metrics.mse + 1e-9);
            },
            180_000,
        );
    }
});

describe('SIMD layers gradients', () => {
    const gradCases: [string, SpecOverrides, number, number][] = [
        [
            'linear, masking 2 with skips, depth 2 (quadratic in each weight: central differences are exact)',
            { operation: { size: 4, target: { kind: 'polynomial', coefficients: [1, 1, 1] } }, network: { width: 2, masking: 2 } },
            1e-2,
            2e-3,
        ],
        [
            'dense, masking 2 with skips, depth 3 (quadratic in each weight: a wide step has less rounding)',
            {
                operation: { size: 5, target: { kind: 'polynomial', coefficients: [1, 1, 1] } },
                network: { width: 3, masking: 2, depth: 3, pruning: 'none' },
            },
            5e-2,
            2e-3,
        ],
        [
            'tanh, masking 3, width 5',
            { operation: { size: 4, target: power(3) }, network: { width: 5, masking: 3, activation: 'tanh' } },
            1e-2,
            5e-3,
        ],
    ];
    for (const [name, o, eps, tol] of gradCases) {
        it(`match central differences: ${name}`, () => {
            const plan = compileExperiment(makeSpec({ ...o, experiment: { batch: 4 } }));
            const { trainer, init, s0, draw } = setup(plan);
            const { grads } = trainer.gradients(s0, draw);
            const { worst, checked } = worstCentralDifference(
                trainer,
                trainer.names.map(nm => init.get(nm)!),
                grads,
                s0,
                draw,
                eps,
            );
            expect(checked).toBeGreaterThan(100);
            expect(worst).toBeLessThan(tol);
        });
    }

    for (const pruning of ['rowwise', 'none'] as const)
        it(`the plain forward used for evaluation equals the ops graph's on a packed batch (pruning ${pruning})`, () => {
            const plan = compileExperiment(
                makeSpec({
                    operation: { size: 6, target: { kind: 'polynomial', coefficients: [0.5, 1, 0.25] } },
                    network: { masking: 2, activation: 'tanh', depth: 3, pruning },
                    experiment: { batch: 8 },
                }),
            );
            const init = initialWeights(plan),
                batch = new TrainingData(plan).next(0);
            const ref = tf.tidy(() => {
                const params = Object.fromEntries(paramSpecs(plan).map(s => [s.name, tf.tensor(init.get(s.name)!, s.internalShape)]));
                return forward(plan, params, batchTensors(plan, batch), 'ops').dataSync();
            });
            const mine = layersForward(plan, init, batch);
            ref.forEach((v, e) => expect(Math.abs(mine[e] - v)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v))));
        });
});

describe('SIMD layers determinism and scope', () => {
    it('the same spec and seed give the same numbers (loss curve and weights, bit for bit)', async () => {
        const plan = compileExperiment(
            makeSpec({ operation: { size: 10, target: power(2) }, network: { masking: 2 }, experiment: { steps: 300, optimizer: adam } }),
        );
        const a = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
        const b = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
        expect(b.lossCurve).toEqual(a.lossCurve);
        for (const [name, v] of a.finalWeights!) expect(Array.from(b.finalWeights!.get(name)!)).toEqual(Array.from(v));
        expect(b.metrics).toEqual(a.metrics);
    });

    it('applies to fresh binary A and uniform x on the rowwise per-edge network, where the default step does not', () => {
        const mp = compileExperiment(makeSpec({ operation: { target: power(2) }, network: { masking: 2 } }));
        expect(chooseKernel(mp, 'simd', 'cpu')).toBe('simd-layers');
        expect(chooseKernel(mp, 'simd', 'tensorflow')).toBe('ops');
        expect(chooseKernel(mp, 'fused', 'cpu')).toBe('ops');
        expect(chooseKernel(compileExperiment(makeSpec()), 'simd', 'cpu')).toBe('simd');
        expect(chooseKernel(compileExperiment(makeSpec({ network: { pruning: 'none' } })), 'simd', 'cpu')).toBe('simd-layers');
        // an MLP has no masked layer: the tfjs graph trains it
        expect(chooseKernel(compileExperiment(makeSpec({ network: { architecture: 'mlp', hidden: [8] } })), 'simd', 'cpu')).toBe('ops');
        for (const o of [
            { experiment: { pool: 4 } },
            { operation: { entries: { kind: 'uniform' as const, low: 0, high: 1 } } },
            { operation: { vectors: { kind: 'normal' as const, mean: 0, std: 1 } } },
            { network: { weights: 'shared' as const } },
        ] as SpecOverrides[]) {
            const plan = compileExperiment(makeSpec({ ...o, network: { masking: 2, ...o.network } }));
            expect(chooseKernel(plan, 'simd', 'cpu')).not.toMatch(/^simd/);
        }
    });
});
