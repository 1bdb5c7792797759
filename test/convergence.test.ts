// Convergence on cpu: small matvec to mse < 1e-6 (SGD and Adam), the interaction-order test (power 2, masking 1 vs 2), verdicts of real
// runs.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { selectBackend } from '../engine/training/backend.js';
import { trainPoint } from '../engine/training/train-point.js';
import { makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

describe('convergence', () => {
    it('learns y = A x (n 5, sgd with momentum) to test mse < 1e-6 with E close to 1', async () => {
        const r = await trainPoint(compileExperiment(makeSpec({ operation: { size: 5 }, experiment: { steps: 1500, batch: 32 } })));
        expect(r.stopped).toBe('steps');
        expect(r.metrics.mse).toBeLessThan(1e-6);
        expect(r.metrics.pathWeightError).toBeLessThan(1e-3);
        const e = r.pathWeights!.values;
        expect(Math.max(...e.map(v => Math.abs(v - 1)))).toBeLessThan(1e-2);
    });

    it('learns y = A x with adam and generalises to weighted matrices', async () => {
        const base = makeSpec({ operation: { size: 6, sparsity: 0.3 } });
        const weighted = { ...base.operation, name: 'Weighted', entries: { kind: 'uniform' as const, low: 0, high: 1 } };
        const spec = makeSpec({
            operation: { size: 6, sparsity: 0.3 },
            experiment: {
                steps: 1500,
                optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
                evaluations: [
                    { on: 'Op', samples: 300, operation: base.operation },
                    { on: 'Weighted', samples: 300, operation: weighted },
                ],
            },
        });
        const r = await trainPoint(compileExperiment(spec));
        expect(r.metrics.mse).toBeLessThan(1e-6);
        // E = 1 is the exact map for every A, so weighted matrices (never trained on) are computed as well
        expect(r.evaluations[1].on).toBe('Weighted');
        expect(r.evaluations[1].mse).toBeLessThan(1e-5);
    });

    it('power 2: masking 1 keeps an error floor, masking 2 goes far below it', async () => {
        const run = (masking: number) =>
            trainPoint(
                compileExperiment(
                    makeSpec({
                        operation: { size: 4, sparsity: 0.5, target: { kind: 'power', order: 2 } },
                        network: { width: 4, masking },
                        experiment: { steps: 1500, optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
                    }),
                ),
            );
        const one = await run(1),
            two = await run(2);
        expect(one.metrics.mse).toBeGreaterThan(1e-2);
        expect(two.metrics.mse).toBeLessThan(1e-4);
        expect(two.metrics.mse * 100).toBeLessThan(one.metrics.mse);
        // the verdicts read the same story: masking 1 sits on a floor; masking 2 goes on falling (or ends below 1e-6)
        expect(one.convergence).toBe('floor');
        expect(one.convergenceInfo!.lastLoss).toBeGreaterThan(1e-2);
        expect(['improving', 'target']).toContain(two.convergence);
        expect(two.stepsBelow?.['1e-2']).toBeGreaterThan(1);
        expect(one.stepsBelow?.['1e-2']).toBeUndefined();
    });

    it('a run the stop rule ends is `target`, with the steps it took to each decade on the way', async () => {
        const r = await trainPoint(
            compileExperiment(
                makeSpec({
                    operation: { size: 4 },
                    experiment: {
                        steps: 3000,
                        stopBelowMse: 1e-6,
                        optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
                    },
                }),
            ),
        );
        expect(r.stopped).toBe('target');
        expect(r.convergence).toBe('target');
        const below = r.stepsBelow!;
        expect(below['1e-2']).toBeLessThanOrEqual(below['1e-4']);
        expect(below['1e-4']).toBeLessThanOrEqual(below['1e-6']);
        expect(below['1e-6']).toBeLessThanOrEqual(r.steps);
    });
});
