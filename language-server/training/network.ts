// Builds the EMN from a plan: weight initialisation, the batched forward pass and the weights in their published layout.
import type { CompiledPlan, LayerPlan } from '../compiler/plan-types.js';
import type { WeightTensor } from '../results/result-types.js';
import type { Batch } from './sampling.js';
import { emnForward, fusedApplies, type KernelMode, kernelMode } from './fused-ops.js';
import { Rng } from './prng.js';
import { tf } from './tf.js';

/*
 * Internal layouts (chosen so every layer is one batched matMul over clusters, no loops over clusters or samples):
 *   activations h: [n, B, w] (cluster-major) for masking and pruned layers; [B, n*w] for dense layers (unit i*w + c)
 *   mask1.W  [n, n, w]    (i, j, c)        h1 = ax [n, B, n] @ W          ax[i][b][j] = A_b[i][j] x_b[j]
 *   mask1.S  [n, 1, w]    (i, 0, c)        + x [n, B, 1] @ S              (skip channel, when the plan has one)
 *   maskM.W  [n, n*w, w]  (i, (j, c'), c)  hm = (A [n,B,n,1] * h^T [B,n,w]) reshaped [n, B, n*w] @ W
 *   maskM.S  [n, w, w]    (i, c', c)       + h [n, B, w] @ S
 *   hiddenL.W rowwise [n, w, w] (i, c', c); dense [n*w, n*w] (in, out)
 *   output.W rowwise [n, w, 1] -> yhat [n, B]; dense [n*w, n] -> yhat [B, n]
 * Published layouts (results, method.md order): mask1.W [n, w, n] = W1[i][c][j]; maskM.W [n, w, n, w] = W[i][c][j][c'];
 * skips [n, w, w_in] = S[i][c][c']; hidden rowwise [n, w, w] = W[i][c][c']; dense [out, in]; output rowwise [n, w],
 * dense [n, n*w].
 */

export interface ParamSpec {
    /** e.g. 'mask1.W' */
    name: string;
    layer: LayerPlan;
    internalShape: number[];
    /** Standard deviation of the normal initialisation. */
    initStd: number;
}

export type Params = Record<string, tf.Tensor>;

export interface BatchTensors {
    ax: tf.Tensor3D;
    a?: tf.Tensor4D;
    x?: tf.Tensor3D;
    y: tf.Tensor2D;
}

export function dims(plan: CompiledPlan) {
    return { n: plan.operation.n, w: plan.network.width, k: plan.network.masking, d: plan.network.depth, rowwise: plan.network.pruning === 'rowwise' };
}

/**
 * The weights of a plan, with their initialisation. Init (ours): zero-mean normal with variance 1/fan-in for every
 * layer after the first (fan-in w within a cluster, n*w for dense layers, w_in for skips), and variance 1 for the
 * masked layer W1: then each effective path weight E[i][j] = Wout[i] . W_d[i] ... W1[i][:, j] starts with variance
 * about 1, the scale of its target E = 1, so no layer starts vanishing or exploding and E = 1 is a short walk away.
 */
export function paramSpecs(plan: CompiledPlan): ParamSpec[] {
    const { n, w, rowwise } = dims(plan);
    const specs: ParamSpec[] = [];
    for (const layer of plan.layers) {
        switch (layer.kind) {
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
                specs.push(rowwise
                    ? { name: `${layer.name}.W`, layer, internalShape: [n, w, 1], initStd: 1 / Math.sqrt(w) }
                    : { name: `${layer.name}.W`, layer, internalShape: [n * w, n], initStd: 1 / Math.sqrt(n * w) });
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

function activate(plan: CompiledPlan, h: tf.Tensor): tf.Tensor {
    switch (plan.network.activation) {
        case 'none': return h;
        case 'relu': return tf.relu(h);
        case 'tanh': return tf.tanh(h);
    }
}

/** yhat for a batch: [n, B] (rowwise) or [B, n] (dense). Call inside tf.tidy. */
export function forward(plan: CompiledPlan, p: Params, input: BatchTensors, kernels: KernelMode = kernelMode()): tf.Tensor2D {
    const { n, w, k, d, rowwise } = dims(plan);
    const B = input.ax.shape[1];
    if (fusedApplies(plan, kernels)) {
        // the project's own kernel (fused-ops.ts): same network, one op instead of d + 2 matMuls and reshapes
        const weights = [p['mask1.W'], ...Array.from({ length: d - 1 }, (_, l) => p[`hidden${l + 2}.W`]), p['output.W']];
        return emnForward(plan, input.ax, weights);
    }
    let h: tf.Tensor = tf.matMul(input.ax, p['mask1.W']);
    if (plan.skipChannels) h = tf.add(h, tf.matMul(input.x!, p['mask1.S'] as tf.Tensor3D));
    h = activate(plan, h);
    for (let m = 2; m <= k; m++) {
        // messages[i][b][j][c'] = A_b[i][j] * h[j][b][c']: cluster j reaches cluster i only through edge A[i][j]
        const messages = tf.mul(input.a!, tf.transpose(h, [1, 0, 2]));
        let next: tf.Tensor = tf.matMul(tf.reshape<tf.Rank.R3>(messages, [n, B, n * w]), p[`mask${m}.W`]);
        if (plan.skipChannels) next = tf.add(next, tf.matMul(h as tf.Tensor3D, p[`mask${m}.S`] as tf.Tensor3D));
        h = activate(plan, next);
    }
    if (rowwise) {
        for (let l = 2; l <= d; l++) h = activate(plan, tf.matMul(h, p[`hidden${l}.W`]));
        return tf.reshape(tf.matMul(h as tf.Tensor3D, p['output.W'] as tf.Tensor3D), [n, B]);
    }
    let u: tf.Tensor = tf.reshape(tf.transpose(h, [1, 0, 2]), [B, n * w]);
    for (let l = 2; l <= d; l++) u = activate(plan, tf.matMul(u, p[`hidden${l}.W`]));
    return tf.matMul(u, p['output.W']);
}

/** Mean squared error over the batch and the n outputs. Call inside tf.tidy. */
export function mseLoss(plan: CompiledPlan, p: Params, input: BatchTensors, kernels: KernelMode = kernelMode()): tf.Scalar {
    return tf.mean(tf.squaredDifference(forward(plan, p, input, kernels), input.y));
}

/** Uploads a packed batch (call inside tf.tidy so the tensors go with the step). */
export function batchTensors(plan: CompiledPlan, batch: Batch): BatchTensors {
    const { n, rowwise } = dims(plan);
    const B = batch.size;
    return {
        ax: tf.tensor3d(batch.ax, [n, B, n]),
        ...(batch.a ? { a: tf.tensor4d(batch.a, [n, B, n, 1]) } : {}),
        ...(batch.x ? { x: tf.tensor3d(batch.x, [n, B, 1]) } : {}),
        y: tf.tensor2d(batch.y, rowwise ? [n, B] : [B, n]),
    };
}

/** Batch layout the plan's network reads. */
export function batchLayout(plan: CompiledPlan) {
    const { n, k, rowwise } = dims(plan);
    return { n, needA: k > 1, needX: plan.skipChannels, yBatchMajor: !rowwise };
}

/** Converts one internal weight array to its published layout (method.md index order). */
export function publishWeight(plan: CompiledPlan, name: string, v: Float32Array): WeightTensor {
    const { n, w, rowwise } = dims(plan);
    const [layer, kind] = name.split('.');
    const lp = plan.layers.find(l => l.name === layer)!;
    const out = new Array<number>(v.length);
    let shape: number[];
    if (kind === 'S') {
        const wIn = lp.kind === 'masked' ? 1 : w;
        shape = [n, w, wIn];
        // internal [i, c', c] -> published [i, c, c']
        for (let i = 0; i < n; i++) for (let c = 0; c < w; c++) for (let ci = 0; ci < wIn; ci++) {
            out[(i * w + c) * wIn + ci] = v[(i * wIn + ci) * w + c];
        }
    } else if (lp.kind === 'masked') {
        shape = [n, w, n];
        for (let i = 0; i < n; i++) for (let c = 0; c < w; c++) for (let j = 0; j < n; j++) {
            out[(i * w + c) * n + j] = v[(i * n + j) * w + c];
        }
    } else if (lp.kind === 'message-passing') {
        shape = [n, w, n, w];
        for (let i = 0; i < n; i++) for (let c = 0; c < w; c++) for (let j = 0; j < n; j++) for (let ci = 0; ci < w; ci++) {
            out[((i * w + c) * n + j) * w + ci] = v[(i * n * w + j * w + ci) * w + c];
        }
    } else if (lp.kind === 'pruned') {
        shape = [n, w, w];
        for (let i = 0; i < n; i++) for (let c = 0; c < w; c++) for (let ci = 0; ci < w; ci++) {
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
