// The SIMD step on the batches it draws into its store (weighted and normal entries, normal vectors, pools,
// meta-epochs): the JS sampler's very draws, 1,000-step losses against the ops graph, gradients, determinism.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import type { OptimizerSpec } from '../engine/spec/spec-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';
import { initialWeights, paramSpecs } from '../engine/training/network.js';
import { SimdRowwiseTrainer } from '../engine/training/simd-kernel.js';
import { rowwiseShape } from '../engine/training/simd-trainer.js';
import { trainPoint } from '../engine/training/train-point.js';
import { TrainingData } from '../engine/training/training-data.js';
import { ensureFreshDist } from './fresh-dist.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';

beforeAll(async () => {
    await ensureFreshDist();
    await selectBackend('cpu');
}, 180_000);

const uniformEntries = { entries: { kind: 'uniform' as const, low: -0.5, high: 1.5 } };
const normalEntries = { entries: { kind: 'normal' as const, mean: 0.1, std: 0.7 } };
const normalVectors = { vectors: { kind: 'normal' as const, mean: 0, std: 1 } };
const metaEpochs = (masks: number, stepsPerMask: number, metaEpochCount: number) => ({
    schedule: { kind: 'metaEpochs' as const, metaEpochs: metaEpochCount, masks, stepsPerMask, order: 'shuffled' as const },
});

/** The constructs of the stored batch, each at an n with padded lanes and at one with whole groups of 16 entries. */
const constructs: [string, SpecOverrides][] = [
    ['entries uniform', { operation: { size: 7, ...uniformEntries } }],
    ['entries normal (the spare carried across samples and batches)', { operation: { size: 9, ...normalEntries } }],
    ['vectors normal on binary A', { operation: { size: 16, sparsity: 0.3, ...normalVectors } }],
    ['entries normal, vectors normal', { operation: { size: 5, ...normalEntries, ...normalVectors } }],
    ['pool 6', { operation: { size: 11 }, experiment: { pool: 6 } }],
    ['pool 3 of uniform entries, normal vectors', { operation: { size: 6, ...uniformEntries, ...normalVectors }, experiment: { pool: 3 } }],
    ['meta-epochs, 3 masks, shuffled', { operation: { size: 8 }, experiment: metaEpochs(3, 2, 2) }],
];

/** A trainer with the plan's initial weights and its store set up as a run sets it up (simd-trainer.ts). */
function setup(plan: CompiledPlan, slots = 0) {
    const trainer = new SimdRowwiseTrainer(rowwiseShape(plan), slots);
    const init = initialWeights(plan),
        names = paramSpecs(plan).map(p => p.name);
    names.forEach((name, p) => trainer.setWeight(p, init.get(name)!));
    const data = new TrainingData(plan);
    const draw = data.storedBatchDraw()!;
    expect(draw).toBeDefined();
    const pool = draw.source === 'fresh' ? undefined : data.pool!;
    trainer.useStore(pool?.length ?? plan.batch);
    pool?.forEach((m, k) => trainer.setMatrix(k, m));
    return { trainer, init, names, data, draw };
}

describe("the SIMD step's stored batches are the JS sampler's", () => {
    for (const [name, o] of constructs)
        it(`every row of A x, every target and the stream's end (${name})`, () => {
            const plan = compileExperiment(makeSpec({ ...o, experiment: { batch: 13, ...o.experiment } }));
            expect(chooseKernel(plan, 'simd', 'cpu')).toBe('simd');
            const { trainer, draw } = setup(plan);
            const js = new TrainingData(plan),
                mine = new TrainingData(plan);
            const { n } = plan.operation,
                B = plan.batch;
            for (let step = 0; step < 3; step++) {
                const batch = js.next(step);
                mine.stream = trainer.drawBatch(mine.stream, draw, draw.source === 'fixed' ? mine.maskAt(step) : 0);
                expect(mine.stream).toEqual(js.stream);
                for (let i = 0; i < n; i++) {
                    const row = trainer.storedRow(i);
                    for (let b = 0; b < B; b++) {
                        let magnitude = 0;
                        for (let j = 0; j < n; j++) {
                            const want = batch.ax[(i * B + b) * n + j];
                            // equal as numbers: a zero entry times a negative x is -0 on both sides
                            expect(row.ax[b * n + j] === want).toBe(true);
                            magnitude += Math.abs(want);
                        }
                        // y: f32 lane sums against the f64 sum of the same products (a few ulps of their magnitude)
                        expect(Math.abs(row.y[b] - batch.y[i * B + b])).toBeLessThanOrEqual(1e-6 * (1 + magnitude));
                    }
                }
            }
        });
});

/*
 * The tolerance of test/simd-kernel.test.ts: every logged loss within 1e-3 relative of the ops graph's while it is above
 * 1e-6, within 1e-2 down to 1e-9, below 1e-8 under that; the final weights within 1e-3 of the largest weight.
 */
const FLOOR = 1e-9,
    WEIGHT_TOL = 1e-3;
const lossTolerance = (loss: number) => (loss > 1e-6 ? 1e-3 : 1e-2) * loss;
const adam: OptimizerSpec = { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const sgd: OptimizerSpec = { kind: 'sgd', lr: 0.02, momentum: 0.9 };
const trainingCases: [string, SpecOverrides][] = [
    [
        'entries uniform(0, 1), sgd momentum',
        { operation: { size: 6, entries: { kind: 'uniform', low: 0, high: 1 } }, experiment: { optimizer: sgd } },
    ],
    [
        'entries normal, tanh, adam',
        { operation: { size: 5, ...normalEntries }, network: { activation: 'tanh' }, experiment: { optimizer: adam } },
    ],
    ['vectors normal, width 6, adam', { operation: { size: 7, ...normalVectors }, network: { width: 6 }, experiment: { optimizer: adam } }],
    [
        'pool 8, relu, plain sgd',
        { operation: { size: 6 }, network: { activation: 'relu' }, experiment: { pool: 8, optimizer: { ...sgd, momentum: 0 } } },
    ],
    ['meta-epochs, 4 masks of 50 steps, adam', { operation: { size: 6 }, experiment: { ...metaEpochs(4, 50, 5), optimizer: adam } }],
];

describe('the SIMD step on stored batches against the reference ops graph over 1,000 steps', () => {
    for (const [name, o] of trainingCases) {
        it(name, async () => {
            const plan = compileExperiment(makeSpec({ ...o, experiment: { steps: 1000, ...o.experiment } }));
            expect(plan.steps).toBe(1000);
            expect(chooseKernel(plan, 'simd', 'cpu')).toBe('simd');
            const ref = await trainPoint(plan, { kernels: 'ops', readEvery: 1 });
            const simd = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
            expect(simd.stopped).toBe('steps');
            expect(simd.lossCurve.length).toBe(ref.lossCurve.length);
            ref.lossCurve.forEach(([step, loss], k) => {
                expect(simd.lossCurve[k][0]).toBe(step);
                if (loss > FLOOR) expect(Math.abs(simd.lossCurve[k][1] - loss)).toBeLessThanOrEqual(lossTolerance(loss));
                else expect(simd.lossCurve[k][1]).toBeLessThan(10 * FLOOR);
            });
            for (const [wname, values] of ref.finalWeights!) {
                const mine = simd.finalWeights!.get(wname)!;
                const scale = Math.max(...Array.from(values, Math.abs));
                values.forEach((v, e) => expect(Math.abs(mine[e] - v)).toBeLessThanOrEqual(WEIGHT_TOL * scale));
            }
        });
    }
});

describe('SIMD gradients on a stored batch', () => {
    it('match central differences (normal entries, normal vectors, tanh)', () => {
        const plan = compileExperiment(
            makeSpec({
                operation: { size: 5, ...normalEntries, ...normalVectors },
                network: { width: 3, depth: 2, activation: 'tanh' },
                experiment: { batch: 4 },
            }),
        );
        const { trainer, init, names, data, draw } = setup(plan);
        trainer.drawBatch(data.stream, draw);
        const { grads } = trainer.storedGradients();
        const eps = 1e-2;
        let worst = 0,
            checked = 0;
        names.forEach((wname, p) => {
            const values = init.get(wname)!;
            for (let e = 0; e < values.length; e++) {
                const v = Float32Array.from(values);
                v[e] = values[e] + eps;
                trainer.setWeight(p, v);
                const up = trainer.storedLoss();
                v[e] = values[e] - eps;
                trainer.setWeight(p, v);
                const down = trainer.storedLoss();
                trainer.setWeight(p, values);
                const numeric = (up - down) / (Math.fround(values[e] + eps) - Math.fround(values[e] - eps));
                worst = Math.max(worst, Math.abs(numeric - grads[p][e]) / (Math.abs(numeric) + Math.abs(grads[p][e]) + 1e-2));
                checked++;
            }
        });
        expect(checked).toBeGreaterThan(20);
        expect(worst).toBeLessThan(5e-3);
    });
});

describe('SIMD stored batches: determinism and scope', () => {
    it('the same spec and seed give the same numbers, bit for bit (normal entries, pool)', async () => {
        for (const o of [
            { operation: { size: 8, ...normalEntries } },
            { operation: { size: 8 }, experiment: { pool: 5 } },
        ] as SpecOverrides[]) {
            const plan = compileExperiment(makeSpec({ ...o, experiment: { steps: 200, optimizer: adam, ...o.experiment } }));
            const a = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
            const b = await trainPoint(plan, { kernels: 'simd', readEvery: 1 });
            expect(b.lossCurve).toEqual(a.lossCurve);
            for (const [name, v] of a.finalWeights!) expect(Array.from(b.finalWeights!.get(name)!)).toEqual(Array.from(v));
            expect(b.metrics).toEqual(a.metrics);
        }
    });

    it('applies to A x with any entries, vectors, pool or meta-epochs; not to fresh low-rank A or other targets', () => {
        for (const [, o] of constructs) expect(chooseKernel(compileExperiment(makeSpec(o)), 'simd', 'cpu')).toBe('simd');
        const lowRank = { operation: { size: 6, rank: 2, entries: { kind: 'normal' as const, mean: 0, std: 1 } } };
        expect(chooseKernel(compileExperiment(makeSpec(lowRank)), 'simd', 'cpu')).toBe('fused');
        // a pool of low-rank matrices is drawn by the JS sampler once, then stored
        expect(chooseKernel(compileExperiment(makeSpec({ ...lowRank, experiment: { pool: 3 } })), 'simd', 'cpu')).toBe('simd');
        const power2 = { operation: { target: { kind: 'power' as const, order: 2 } }, network: { masking: 2 } };
        // masking 2 on fresh binary A: the layers module's (test/simd-layers.test.ts)
        expect(chooseKernel(compileExperiment(makeSpec(power2)), 'simd', 'cpu')).toBe('simd-layers');
    });
});
