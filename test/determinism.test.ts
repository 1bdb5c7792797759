// Determinism: the same spec and seed give the same numbers on one backend; another seed gives others.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { selectBackend } from '../engine/training/backend.js';
import { initialWeights } from '../engine/training/network.js';
import { trainPoint } from '../engine/training/train-point.js';
import { TrainingData } from '../engine/training/training-data.js';
import { makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

describe('determinism', () => {
    it('repeats weights, data, loss curve and metrics exactly for one seed', async () => {
        const spec = makeSpec({ experiment: { steps: 120, seed: 42 } });
        const a = await trainPoint(compileExperiment(spec));
        const b = await trainPoint(compileExperiment(structuredClone(spec)));
        expect(b.lossCurve).toEqual(a.lossCurve);
        expect(b.weights).toEqual(a.weights);
        expect(b.metrics).toEqual(a.metrics);
        expect(b.evaluations).toEqual(a.evaluations);
    });

    it('changes with the seed', async () => {
        const p1 = compileExperiment(makeSpec({ experiment: { seed: 1 } }));
        const p2 = compileExperiment(makeSpec({ experiment: { seed: 2 } }));
        expect(initialWeights(p1).get('mask1.W')).not.toEqual(initialWeights(p2).get('mask1.W'));
        expect(Array.from(new TrainingData(p1).next(0).ax)).not.toEqual(Array.from(new TrainingData(p2).next(0).ax));
        const a = await trainPoint({ ...p1, steps: 20 });
        const b = await trainPoint({ ...p2, steps: 20 });
        expect(a.lossCurve).not.toEqual(b.lossCurve);
    });

    it('draws matrices with the requested sparsity and fresh A per sample', () => {
        const plan = compileExperiment(makeSpec({ operation: { size: 10, sparsity: 0.7 }, experiment: { batch: 64 } }));
        const batch = new TrainingData(plan).next(0);
        // ax = A x with x uniform(-1, 1): zero exactly where A is zero
        const zeros = batch.ax.reduce((c, v) => c + (v === 0 ? 1 : 0), 0) / batch.ax.length;
        expect(zeros).toBeGreaterThan(0.65);
        expect(zeros).toBeLessThan(0.75);
        // two samples of one batch (layout [n, B, n]) do not share their matrix
        const sample = (b: number) =>
            Array.from({ length: 10 }, (_, i) =>
                Array.from(batch.ax.subarray((i * 64 + b) * 10, (i * 64 + b) * 10 + 10)).map(v => v !== 0),
            );
        expect(sample(0)).not.toEqual(sample(1));
    });
});
