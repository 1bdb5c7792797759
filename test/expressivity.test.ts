// `architecture mlp` and the learned map: validation with ranges, the MLP's parameter count and forward pass against a hand
// computation, the Jacobi SVD on known matrices, the learned map and numerical rank of known maps, no map with activations.
import { beforeAll, describe, expect, test } from 'vitest';
import { expectError, expectNoIssues, expectWarning } from 'langium/test';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import { renderPlan } from '../engine/compiler/plan-markdown.js';
import { estimateCost } from '../engine/cost/cost-estimate.js';
import { learnedMapFigure } from '../engine/figures/study-figures.js';
import { learnedMapRows } from '../engine/results/learned-map-text.js';
import { expandSweep } from '../engine/spec/expand-sweep.js';
import { selectBackend } from '../engine/training/backend.js';
import { tfPredict } from '../engine/training/evaluate.js';
import { chooseKernel } from '../engine/training/kernel-registry.js';
import { measureLearnedMap, numericalRank } from '../engine/training/learned-map.js';
import { batchLayout, batchTensors, forward, initialWeights, paramSpecs, type Params } from '../engine/training/network.js';
import { runExperiment } from '../engine/training/run-experiment.js';
import { BatchPacker } from '../engine/training/sampling.js';
import { svd } from '../engine/training/svd.js';
import { tf } from '../engine/training/tf.js';
import { offsetOf, useEmnServices } from './emn-test-services.js';
import { makePlan, makeSpec, type SpecOverrides } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

const NORMAL = { kind: 'normal', mean: 0, std: 1 } as const;
const mlp = (hidden: number[], activation: 'none' | 'relu' = 'none'): SpecOverrides['network'] => ({
    architecture: 'mlp',
    hidden,
    activation,
});

/** The params of a plan as tfjs tensors from plain arrays (internal layouts: W [in, out], b [out]). */
function tensors(plan: CompiledPlan, values: Map<string, Float32Array>): Params {
    return Object.fromEntries(paramSpecs(plan).map(p => [p.name, tf.tensor(values.get(p.name)!, p.internalShape)]));
}

describe('architecture mlp: validation', () => {
    const { validate } = useEmnServices();
    const OP = 'operation Op { size 4 }\n';

    test('an MLP with hidden and activation, learned by an experiment, has no issues', async () => {
        const text = `${OP}network M { architecture mlp hidden [8, 2] activation relu }\nexperiment E { learn Op with M steps 10 }`;
        expectNoIssues(await validate(text));
    });

    test('an EMN property on an MLP is an error on that property, saying why', async () => {
        const text = `${OP}network M { architecture mlp width 2 masking 2 }`;
        const result = await validate(text);
        expectError(result, /^width is an EMN property: an MLP has no row clusters/, {
            offset: offsetOf(text, 'width 2'),
            length: 'width 2'.length,
        });
        expectError(result, /^masking is an EMN property: an MLP reads A as n\^2 input numbers/, {
            offset: offsetOf(text, 'masking 2'),
            length: 'masking 2'.length,
        });
    });

    test('a hidden size out of range is an error at that size', async () => {
        const text = `${OP}network M { architecture mlp hidden [8, 0, 2.5] }`;
        const result = await validate(text);
        expectError(result, 'a hidden layer size must be a positive integer; got 0', { offset: offsetOf(text, '0,'), length: 1 });
        expectError(result, 'a hidden layer size must be a positive integer; got 2.5', { offset: offsetOf(text, '2.5'), length: 3 });
    });

    test('hidden on an EMN is a warning, unless the architecture is swept', async () => {
        const text = `${OP}network N { width 2 hidden [8] }`;
        expectWarning(await validate(text), /^hidden sets the layers of an MLP, and N is an EMN/, {
            offset: offsetOf(text, '8'),
            length: 1,
        });
        const swept = `${OP}network N { width 2 hidden [8] }\nexperiment E { learn Op with N steps 10 sweep architecture [emn, mlp] }`;
        expectNoIssues(await validate(swept));
    });

    test('sweeping an EMN parameter of an MLP, or hidden of an EMN, is a warning: every point is the same', async () => {
        const text = `${OP}network M { architecture mlp }\nexperiment E { learn Op with M steps 10 sweep width [1, 2] }`;
        expectWarning(await validate(text), /^sweep width changes nothing in an MLP/, { offset: offsetOf(text, 'width ['), length: 5 });
        const emn = `${OP}network N { width 2 }\nexperiment E { learn Op with N steps 10 sweep hidden [4, 8] }`;
        expectWarning(await validate(emn), /^sweep hidden sets an MLP's layer sizes, and N is an EMN/, {
            offset: offsetOf(emn, 'hidden ['),
            length: 6,
        });
    });

    test('an MLP evaluated at another size is an error saying it runs at its training size only', async () => {
        const text = `${OP}operation Big { size 6 }\nnetwork M { architecture mlp }\nexperiment E { learn Op with M steps 10 evaluate 10 samples on Big }`;
        expectError(await validate(text), /an MLP reads n\^2 \+ n inputs, so it runs at its training size only/, {
            offset: offsetOf(text, 'Big }'),
            length: 3,
        });
    });
});

describe('architecture mlp: plan and forward pass', () => {
    test('the parameter count is every weight and bias: (n^2 + n) h1 + h1, h1 h2 + h2, h2 n + n', () => {
        const plan = compileExperiment(makeSpec({ operation: { size: 3 }, network: mlp([4, 2]) }));
        // (9 + 3) * 4 + 4 = 52, 4 * 2 + 2 = 10, 2 * 3 + 3 = 9
        expect(plan.parameterCount).toBe(71);
        expect(plan.layers.map(l => [l.name, l.weightShape, l.biasShape])).toEqual([
            ['layer1', [4, 12], [4]],
            ['layer2', [2, 4], [2]],
            ['output', [3, 2], [3]],
        ]);
        expect(estimateCost(makeSpec({ operation: { size: 3 }, network: mlp([4, 2]) })).parameters).toBe(71);
        // the fast kernels compute the EMN's masked layer: an MLP trains on the tfjs graph
        expect(chooseKernel(plan, 'simd', 'cpu')).toBe('ops');
    });

    test('the plan names the architecture with its parameter count, and says whether a learned map comes and why not', () => {
        const text = renderPlan(makePlan({ operation: { size: 3 }, network: mlp([4, 2]), experiment: { pool: 1 } }));
        expect(text).toContain('- network: architecture mlp, hidden [4, 2], activation none (on [vec(A), x]: 12 inputs, with biases)');
        expect(text).toContain('- parameters (mlp): **71**');
        expect(text).toContain('| layer1 | fully-connected | [12] | [4] | [4, 12] + bias [4] |         52 |');
        expect(text).toContain('- learned map M: measured after training');
        expect(renderPlan(makePlan({ network: { activation: 'relu' }, experiment: { pool: 1 } }))).toContain(
            '- learned map M: none: relu makes the network non-linear in x',
        );
        expect(renderPlan(makePlan())).toContain('- learned map M: none: A is drawn per sample');
        expect(renderPlan(makePlan())).toContain('- parameters (emn): **');
    });

    test('sweep architecture and sweep hidden set each point', () => {
        const spec = makeSpec({
            network: { hidden: [16, 3, 16] },
            experiment: {
                sweep: [
                    { parameter: 'architecture', values: ['emn', 'mlp'] },
                    { parameter: 'hidden', values: [5] },
                ],
            },
        });
        const points = expandSweep(spec).map(p => compileExperiment(p.experiment));
        expect(points.map(p => p.network.architecture ?? 'emn')).toEqual(['emn', 'mlp']);
        expect(points[1].network.hidden).toEqual([5, 5, 5]);
    });

    test('the forward pass equals a hand computation of relu(W1 [vec(A), x] + b1) then W2 h + b2', () => {
        const n = 2;
        const plan = compileExperiment(makeSpec({ operation: { size: n }, network: mlp([3], 'relu') }));
        const weights = initialWeights(plan);
        // biases start at zero: give them values so the test sees them
        weights.set('layer1.b', Float32Array.from([0.3, -0.2, 0.1]));
        weights.set('output.b', Float32Array.from([0.5, -1]));
        const a = Float32Array.from([1, -2, 0.5, 3]),
            x = Float32Array.from([0.7, -0.4]);
        const packer = new BatchPacker(batchLayout(plan), plan.operation.coefficients);
        const batch = packer.allocate(1);
        packer.put(batch, 0, a, x);
        const params = tensors(plan, weights);
        const yhat = tf.tidy(() => forward(plan, params, batchTensors(plan, batch), 'ops').dataSync());
        const z = [...a, ...x];
        const w1 = weights.get('layer1.W')!,
            b1 = weights.get('layer1.b')!,
            w2 = weights.get('output.W')!,
            b2 = weights.get('output.b')!;
        const h = [0, 1, 2].map(c =>
            Math.max(
                0,
                z.reduce((s, zi, i) => s + zi * w1[i * 3 + c], b1[c]),
            ),
        );
        const expected = [0, 1].map(o => h.reduce((s, hc, c) => s + hc * w2[c * n + o], b2[o]));
        expect(Array.from(yhat)[0]).toBeCloseTo(expected[0], 5);
        expect(Array.from(yhat)[1]).toBeCloseTo(expected[1], 5);
        Object.values(params).forEach(t => t.dispose());
    });
});

describe('singular values and the learned map', () => {
    test('the Jacobi SVD gives known singular values and reconstructs its matrix', () => {
        // A^T A = [[25, 20], [20, 25]]: eigenvalues 45 and 5
        expect(svd([3, 0, 4, 5], 2, 2).s.map(v => +v.toFixed(10))).toEqual([+Math.sqrt(45).toFixed(10), +Math.sqrt(5).toFixed(10)]);
        expect(svd([0, 0, 0, 2, 0, 0, 0, 0, -5], 3, 3).s).toEqual([5, 2, 0]);
        const m = 6,
            n = 4,
            a = Array.from({ length: m * n }, (_, e) => Math.sin(e * 1.7) + 0.1 * e);
        const { u, s, v } = svd(a, m, n);
        for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
                const back = s.reduce((sum, sk, k) => sum + u[i * n + k] * sk * v[j * n + k], 0);
                expect(back).toBeCloseTo(a[i * n + j], 10);
            }
    });

    test('numerical rank: a rank-2 map plus training noise counts 2; a best rank-1 fit of a rank-3 target counts 1', () => {
        const n = 5;
        const col = (k: number) => Array.from({ length: n }, (_, i) => Math.cos(i * (k + 1) + k));
        const t = new Float64Array(n * n);
        for (const [k, weight] of [
            [0, 3],
            [1, 1],
        ])
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[i * n + j] += weight * col(k)[i] * col(k + 2)[j];
        const noisy = t.map((v, e) => v + 1e-4 * Math.sin(13 * e));
        expect(numericalRank(noisy, t, n).rank).toBe(2);
        // a fixed 1e-6 sigma_1 would have counted the noise as rank
        expect(svd(noisy, n, n).s.filter(s => s > 1e-6 * svd(noisy, n, n).s[0]).length).toBeGreaterThan(2);
        // rank-3 target, M its best rank-1 approximation (Eckart-Young): rank 1 however far M is from T
        const { u, s, v } = svd(
            Array.from({ length: n * n }, (_, e) => (e % 7 === 0 ? 2 : 0) + (e % 3 === 0 ? 1 : 0)),
            n,
            n,
        );
        const target = new Float64Array(n * n),
            best = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++)
                for (let k = 0; k < 3; k++) {
                    const term = u[i * n + k] * s[k] * v[j * n + k];
                    target[i * n + j] += term;
                    if (k === 0) best[i * n + j] += term;
                }
        expect(numericalRank(best, target, n).rank).toBe(1);
    });

    test('the learned map of a known linear network is its matrix, the biases its offset', () => {
        const n = 3;
        const plan = compileExperiment(
            makeSpec({ operation: { size: n, sparsity: 0, entries: NORMAL, rank: 2 }, network: mlp([n]), experiment: { pool: 1 } }),
        );
        const m0 = [2, -1, 0, 0.5, 1, 3, -2, 0, 1];
        const bias = [0.3, 0, -0.4];
        const weights = new Map<string, Float32Array>();
        // layer 1 copies x (inputs n^2 .. n^2 + n - 1) and ignores A; the output layer applies M0 and adds the bias
        const w1 = new Float32Array((n * n + n) * n);
        for (let c = 0; c < n; c++) w1[(n * n + c) * n + c] = 1;
        const w2 = new Float32Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w2[j * n + i] = m0[i * n + j];
        weights.set('layer1.W', w1).set('layer1.b', new Float32Array(n)).set('output.W', w2).set('output.b', Float32Array.from(bias));
        const params = tensors(plan, weights);
        const a = Float32Array.from([1, 2, 3, 2, 4, 6, 0, 1, 1]);
        const lm = measureLearnedMap(plan, tfPredict(plan, params, 'ops'), a)!;
        lm.map.values.forEach((v, e) => expect(v).toBeCloseTo(m0[e], 5));
        expect(lm.offset).toBeCloseTo(Math.hypot(...bias), 5);
        expect(lm.targetSingularValues.filter(s => s > 1e-6 * lm.targetSingularValues[0])).toHaveLength(2);
        Object.values(params).forEach(t => t.dispose());
    });

    test('the figure draws sigma(M) beside sigma(T) on a log y axis; the table gives the Eckart-Young bound below the target rank', () => {
        const lm = {
            map: { name: 'M', shape: [3, 3], values: [] },
            offset: 0,
            singularValues: [4, 2, 1e-7],
            targetSingularValues: [4, 2, 1],
            relativeError: 0.25,
            numericalRank: 2,
            rankTolerance: 4e-6,
        };
        const spec = learnedMapFigure(lm) as {
            data: { values: { series: string; x: number }[] };
            layer: { encoding: { y: { scale: object } } }[];
        };
        expect(new Set(spec.data.values.map(v => v.series))).toEqual(new Set(['learned map M', 'target T (A for matvec)']));
        expect(spec.layer.at(-1)!.encoding.y.scale).toEqual({ type: 'log' });
        expect(
            learnedMapRows([
                {
                    params: {},
                    metrics: { mse: 0, rmse: 0, maxAbsError: 0, relError: 0 },
                    evaluations: [],
                    steps: 1,
                    stopped: 'steps',
                    wallMs: 1,
                    stepsPerSecond: 1,
                    lossCurve: [],
                    architecture: 'mlp',
                    parameterCount: 1419,
                    learnedMap: lm,
                },
            ]),
        ).toEqual([['0', 'mlp', '1,419', '2', '3', '0.25', '0.25']]);
    });

    test('a linear network on one fixed A gets a learned map; with relu, or with A drawn per sample, none', async () => {
        const base = { operation: { size: 4, sparsity: 0, entries: NORMAL, rank: 2 }, experiment: { steps: 30, pool: 1 } };
        const linear = await runExperiment(makePlan({ ...base, network: mlp([4]) }), { backend: 'cpu' });
        expect(linear.learnedMap?.singularValues).toHaveLength(4);
        expect(linear.architecture).toBe('mlp');
        expect(linear.parameterCount).toBe(20 * 4 + 4 + 4 * 4 + 4);
        const relu = await runExperiment(makePlan({ ...base, network: mlp([4], 'relu') }), { backend: 'cpu' });
        expect(relu.learnedMap).toBeUndefined();
        const fresh = await runExperiment(makePlan({ ...base, network: mlp([4]), experiment: { steps: 30 } }), { backend: 'cpu' });
        expect(fresh.learnedMap).toBeUndefined();
        // an EMN on one fixed A has its map too (no offset: it has no biases)
        const emn = await runExperiment(makePlan({ ...base, network: { width: 1, depth: 1 } }), { backend: 'cpu' });
        expect(emn.learnedMap?.offset).toBe(0);
    }, 60_000);
});
