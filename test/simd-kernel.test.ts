// The wasm SIMD step (simd-kernel.ts, f32) against the reference paths: its draws, 1,000-step losses, gradients, determinism.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { forwardAll, gradientsAll, RowwiseWorkspace } from '../engine/training/emn-kernels.js';
import { initialWeights, paramSpecs } from '../engine/training/network.js';
import { SimdRowwiseTrainer } from '../engine/training/simd-kernel.js';
import { rowwiseShape } from '../engine/training/simd-trainer.js';
import { chooseKernel, type KernelName } from '../engine/training/kernel-registry.js';

const simdApplies = (plan: Parameters<typeof chooseKernel>[0], preferred: KernelName, backend: string) =>
    chooseKernel(plan, preferred, backend) === 'simd';
import { trainPoint } from '../engine/training/train-point.js';
import { TrainingData } from '../engine/training/training-data.js';
import { ensureFreshDist } from './fresh-dist.js';
import { expectWithinReferenceTolerance, worstCentralDifference } from './wasm-step-checks.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';

// dist/emn-step.wasm is built by esbuild.mjs (the AssemblyScript source is engine/training/simd/emn-step.as.ts)
beforeAll(async () => {
    await ensureFreshDist();
    await selectBackend('cpu');
}, 180_000);

const adam = { kind: 'adam' as const, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** A trainer holding the plan's initial weights, and the first batch's stream state and draw parameters. */
function setup(plan: CompiledPlan, slots = 0) {
    const trainer = new SimdRowwiseTrainer(rowwiseShape(plan), slots);
    const init = initialWeights(plan),
        names = paramSpecs(plan).map(p => p.name);
    names.forEach((name, p) => trainer.setWeight(p, init.get(name)!));
    const data = new TrainingData(plan);
    return { trainer, init, names, data, s0: data.drawState, draw: data.binaryMatvecDraw()! };
}

describe("the SIMD step draws the engine's batch", () => {
    // n = 7: padded lanes, one partial group of 16 entries; n = 37: whole groups, a tail, and ties (1 byte in 256)
    for (const [n, B, sparsity] of [
        [7, 5, 0.3],
        [37, 24, 0.6],
    ])
        it(`every row of A x and every target equal the JS sampler's (n = ${n})`, () => {
            const plan = compileExperiment(makeSpec({ operation: { size: n, sparsity }, experiment: { batch: B } }));
            const { trainer, data, s0, draw } = setup(plan);
            const batch = data.next(0);
            let kept = 0;
            for (let i = 0; i < n; i++) {
                const row = trainer.drawRow(s0, draw, i);
                for (let b = 0; b < B; b++) {
                    for (let j = 0; j < n; j++) {
                        // the JS sampler writes 0 * x (a -0 for negative x), the module a +0: equal as numbers
                        expect(row.ax[b * n + j] === batch.ax[(i * B + b) * n + j]).toBe(true);
                        if (row.ax[b * n + j] !== 0) kept++;
                    }
                    // y: f32 lane sums against the f64 sum (a few ulps)
                    expect(Math.abs(row.y[b] - batch.y[i * B + b])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(batch.y[i * B + b])));
                }
            }
            expect(kept).toBeGreaterThan(0);
            expect(Math.abs(kept / (n * n * B) - (1 - sparsity))).toBeLessThan(0.05);
            // the whole batch's targets [n, B], as the loss-scale rule reads them
            trainer.targets().forEach((v, e) => expect(Math.abs(v - batch.y[e])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(batch.y[e]))));
            // skipping a batch leaves the stream where drawing it does
            const other = new TrainingData(plan);
            other.skipBatch();
            expect(other.drawState).toBe(data.drawState);
        });
});

// the stated tolerance against the ops graph: wasm-step-checks.ts expectWithinReferenceTolerance
const cases: [string, SpecOverrides][] = [
    ["linear, sgd momentum (the paper's setting)", {}],
    [
        'tanh, width 3, depth 3, adam',
        { operation: { size: 6 }, network: { activation: 'tanh', depth: 3, width: 3 }, experiment: { optimizer: adam } },
    ],
    [
        'relu, plain sgd, depth 1, n = 7',
        {
            operation: { size: 7 },
            network: { activation: 'relu', depth: 1 },
            experiment: { optimizer: { kind: 'sgd', lr: 0.02, momentum: 0 } },
        },
    ],
    ['width 6, sparsity 0.8, adam', { operation: { size: 9, sparsity: 0.8 }, network: { width: 6 }, experiment: { optimizer: adam } }],
];

describe('the SIMD step against the reference ops graph over 1,000 steps', () => {
    for (const [name, o] of cases) {
        it(name, async () => {
            const plan = compileExperiment(makeSpec({ ...o, experiment: { steps: 1000, ...o.experiment } }));
            expect(simdApplies(plan, 'simd', 'cpu')).toBe(true);
            const ref = await trainPoint(plan, { kernels: 'ops', readEvery: 1 });
            const simd = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
            expectWithinReferenceTolerance(ref, simd);
        });
    }
});

describe('SIMD gradients', () => {
    const gradCases: [string, SpecOverrides, number, number][] = [
        [
            'linear, depth 3 (quadratic in each weight: central differences are exact)',
            { operation: { size: 3 }, network: { width: 2, depth: 3 } },
            1e-2,
            2e-3,
        ],
        ['tanh, width 5', { operation: { size: 5 }, network: { width: 5, depth: 2, activation: 'tanh' } }, 1e-2, 5e-3],
    ];
    for (const [name, o, eps, tol] of gradCases) {
        it(`match central differences: ${name}`, () => {
            const plan = compileExperiment(makeSpec({ ...o, experiment: { batch: 4 } }));
            const { trainer, init, names, s0, draw } = setup(plan);
            const { grads } = trainer.gradients(s0, draw);
            const { worst, checked } = worstCentralDifference(
                trainer,
                names.map(nm => init.get(nm)!),
                grads,
                s0,
                draw,
                eps,
            );
            expect(checked).toBeGreaterThan(20);
            expect(worst).toBeLessThan(tol);
        });
    }

    it("equal the float64 JS kernel's on the same batch, and an edge absent from every sample gets exactly zero", () => {
        const plan = compileExperiment(
            makeSpec({ operation: { size: 6, sparsity: 0.8 }, network: { depth: 3, activation: 'tanh' }, experiment: { batch: 3 } }),
        );
        const { trainer, init, names, data, s0, draw } = setup(plan);
        const { loss, grads } = trainer.gradients(s0, draw);
        const batch = data.next(0),
            n = 6,
            B = 3,
            w = 4;
        // the JS kernel's gradients of mean squared error: dy = 2 (yhat - y) / (n B), from its own forward pass
        const ws = new RowwiseWorkspace(rowwiseShape(plan));
        const W = names.map(nm => init.get(nm)!);
        const yhat = new Float32Array(n * B);
        forwardAll(ws, batch.ax, W, yhat);
        let sq = 0;
        const dy = new Float32Array(n * B);
        for (let e = 0; e < n * B; e++) {
            const err = yhat[e] - batch.y[e];
            sq += err * err;
            dy[e] = (2 * err) / (n * B);
        }
        expect(Math.abs(loss - sq / (n * B))).toBeLessThanOrEqual((1e-5 * sq) / (n * B));
        const ref = W.map(v => new Float32Array(v.length));
        gradientsAll(ws, batch.ax, W, dy, ref);
        ref.forEach((g, p) => {
            const scale = Math.max(...Array.from(g, Math.abs));
            g.forEach((v, e) => expect(Math.abs(grads[p][e] - v)).toBeLessThanOrEqual(1e-5 * scale));
        });
        // masks: W1[i][j][:] of an edge (i, j) that A zeroes in every sample of the batch has exactly zero gradient
        let absent = 0;
        for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
                let present = false;
                for (let b = 0; b < B; b++) present ||= batch.ax[(i * B + b) * n + j] !== 0;
                if (present) continue;
                absent++;
                for (let c = 0; c < w; c++) expect(grads[0][(i * n + j) * w + c]).toBe(0);
            }
        expect(absent).toBeGreaterThan(0);
    });
});

describe('SIMD determinism and scope', () => {
    it('the same spec and seed give the same numbers (loss curve and weights, bit for bit)', async () => {
        const plan = compileExperiment(makeSpec({ operation: { size: 10 }, experiment: { steps: 300, optimizer: adam } }));
        const a = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
        const b = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
        expect(b.lossCurve).toEqual(a.lossCurve);
        for (const [name, v] of a.finalWeights!) expect(Array.from(b.finalWeights!.get(name)!)).toEqual(Array.from(v));
        expect(b.metrics).toEqual(a.metrics);
    });

    it('applies to rowwise networks with one masking layer learning A x (stored batches: test/simd-data.test.ts)', () => {
        const yes = compileExperiment(makeSpec());
        expect(simdApplies(yes, 'simd', 'cpu')).toBe(true);
        expect(simdApplies(yes, 'simd', 'tensorflow')).toBe(false);
        expect(simdApplies(yes, 'fused', 'cpu')).toBe(false);
        expect(simdApplies(yes, 'ops', 'cpu')).toBe(false);
        for (const o of [
            { operation: { target: { kind: 'power' as const, order: 2 } }, network: { masking: 2 } },
            { network: { pruning: 'none' as const } },
        ] as SpecOverrides[]) {
            expect(simdApplies(compileExperiment(makeSpec(o)), 'simd', 'cpu')).toBe(false);
        }
    });
});
