// Gradients of every layer kind (tf.grads through the real network) against central finite differences in float32.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { batchTensors, initialWeights, mseLoss, paramSpecs, type Params } from '../engine/training/network.js';
import { tf } from '../engine/training/tf.js';
import { TrainingData } from '../engine/training/training-data.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';

/** The kernel a point of `plan` trains on here (the fused kernels where they apply, else the ops graph). */
const kernelOf = (plan: CompiledPlan) => chooseKernel(plan, 'fused', tf.getBackend());

beforeAll(async () => {
    await selectBackend('cpu');
});

/** Max relative disagreement between analytic and numeric gradients over every weight of every tensor. */
function checkGradients(plan: CompiledPlan, eps: number): { worst: number; checked: number; kinds: string[] } {
    const specs = paramSpecs(plan);
    const init = initialWeights(plan);
    const batch = new TrainingData(plan).next(0);
    let worst = 0,
        checked = 0;
    tf.tidy(() => {
        const input = batchTensors(plan, batch);
        const lossOf = (values: Map<string, Float32Array>) =>
            tf.tidy(() => {
                const p: Params = {};
                for (const s of specs) p[s.name] = tf.tensor(values.get(s.name)!, s.internalShape);
                return mseLoss(plan, p, input, kernelOf(plan)).dataSync()[0];
            });
        const tensors = specs.map(s => tf.tensor(init.get(s.name)!, s.internalShape));
        const grads = tf.grads((...ts: tf.Tensor[]) =>
            mseLoss(plan, Object.fromEntries(specs.map((s, k) => [s.name, ts[k]])), input, kernelOf(plan)),
        )(tensors);
        specs.forEach((s, k) => {
            const g = grads[k].dataSync();
            const values = init.get(s.name)!;
            // every weight of small tensors; an even spread of 40 of larger ones
            const step = Math.max(1, Math.floor(values.length / 40));
            for (let e = 0; e < values.length; e += step) {
                const copy = new Map(init);
                const v = Float32Array.from(values);
                v[e] = values[e] + eps;
                copy.set(s.name, v);
                const up = lossOf(copy);
                const v2 = Float32Array.from(values);
                v2[e] = values[e] - eps;
                copy.set(s.name, v2);
                const down = lossOf(copy);
                // the perturbation actually applied after float32 rounding
                const h = Math.fround(values[e] + eps) - Math.fround(values[e] - eps);
                const numeric = (up - down) / h;
                const err = Math.abs(numeric - g[e]) / (Math.abs(numeric) + Math.abs(g[e]) + 1e-2);
                worst = Math.max(worst, err);
                checked++;
            }
        });
    });
    return { worst, checked, kinds: plan.layers.map(l => l.kind) };
}

const cases: [string, SpecOverrides, number, number][] = [
    // [name, spec, eps, tolerance]; linear nets: the loss is quadratic in each weight, so central differences are exact
    ['masked + pruned + output (rowwise)', { operation: { size: 3 }, network: { width: 2, depth: 3 } }, 1e-2, 2e-3],
    ['dense hidden + dense output', { operation: { size: 3 }, network: { width: 2, depth: 2, pruning: 'none' } }, 1e-2, 2e-3],
    [
        'message passing with skip channels',
        { operation: { size: 3, target: { kind: 'polynomial', coefficients: [0.5, 1, 0.25] } }, network: { width: 2, masking: 2 } },
        1e-2,
        2e-3,
    ],
    [
        'message passing without skips',
        { operation: { size: 3, target: { kind: 'power', order: 2 } }, network: { width: 2, masking: 2 } },
        1e-2,
        2e-3,
    ],
    [
        'tanh through every kind',
        {
            operation: { size: 3, target: { kind: 'polynomial', coefficients: [0.5, 1, 0.25] } },
            network: { width: 2, masking: 2, depth: 2, activation: 'tanh' },
        },
        1e-2,
        5e-3,
    ],
    ['relu, dense', { operation: { size: 3 }, network: { width: 2, depth: 2, activation: 'relu', pruning: 'none' } }, 1e-3, 2e-2],
];

describe('gradients match central differences', () => {
    for (const [name, overrides, eps, tol] of cases) {
        it(name, () => {
            const plan = compileExperiment(makeSpec({ ...overrides, experiment: { batch: 4 } }));
            const r = checkGradients(plan, eps);
            expect(r.checked).toBeGreaterThan(20);
            expect(r.worst).toBeLessThan(tol);
        });
    }

    it('detects a wrong gradient (the check can fail)', () => {
        // a deliberately wrong "analytic" gradient: twice the true one must not pass the same comparison
        const plan = compileExperiment(makeSpec({ operation: { size: 3 }, network: { width: 2 }, experiment: { batch: 4 } }));
        const specs = paramSpecs(plan);
        const init = initialWeights(plan);
        const batch = new TrainingData(plan).next(0);
        const rel = tf.tidy(() => {
            const input = batchTensors(plan, batch);
            const tensors = specs.map(s => tf.tensor(init.get(s.name)!, s.internalShape));
            const f = (...ts: tf.Tensor[]) =>
                mseLoss(plan, Object.fromEntries(specs.map((s, k) => [s.name, ts[k]])), input, kernelOf(plan));
            const g = tf.grads(f)(tensors)[0].dataSync()[0] * 2;
            const eps = 1e-2;
            const at = (d: number) =>
                tf.tidy(() => {
                    const v = Float32Array.from(init.get(specs[0].name)!);
                    v[0] += d;
                    return f(tf.tensor(v, specs[0].internalShape), ...tensors.slice(1)).dataSync()[0];
                });
            const numeric = (at(eps) - at(-eps)) / (2 * eps);
            return Math.abs(numeric - g) / (Math.abs(numeric) + Math.abs(g) + 1e-2);
        });
        expect(rel).toBeGreaterThan(0.1);
    });
});
