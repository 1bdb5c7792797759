// Meta-epochs: mask order (fixed, shuffled, by sparsity), A fixed for E steps, muted edges untouched, and it trains.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { MaskOrder, OptimizerSpec } from '../engine/spec/spec-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { initialWeights } from '../engine/training/network.js';
import { trainPoint } from '../engine/training/train-point.js';
import { TrainingData } from '../engine/training/training-data.js';
import { makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

const metaSpec = (order: MaskOrder, extra: { masks?: number; stepsPerMask?: number; metaEpochs?: number } = {}) =>
    makeSpec({
        operation: { size: 5, sparsity: 0.6 },
        experiment: {
            schedule: {
                kind: 'metaEpochs',
                metaEpochs: extra.metaEpochs ?? 3,
                masks: extra.masks ?? 4,
                stepsPerMask: extra.stepsPerMask ?? 5,
                order,
            },
        },
    });

describe('meta-epochs order', () => {
    it('fixed: pool order, stepsPerMask steps each, every meta-epoch', () => {
        const data = new TrainingData(compileExperiment(metaSpec('fixed')));
        const seq = Array.from({ length: 60 }, (_, s) => data.maskAt(s));
        expect(seq.slice(0, 20)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
        expect(seq.slice(20, 40)).toEqual(seq.slice(0, 20));
    });

    it('shuffled: a permutation per meta-epoch, not always the same one, repeatable', () => {
        const plan = compileExperiment(metaSpec('shuffled', { masks: 8, stepsPerMask: 1, metaEpochs: 4 }));
        const data = new TrainingData(plan);
        const epochs = [0, 1, 2, 3].map(e => Array.from({ length: 8 }, (_, k) => data.maskAt(e * 8 + k)));
        for (const e of epochs) expect([...e].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expect(new Set(epochs.map(e => e.join())).size).toBeGreaterThan(1);
        const again = new TrainingData(plan);
        expect(Array.from({ length: 32 }, (_, s) => again.maskAt(s))).toEqual(epochs.flat());
    });

    it('sparsity: sparsest mask first', () => {
        const data = new TrainingData(compileExperiment(metaSpec('sparsity', { masks: 6, stepsPerMask: 1 })));
        const nnz = data.pool!.map(m => m.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0));
        const order = Array.from({ length: 6 }, (_, s) => data.maskAt(s));
        expect(order.map(k => nnz[k])).toEqual([...nnz].sort((a, b) => a - b));
    });

    it('keeps A fixed within a mask block: every sample of a step shares it', () => {
        const plan = compileExperiment(metaSpec('fixed', { stepsPerMask: 3 }));
        const data = new TrainingData(plan);
        const n = 5,
            B = plan.batch;
        const batch = data.next(0);
        const mask = data.pool![0];
        for (let i = 0; i < n; i++)
            for (let b = 0; b < B; b++)
                for (let j = 0; j < n; j++) {
                    // A x is zero exactly where the shared mask is (x is uniform, so almost surely non-zero)
                    expect(batch.ax[(i * B + b) * n + j] !== 0).toBe(mask[i * n + j] !== 0);
                }
    });
});

describe('meta-epochs training', () => {
    const optimizers: OptimizerSpec[] = [
        { kind: 'sgd', lr: 0.05, momentum: 0.9 },
        { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    ];
    for (const optimizer of optimizers) {
        it(`${optimizer.kind}: edges muted by every pool mask keep their initial weights, the rest learn`, async () => {
            const spec = metaSpec('shuffled', { masks: 3, stepsPerMask: 20, metaEpochs: 5 });
            spec.optimizer = optimizer;
            spec.evaluations = [{ on: 'pool', samples: 300 }];
            const plan = compileExperiment(spec);
            const data = new TrainingData(plan);
            const n = 5,
                w = plan.network.width;
            const neverOn = (i: number, j: number) => data.pool!.every(m => m[i * n + j] === 0);
            const init = initialWeights(plan).get('mask1.W')!;
            const r = await trainPoint(plan);
            const final = r.finalWeights!.get('mask1.W')!;
            let untouched = 0,
                moved = 0;
            for (let i = 0; i < n; i++)
                for (let j = 0; j < n; j++)
                    for (let c = 0; c < w; c++) {
                        const k = (i * n + j) * w + c;
                        if (neverOn(i, j)) {
                            expect(final[k]).toBe(init[k]);
                            untouched++;
                        } else if (final[k] !== init[k]) moved++;
                    }
            expect(untouched).toBeGreaterThan(0);
            expect(moved).toBeGreaterThan(0);
            // it trains: the pool error ends far below the first loss
            expect(r.evaluations[0].on).toBe('pool');
            expect(r.evaluations[0].mse).toBeLessThan(r.lossCurve[0][1] / 100);
        });
    }
});
