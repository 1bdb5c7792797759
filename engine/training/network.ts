// The EMN's batched forward pass and loss in tfjs ops (or the fused kernel); shapes and layouts are in network-layout.ts.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { Batch } from './sampling.js';
import { emnForward } from './fused-ops.js';
import type { KernelName } from './kernel-registry.js';
import { dims } from './network-layout.js';
import { tf } from './tf.js';

export { batchLayout, initialWeights, type ParamSpec, paramSpecs } from './network-layout.js';

/*
 * Internal layouts (chosen so every layer is one batched matMul over clusters, no loops over clusters or samples):
 *   activations h: [n, B, w] (cluster-major) for masking and pruned layers; [B, n*w] for dense layers (unit i*w + c)
 *   mask1.W  [n, n, w]    (i, j, c)        h1 = ax [n, B, n] @ W          ax[i][b][j] = A_b[i][j] x_b[j]
 *   mask1.S  [n, 1, w]    (i, 0, c)        + x [n, B, 1] @ S              (skip channel, when the plan has one)
 *   maskM.W  [n, n*w, w]  (i, (j, c'), c)  hm = (A [n,B,n,1] * h^T [B,n,w]) reshaped [n, B, n*w] @ W
 *   maskM.S  [n, w, w]    (i, c', c)       + h [n, B, w] @ S
 *   hiddenL.W rowwise [n, w, w] (i, c', c); dense [n*w, n*w] (in, out)
 *   output.W rowwise [n, w, 1] -> yhat [n, B]; dense [n*w, n] -> yhat [B, n]
 * Published layouts (results, docs/method.md order): mask1.W [n, w, n] = W1[i][c][j]; maskM.W [n, w, n, w] = W[i][c][j][c'];
 * skips [n, w, w_in] = S[i][c][c']; hidden rowwise [n, w, w] = W[i][c][c']; dense [out, in]; output rowwise [n, w],
 * dense [n, n*w].
 */

export type Params = Record<string, tf.Tensor>;

export interface BatchTensors {
    ax: tf.Tensor3D;
    a?: tf.Tensor4D;
    x?: tf.Tensor3D;
    y: tf.Tensor2D;
}

function activate(plan: CompiledPlan, h: tf.Tensor): tf.Tensor {
    switch (plan.network.activation) {
        case 'none':
            return h;
        case 'relu':
            return tf.relu(h);
        case 'tanh':
            return tf.tanh(h);
    }
}

/**
 * Shared weights (one set for every cluster and input position, internal layouts with n = 1): the masked layer sees
 * only the gated sum (A x)_i, so every layer is a matMul over the n * B rows; n is the batch's own, any size.
 *   h1 = (A x) [n*B, 1] @ W1 [1, w];  hm = (sum_j A_ij h[j]) [n*B, w] @ W [w, w];  hidden: h @ W;  yhat = h @ Wout [w, 1]
 */
function forwardShared(plan: CompiledPlan, p: Params, input: BatchTensors): tf.Tensor2D {
    const { w, k, d } = dims(plan);
    const [n, B] = input.ax.shape;
    const rows = (t: tf.Tensor, cols: number) => tf.reshape<tf.Rank.R2>(t, [n * B, cols]);
    const square = (name: string) => tf.reshape<tf.Rank.R2>(p[name], [w, w]);
    let h: tf.Tensor2D = tf.matMul(rows(tf.sum(input.ax, 2), 1), tf.reshape<tf.Rank.R2>(p['mask1.W'], [1, w]));
    if (plan.skipChannels) h = tf.add(h, tf.matMul(rows(input.x!, 1), tf.reshape<tf.Rank.R2>(p['mask1.S'], [1, w])));
    h = activate(plan, h) as tf.Tensor2D;
    for (let m = 2; m <= k; m++) {
        // sum_j A_b[i][j] h[j][b][c']: the messages summed before the one shared W
        const h3 = tf.reshape<tf.Rank.R3>(h, [n, B, w]);
        const aggregated = tf.sum(tf.mul(input.a!, tf.transpose(h3, [1, 0, 2])), 2);
        let next: tf.Tensor2D = tf.matMul(rows(aggregated, w), square(`mask${m}.W`));
        if (plan.skipChannels) next = tf.add(next, tf.matMul(h, square(`mask${m}.S`)));
        h = activate(plan, next) as tf.Tensor2D;
    }
    for (let l = 2; l <= d; l++) h = activate(plan, tf.matMul(h, square(`hidden${l}.W`))) as tf.Tensor2D;
    return tf.reshape(tf.matMul(h, tf.reshape<tf.Rank.R2>(p['output.W'], [w, 1])), [n, B]);
}

/**
 * `architecture mlp` (compile-mlp.ts): z = [vec(A), x] per sample ([B, n^2 + n], A row-major), then
 * h = act(h @ W + b) per hidden layer and yhat = h @ Wout + bout, [B, n].
 */
function forwardMlp(plan: CompiledPlan, p: Params, input: BatchTensors): tf.Tensor2D {
    const [n, B] = input.ax.shape;
    const a = tf.reshape<tf.Rank.R2>(tf.transpose(tf.reshape(input.a!, [n, B, n]), [1, 0, 2]), [B, n * n]);
    const x = tf.transpose(tf.reshape<tf.Rank.R2>(input.x!, [n, B]));
    let h: tf.Tensor2D = tf.concat([a, x], 1);
    for (const layer of plan.layers) {
        const z = tf.add(tf.matMul(h, p[`${layer.name}.W`] as tf.Tensor2D), p[`${layer.name}.b`]);
        h = (layer.activation === 'none' ? z : activate(plan, z)) as tf.Tensor2D;
    }
    return h;
}

/** yhat for a batch: [n, B] (rowwise) or [B, n] (dense, MLP). Call inside tf.tidy. */
/** `kernel`: the one chosen for the point (kernel-registry.ts); a SIMD point evaluates on the fused kernels. */
export function forward(plan: CompiledPlan, p: Params, input: BatchTensors, kernel: KernelName): tf.Tensor2D {
    const { n, w, k, d, rowwise, shared } = dims(plan);
    if (plan.network.architecture === 'mlp') return forwardMlp(plan, p, input);
    if (shared) return forwardShared(plan, p, input);
    const B = input.ax.shape[1];
    if (kernel !== 'ops') {
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
export function mseLoss(plan: CompiledPlan, p: Params, input: BatchTensors, kernel: KernelName): tf.Scalar {
    return tf.mean(tf.squaredDifference(forward(plan, p, input, kernel), input.y));
}

/** Uploads a packed batch (call inside tf.tidy so the tensors go with the step). */
export function batchTensors(plan: CompiledPlan, batch: Batch): BatchTensors {
    const { rowwise } = dims(plan);
    // the batch's own n: an evaluation at another size than the training size (shared weights) packs its own
    const B = batch.size,
        n = Math.round(Math.sqrt(batch.ax.length / B));
    return {
        ax: tf.tensor3d(batch.ax, [n, B, n]),
        ...(batch.a ? { a: tf.tensor4d(batch.a, [n, B, n, 1]) } : {}),
        ...(batch.x ? { x: tf.tensor3d(batch.x, [n, B, 1]) } : {}),
        y: tf.tensor2d(batch.y, rowwise ? [n, B] : [B, n]),
    };
}
