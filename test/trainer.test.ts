// Trainer behaviour: masking and pruning in the weights the network uses (before and after training), early stop,
// divergence, cancellation within a step, published weight layouts.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { forward, initialWeights, paramSpecs, type Params } from '../engine/training/network.js';
import { Rng } from '../engine/training/rng.js';
import { tf } from '../engine/training/tf.js';
import { trainPoint } from '../engine/training/train-point.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';
import { withDeadline } from './wait-until.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

/** d yhat[i] / d x[j] and d yhat[i] / d A[i2][j] for one sample, through the real forward pass (A and x as tf inputs). */
function sensitivities(plan: CompiledPlan, weights: Map<string, Float32Array>, a: Float32Array, x: Float32Array) {
    const n = plan.operation.n;
    return tf.tidy(() => {
        const p: Params = {};
        for (const s of paramSpecs(plan)) p[s.name] = tf.tensor(weights.get(s.name)!, s.internalShape);
        const out = (aT: tf.Tensor, xT: tf.Tensor) => {
            const a3 = tf.reshape(aT, [n, 1, n]);
            const input = {
                ax: tf.mul<tf.Tensor3D>(a3, tf.reshape(xT, [1, 1, n])),
                a: tf.reshape<tf.Rank.R4>(a3, [n, 1, n, 1]),
                x: tf.reshape<tf.Rank.R3>(xT, [n, 1, 1]),
                y: tf.zeros<tf.Rank.R2>([n, 1]),
            };
            return tf.reshape(forward(plan, p, input, chooseKernel(plan, 'fused', tf.getBackend())), [n]);
        };
        const aT = tf.tensor(a, [n, n]),
            xT = tf.tensor(x, [n]);
        const dx: number[][] = [],
            da: number[][] = [];
        for (let i = 0; i < n; i++) {
            const [ga, gx] = tf.grads((aa: tf.Tensor, xx: tf.Tensor) => tf.sum(tf.slice(out(aa, xx), [i], [1])))([aT, xT]);
            dx.push(Array.from(gx.dataSync()));
            da.push(Array.from(ga.dataSync()));
        }
        return { dx, da };
    });
}

function randomSample(n: number, seed: number): { a: Float32Array; x: Float32Array } {
    const rng = new Rng(seed);
    const a = Float32Array.from({ length: n * n }, () => (rng.next() < 0.5 ? 1 : 0));
    a[1] = 0; // at least one muted edge: A[0][1]
    return { a, x: Float32Array.from({ length: n }, () => rng.uniform(-1, 1)) };
}

/** Checks the structural promises of a plan on given weights. */
function expectStructure(plan: CompiledPlan, weights: Map<string, Float32Array>) {
    const n = plan.operation.n;
    for (let s = 0; s < 3; s++) {
        const { a, x } = randomSample(n, 100 + s);
        const { dx, da } = sensitivities(plan, weights, a, x);
        let muted = 0;
        for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
                if (plan.network.pruning === 'rowwise' && plan.network.masking === 1) {
                    // masked edge: x[j] reaches output i only through A[i][j]
                    if (a[i * n + j] === 0) {
                        expect(Math.abs(dx[i][j])).toBe(0);
                        muted++;
                    }
                    // pruning: output i never sees another row of A
                    for (let i2 = 0; i2 < n; i2++) if (i2 !== i) expect(Math.abs(da[i][i2 * n + j])).toBe(0);
                }
            }
        // a column of A that is all zero mutes x[j] for every output, whatever the pruning or depth
        // (skip channels are the documented exception: they carry x[i] to cluster i ungated)
        if (plan.skipChannels) continue;
        const zeroCol = Float32Array.from(a);
        for (let i = 0; i < n; i++) zeroCol[i * n + 2] = 0;
        const z = sensitivities(plan, weights, zeroCol, x);
        for (let i = 0; i < n; i++) expect(Math.abs(z.dx[i][2])).toBe(0);
        if (plan.network.pruning === 'rowwise' && plan.network.masking === 1) expect(muted).toBeGreaterThan(0);
    }
}

const structures: [string, SpecOverrides][] = [
    ['rowwise EMN', { operation: { size: 4 }, network: { width: 3, depth: 3 } }],
    ['rowwise EMN with tanh', { operation: { size: 4 }, network: { width: 3, activation: 'tanh' } }],
    ['dense baseline', { operation: { size: 4 }, network: { width: 3, pruning: 'none' } }],
    ['two masking layers (power 2)', { operation: { size: 4, target: { kind: 'power', order: 2 } }, network: { width: 3, masking: 2 } }],
];

describe('masks and pruning hold in the weights the network uses', () => {
    for (const [name, overrides] of structures) {
        it(`${name}: before and after training`, async () => {
            const plan = compileExperiment(makeSpec({ ...overrides, experiment: { steps: 40, batch: 16 } }));
            expectStructure(plan, initialWeights(plan));
            const r = await trainPoint(plan);
            expect(r.stopped).toBe('steps');
            expectStructure(plan, r.finalWeights!);
        });
    }

    it('publishes exactly the weights that exist, in docs/method.md shapes', async () => {
        const plan = compileExperiment(makeSpec({ operation: { size: 4 }, network: { width: 3, depth: 2 }, experiment: { steps: 5 } }));
        const r = await trainPoint(plan);
        expect(r.weights!.map(w => [w.name, w.shape])).toEqual([
            ['mask1.W', [4, 3, 4]],
            ['hidden2.W', [4, 3, 3]],
            ['output.W', [4, 3]],
        ]);
        expect(r.weights!.reduce((s, w) => s + w.values.length, 0)).toBe(plan.parameterCount);
        // W1[i][c][j] published = internal [i][j][c]
        const internal = r.finalWeights!.get('mask1.W')!;
        const published = r.weights![0].values;
        expect(published[(2 * 3 + 1) * 4 + 3]).toBe(internal[(2 * 4 + 3) * 3 + 1]);
        expect(r.pathWeights!.shape).toEqual([4, 4]);
    });
});

describe('stopping', () => {
    it('stops early when the training mse is below the target', async () => {
        const plan = compileExperiment(makeSpec({ experiment: { steps: 3000, stopBelowMse: 1e-3 } }));
        const r = await trainPoint(plan);
        expect(r.stopped).toBe('target');
        expect(r.steps).toBeLessThan(3000);
        expect(r.lossCurve[r.lossCurve.length - 1][1]).toBeLessThan(1e-3);
    });

    it('reports divergence with the step and loss', async () => {
        const plan = compileExperiment(makeSpec({ experiment: { steps: 500, optimizer: { kind: 'sgd', lr: 50, momentum: 0.9 } } }));
        const r = await trainPoint(plan);
        expect(r.stopped).toBe('diverged');
        expect(r.divergedAt!.step).toBeLessThanOrEqual(500);
        expect(r.steps).toBe(r.divergedAt!.step);
        expect(r.divergedAt!.loss > 1e6 * r.lossCurve[0][1] || !Number.isFinite(r.divergedAt!.loss)).toBe(true);
        expect(r.evaluations).toEqual([]);
        expect(Number.isNaN(r.metrics.mse)).toBe(true);
    });

    it('a sane learning rate does not diverge', async () => {
        const r = await trainPoint(compileExperiment(makeSpec({ experiment: { steps: 100 } })));
        expect(r.stopped).toBe('steps');
    });

    it('cancels within one step of the flag', async () => {
        let flag = false;
        const plan = compileExperiment(makeSpec({ experiment: { steps: 1000 } }));
        const r = await trainPoint(plan, {
            shouldStop: () => flag,
            afterStep: step => {
                if (step === 7) flag = true;
            },
        });
        expect(r.stopped).toBe('cancelled');
        expect(r.steps).toBe(7);
        // a cancelled network is evaluated as it stands
        expect(r.evaluations.length).toBe(1);
    });

    it('cancels on an AbortSignal fired from elsewhere (the loop yields to the event loop)', async () => {
        const controller = new AbortController();
        const plan = compileExperiment(makeSpec({ experiment: { steps: 1_000_000 } }));
        let reported = 0;
        // at the first progress report, the abort is queued as a task of its own: it runs only if the loop yields
        const onProgress = (p: { step: number }) => {
            if (reported === 0) setImmediate(() => controller.abort());
            reported = p.step;
        };
        const r = await withDeadline(trainPoint(plan, { signal: controller.signal, onProgress }), 30_000, 'the aborted run to end');
        expect(r.stopped).toBe('cancelled');
        expect(r.steps).toBeLessThan(1_000_000);
        // the abort lands while the loop yields after a progress report, and the very next step sees it: no step runs after it
        expect(r.steps).toBe(reported);
    });
});
