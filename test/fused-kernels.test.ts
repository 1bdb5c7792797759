// The fused EMN kernels (fused-ops.ts) against the reference tfjs graph: same loss trajectory, gradients and metrics.
import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { selectBackend } from '../engine/training/backend.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';

const fusedApplies = (plan: Parameters<typeof chooseKernel>[0], preferred: 'fused' | 'ops') =>
    chooseKernel(plan, preferred, tf.getBackend()) === 'fused';
import { batchTensors, initialWeights, mseLoss, paramSpecs } from '../engine/training/network.js';
import { tf } from '../engine/training/tf.js';
import { trainPoint } from '../engine/training/train-point.js';
import { TrainingData } from '../engine/training/training-data.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';

const cases: [string, SpecOverrides][] = [
    ['linear, sgd momentum', {}],
    [
        'tanh, depth 3, adam',
        {
            network: { activation: 'tanh', depth: 3, width: 3 },
            experiment: { optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
        },
    ],
    [
        'relu, plain sgd, depth 1, weighted A',
        {
            network: { activation: 'relu', depth: 1 },
            operation: { entries: { kind: 'uniform', low: 0.5, high: 1.5 } },
            experiment: { optimizer: { kind: 'sgd', lr: 0.02, momentum: 0 } },
        },
    ],
    ['pool of matrices, width 5', { network: { width: 5 }, experiment: { pool: 4 } }],
];

for (const backend of ['cpu', 'wasm'] as const) {
    describe(`fused kernels on ${backend}`, () => {
        for (const [name, o] of cases) {
            it(`${name}: the same loss trajectory and metrics as the ops graph`, async () => {
                await selectBackend(backend);
                const plan = compileExperiment(makeSpec({ ...o, experiment: { steps: 40, ...o.experiment } }));
                expect(fusedApplies(plan, 'fused')).toBe(true);
                const before = tf.memory().numTensors;
                const ref = await trainPoint(plan, { kernels: 'ops', readEvery: 1 });
                const fused = await trainPoint(plan, { kernels: 'fused', readEvery: 1 });
                expect(tf.memory().numTensors).toBe(before);
                expect(fused.lossCurve.length).toBe(ref.lossCurve.length);
                ref.lossCurve.forEach(([step, loss], k) => {
                    expect(fused.lossCurve[k][0]).toBe(step);
                    expect(Math.abs(fused.lossCurve[k][1] - loss)).toBeLessThanOrEqual(1e-4 * Math.abs(loss) + 1e-7);
                });
                expect(Math.abs(fused.metrics.mse - ref.metrics.mse)).toBeLessThanOrEqual(1e-4 * ref.metrics.mse + 1e-7);
            });
        }

        it("the forward kernel's registered gradient equals the ops graph's", async () => {
            await selectBackend(backend);
            const plan = compileExperiment(makeSpec({ network: { depth: 3, activation: 'tanh' }, operation: { size: 6 } }));
            const specs = paramSpecs(plan),
                init = initialWeights(plan);
            const batch = new TrainingData(plan).next(0);
            tf.tidy(() => {
                const input = batchTensors(plan, batch);
                const ts = specs.map(s => tf.tensor(init.get(s.name)!, s.internalShape));
                const lossOf =
                    (kernels: 'fused' | 'ops') =>
                    (...w: tf.Tensor[]) =>
                        mseLoss(plan, Object.fromEntries(specs.map((s, k) => [s.name, w[k]])), input, kernels);
                const a = tf.grads(lossOf('ops'))(ts),
                    b = tf.grads(lossOf('fused'))(ts);
                a.forEach((g, k) => {
                    const x = g.dataSync(),
                        y = b[k].dataSync();
                    const scale = Math.max(...Array.from(x, Math.abs));
                    for (let e = 0; e < x.length; e++) expect(Math.abs(x[e] - y[e])).toBeLessThanOrEqual(1e-5 * scale + 1e-8);
                });
            });
        });
    });
}

it('plans the fused kernels do not cover run on the ops graph', async () => {
    await selectBackend('cpu');
    for (const o of [{ network: { pruning: 'none' as const } }, { network: { masking: 2 } }]) {
        expect(fusedApplies(compileExperiment(makeSpec(o)), 'fused')).toBe(false);
    }
    expect(fusedApplies(compileExperiment(makeSpec()), 'ops')).toBe(false);
});
