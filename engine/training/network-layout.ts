// The EMN's weights without tfjs: their shapes and seeded initialisation, the batch layout, the published weight layouts.
import type { CompiledPlan, LayerPlan } from '../compiler/plan-types.js';
import type { WeightTensor } from '../results/result-types.js';
import { Rng } from './rng.js';

export interface ParamSpec {
    /** e.g. 'mask1.W' */
    name: string;
    layer: LayerPlan;
    internalShape: number[];
    /** Standard deviation of the normal initialisation. */
    initStd: number;
}

/** The plan's sizes; `pn` is the n of the weights: n per-edge, 1 shared (one set for every cluster and input position). */
export function dims(plan: CompiledPlan) {
    const shared = plan.network.weights === 'shared';
    return {
        n: plan.operation.n,
        w: plan.network.width,
        k: plan.network.masking,
        d: plan.network.depth,
        rowwise: plan.network.pruning === 'rowwise',
        shared,
        pn: shared ? 1 : plan.operation.n,
    };
}

/**
 * The weights of a plan, with their initialisation. Init (ours): zero-mean normal with variance 1/fan-in for every
 * layer after the first (fan-in w within a cluster, n*w for dense layers, w_in for skips), and variance 1 for the
 * masked layer W1: then each effective path weight E[i][j] = Wout[i] . W_d[i] ... W1[i][:, j] starts with variance
 * about 1, the scale of its target E = 1, so no layer starts vanishing or exploding and E = 1 is a short walk away.
 */
export function paramSpecs(plan: CompiledPlan): ParamSpec[] {
    // shared weights have the per-edge layouts with n = 1: one cluster, one input position, broadcast at run time
    const { pn: n, w, rowwise } = dims(plan);
    const specs: ParamSpec[] = [];
    for (const layer of plan.layers) {
        switch (layer.kind) {
            // MLP (compile-mlp.ts): W [in, out] with variance 1/fan-in, biases from zero
            case 'fully-connected': {
                const [input] = layer.inputShape,
                    [out] = layer.outputShape;
                specs.push({ name: `${layer.name}.W`, layer, internalShape: [input, out], initStd: 1 / Math.sqrt(input) });
                specs.push({ name: `${layer.name}.b`, layer, internalShape: [out], initStd: 0 });
                break;
            }
            case 'masked':
                specs.push({ name: `${layer.name}.W`, layer, internalShape: [n, n, w], initStd: 1 });
                if (layer.skipShape) specs.push({ name: `${layer.name}.S`, layer, internalShape: [n, 1, w], initStd: 1 });
                break;
            case 'message-passing':
                specs.push({ name: `${layer.name}.W`, layer, internalShape: [n, n * w, w], initStd: 1 / Math.sqrt(w) });
                if (layer.skipShape) specs.push({ name: `${layer.name}.S`, layer, internalShape: [n, w, w], initStd: 1 / Math.sqrt(w) });
                break;
            case 'pruned':
                specs.push({ name: `${layer.name}.W`, layer, internalShape: [n, w, w], initStd: 1 / Math.sqrt(w) });
                break;
            case 'dense':
                specs.push({ name: `${layer.name}.W`, layer, internalShape: [n * w, n * w], initStd: 1 / Math.sqrt(n * w) });
                break;
            case 'output':
                specs.push(
                    rowwise
                        ? { name: `${layer.name}.W`, layer, internalShape: [n, w, 1], initStd: 1 / Math.sqrt(w) }
                        : { name: `${layer.name}.W`, layer, internalShape: [n * w, n], initStd: 1 / Math.sqrt(n * w) },
                );
                break;
        }
    }
    return specs;
}

/** Seeded initial weights (internal layouts), as plain arrays: the same plan gives the same numbers. */
export function initialWeights(plan: CompiledPlan): Map<string, Float32Array> {
    const rng = new Rng(plan.seeds.weights);
    const out = new Map<string, Float32Array>();
    for (const p of paramSpecs(plan)) {
        const values = new Float32Array(p.internalShape.reduce((a, b) => a * b, 1));
        for (let e = 0; e < values.length; e++) values[e] = p.initStd * rng.normal();
        out.set(p.name, values);
    }
    return out;
}

/** Batch layout the plan's network reads. */
export function batchLayout(plan: CompiledPlan) {
    const { n, k, rowwise } = dims(plan);
    // an MLP reads A and x themselves ([vec(A), x]) and answers [B, n]
    if (plan.network.architecture === 'mlp') return { n, needA: true, needX: true, yBatchMajor: true };
    return { n, needA: k > 1, needX: plan.skipChannels, yBatchMajor: !rowwise };
}

/** Converts one internal weight array to its published layout (docs/method.md index order). */
export function publishWeight(plan: CompiledPlan, name: string, v: Float32Array): WeightTensor {
    const { pn: n, w, rowwise } = dims(plan);
    const [layer, kind] = name.split('.');
    const lp = plan.layers.find(l => l.name === layer)!;
    const out = new Array<number>(v.length);
    let shape: number[];
    if (lp.kind === 'fully-connected') {
        if (kind === 'b') return { name, shape: [v.length], values: Array.from(v) };
        // internal [in, out] -> published [out, in]
        const [input] = lp.inputShape,
            [units] = lp.outputShape;
        for (let o = 0; o < units; o++) for (let i = 0; i < input; i++) out[o * input + i] = v[i * units + o];
        return { name, shape: [units, input], values: out };
    }
    if (kind === 'S') {
        const wIn = lp.kind === 'masked' ? 1 : w;
        shape = [n, w, wIn];
        // internal [i, c', c] -> published [i, c, c']
        for (let i = 0; i < n; i++)
            for (let c = 0; c < w; c++)
                for (let ci = 0; ci < wIn; ci++) {
                    out[(i * w + c) * wIn + ci] = v[(i * wIn + ci) * w + c];
                }
    } else if (lp.kind === 'masked') {
        shape = [n, w, n];
        for (let i = 0; i < n; i++)
            for (let c = 0; c < w; c++)
                for (let j = 0; j < n; j++) {
                    out[(i * w + c) * n + j] = v[(i * n + j) * w + c];
                }
    } else if (lp.kind === 'message-passing') {
        shape = [n, w, n, w];
        for (let i = 0; i < n; i++)
            for (let c = 0; c < w; c++)
                for (let j = 0; j < n; j++)
                    for (let ci = 0; ci < w; ci++) {
                        out[((i * w + c) * n + j) * w + ci] = v[(i * n * w + j * w + ci) * w + c];
                    }
    } else if (lp.kind === 'pruned') {
        shape = [n, w, w];
        for (let i = 0; i < n; i++)
            for (let c = 0; c < w; c++)
                for (let ci = 0; ci < w; ci++) {
                    out[(i * w + c) * w + ci] = v[(i * w + ci) * w + c];
                }
    } else if (lp.kind === 'dense') {
        const u = n * w;
        shape = [u, u];
        for (let o = 0; o < u; o++) for (let ii = 0; ii < u; ii++) out[o * u + ii] = v[ii * u + o];
    } else if (rowwise) {
        shape = [n, w];
        for (let e = 0; e < v.length; e++) out[e] = v[e];
    } else {
        const u = n * w;
        shape = [n, u];
        for (let r = 0; r < n; r++) for (let ii = 0; ii < u; ii++) out[r * u + ii] = v[ii * n + r];
    }
    return { name, shape, values: out };
}
