// The rowwise EMN (one masking layer) as plain Float32Array loops: forward, backward and fused SGD/Adam steps.
import type { Activation, OptimizerSpec } from '../spec/spec-types.js';

/*
 * Layouts are the engine's internal ones (network.ts): ax [n, B, n], W1 [n, n, w] (i, j, c), hidden [n, w, w]
 * (i, c', c), output [n, w, 1], yhat and y [n, B]. Cluster i only ever reads row i of every tensor, so everything
 * (forward, backward, the optimiser update of cluster i's weights) runs one cluster at a time with its activations
 * in a few kB of scratch. Sums are accumulated in float64 and stored as float32.
 * Why not tfjs ops: at n <= 20 a step is bound by tfjs's per-op cost (about 10 us x 34 ops); at n = 50 wasm's batched
 * matMul is a plain loop. Here the masked layer also skips the zeros of A (half the products at sparsity 0.5).
 */

export interface RowwiseShape {
    n: number;
    B: number;
    w: number;
    /** Depth: the masked layer plus d - 1 pruned layers. */
    d: number;
    activation: Activation;
}

/** The spec's optimiser as one step applies it: SGD as written; Adam with its bias-corrected rate at that step. */
export type OptimizerStep =
    Extract<OptimizerSpec, { kind: 'sgd' }> | (Omit<Extract<OptimizerSpec, { kind: 'adam' }>, 'lr'> & { lrT: number });

/** Scratch for one cluster; reused across steps. */
export class RowwiseWorkspace {
    /** Post-activation units of layers 1..d, each [B, w]. */
    readonly acts: Float64Array[];
    readonly g: Float64Array;
    readonly gPrev: Float64Array;
    /** Indices of the non-zero entries of ax row (i, b), for the B rows of the current cluster. */
    readonly nzIdx: Int32Array;
    readonly nzCount: Int32Array;
    /** Gradient of one cluster's slice of every weight: W1 (n*w), hidden (w*w each), output (w). */
    readonly grads: Float64Array[];
    readonly dy: Float64Array;

    constructor(readonly s: RowwiseShape) {
        const { n, B, w, d } = s;
        this.acts = Array.from({ length: d }, () => new Float64Array(B * w));
        this.g = new Float64Array(B * w);
        this.gPrev = new Float64Array(B * w);
        this.nzIdx = new Int32Array(B * n);
        this.nzCount = new Int32Array(B);
        this.grads = [new Float64Array(n * w), ...Array.from({ length: d - 1 }, () => new Float64Array(w * w)), new Float64Array(w)];
        this.dy = new Float64Array(B);
    }

    private bits: Int32Array | undefined;
    /** ax's float bits as int32 (one view per buffer: creating it per cluster cost more than the work at n = 5). */
    bitsOf(ax: Float32Array): Int32Array {
        const v = this.bits;
        if (v && v.buffer === ax.buffer && v.byteOffset === ax.byteOffset && v.length === ax.length) return v;
        return (this.bits = new Int32Array(ax.buffer, ax.byteOffset, ax.length));
    }

    /** Size of one cluster's slice of weight p (0 = W1, 1..d-1 = hidden, d = output); cluster i starts at i * size. */
    sliceSize(p: number): number {
        const { n, w, d } = this.s;
        return p === 0 ? n * w : p === d ? w : w * w;
    }
}

function act(a: Activation, z: number): number {
    return a === 'relu' ? (z > 0 ? z : 0) : a === 'tanh' ? Math.tanh(z) : z;
}

/** d act / d z written in terms of the activation's output h. */
function actGrad(a: Activation, h: number): number {
    return a === 'relu' ? (h > 0 ? 1 : 0) : a === 'tanh' ? 1 - h * h : 1;
}

/** Forward pass of cluster i: fills ws.acts and yhat[b] (always a Float64Array: one array type keeps the JIT's code monomorphic). */
function forwardCluster(ws: RowwiseWorkspace, i: number, ax: Float32Array, W: Float32Array[], yhat: Float64Array): void {
    const { n, B, w, d, activation } = ws.s;
    const { nzIdx, nzCount } = ws;
    const W1 = W[0],
        h1 = ws.acts[0],
        axBits = ws.bitsOf(ax);
    for (let b = 0; b < B; b++) {
        // compact the row's non-zeros once (branch-free), reused by the backward pass
        const row = (i * B + b) * n,
            base = b * n;
        let cnt = 0;
        for (let j = 0; j < n; j++) {
            nzIdx[base + cnt] = j;
            // +1 when the float is not +-0, from its bits: integer ops only (a 50/50 branch mispredicts half the time;
            // this loop was 40% of the step with `v !== 0 ? 1 : 0`)
            cnt += ((axBits[row + j] & 0x7fffffff) + 0x7fffffff) >>> 31;
        }
        nzCount[b] = cnt;
        const o = b * w,
            wBase = i * n * w,
            end = base + cnt;
        if (w === 4) {
            // the default width, unrolled into registers (the generic loop below goes through memory: ~2x slower)
            let z0 = 0,
                z1 = 0,
                z2 = 0,
                z3 = 0;
            for (let k = base; k < end; k++) {
                const j = nzIdx[k],
                    v = ax[row + j],
                    p = wBase + j * 4;
                z0 += v * W1[p];
                z1 += v * W1[p + 1];
                z2 += v * W1[p + 2];
                z3 += v * W1[p + 3];
            }
            h1[o] = z0;
            h1[o + 1] = z1;
            h1[o + 2] = z2;
            h1[o + 3] = z3;
        } else {
            for (let c = 0; c < w; c++) h1[o + c] = 0;
            for (let k = base; k < end; k++) {
                const j = nzIdx[k],
                    v = ax[row + j],
                    p = wBase + j * w;
                for (let c = 0; c < w; c++) h1[o + c] += v * W1[p + c];
            }
        }
        if (activation !== 'none') for (let c = 0; c < w; c++) h1[o + c] = act(activation, h1[o + c]);
    }
    for (let l = 1; l < d; l++) {
        const Wl = W[l],
            prev = ws.acts[l - 1],
            h = ws.acts[l],
            wb = i * w * w;
        for (let b = 0; b < B; b++) {
            const o = b * w;
            for (let c = 0; c < w; c++) {
                let z = 0;
                for (let cp = 0; cp < w; cp++) z += prev[o + cp] * Wl[wb + cp * w + c];
                h[o + c] = act(activation, z);
            }
        }
    }
    const Wo = W[d],
        hd = ws.acts[d - 1];
    for (let b = 0; b < B; b++) {
        let z = 0;
        for (let c = 0; c < w; c++) z += hd[b * w + c] * Wo[i * w + c];
        yhat[b] = z;
    }
}

/** Backward pass of cluster i from ws.dy (d loss / d yhat[i][b]) after forwardCluster: fills ws.grads. */
function backwardCluster(ws: RowwiseWorkspace, i: number, ax: Float32Array, W: Float32Array[]): void {
    const { n, B, w, d, activation } = ws.s;
    const dy = ws.dy;
    let g = ws.g,
        gPrev = ws.gPrev;
    // output: yhat = hd . Wo
    const Wo = W[d],
        hd = ws.acts[d - 1],
        gWo = ws.grads[d];
    gWo.fill(0);
    for (let b = 0; b < B; b++) {
        for (let c = 0; c < w; c++) {
            gWo[c] += hd[b * w + c] * dy[b];
            g[b * w + c] = dy[b] * Wo[i * w + c];
        }
    }
    // g holds d loss / d h_l; turn it into d loss / d z_l, then go one layer down
    for (let l = d - 1; l >= 1; l--) {
        const h = ws.acts[l],
            prev = ws.acts[l - 1],
            Wl = W[l],
            gW = ws.grads[l],
            wb = i * w * w;
        gW.fill(0);
        for (let b = 0; b < B; b++) {
            const o = b * w;
            if (activation !== 'none') for (let c = 0; c < w; c++) g[o + c] *= actGrad(activation, h[o + c]);
            for (let cp = 0; cp < w; cp++) {
                let s = 0;
                const hp = prev[o + cp];
                for (let c = 0; c < w; c++) {
                    gW[cp * w + c] += hp * g[o + c];
                    s += g[o + c] * Wl[wb + cp * w + c];
                }
                gPrev[o + cp] = s;
            }
        }
        [g, gPrev] = [gPrev, g];
    }
    // masked layer: only the non-zero inputs of each row carry gradient (an edge muted by A gets exactly zero)
    const h1 = ws.acts[0],
        gW1 = ws.grads[0],
        { nzIdx, nzCount } = ws;
    gW1.fill(0);
    for (let b = 0; b < B; b++) {
        const o = b * w,
            base = b * n,
            end = base + nzCount[b],
            row = (i * B + b) * n;
        if (activation !== 'none') for (let c = 0; c < w; c++) g[o + c] *= actGrad(activation, h1[o + c]);
        if (w === 4) {
            const g0 = g[o],
                g1 = g[o + 1],
                g2 = g[o + 2],
                g3 = g[o + 3];
            for (let k = base; k < end; k++) {
                const j = nzIdx[k],
                    v = ax[row + j],
                    p = j * 4;
                gW1[p] += v * g0;
                gW1[p + 1] += v * g1;
                gW1[p + 2] += v * g2;
                gW1[p + 3] += v * g3;
            }
        } else {
            for (let k = base; k < end; k++) {
                const j = nzIdx[k],
                    v = ax[row + j],
                    p = j * w;
                for (let c = 0; c < w; c++) gW1[p + c] += v * g[o + c];
            }
        }
    }
}

/** yhat [n, B] for every cluster. */
export function forwardAll(ws: RowwiseWorkspace, ax: Float32Array, W: Float32Array[], yhat: Float32Array): void {
    const { n, B } = ws.s,
        row = new Float64Array(B);
    for (let i = 0; i < n; i++) {
        forwardCluster(ws, i, ax, W, row);
        yhat.set(row, i * B);
    }
}

/** Gradients of sum(dy * yhat) with respect to every weight (internal layouts), written into `out`. */
export function gradientsAll(ws: RowwiseWorkspace, ax: Float32Array, W: Float32Array[], dy: Float32Array, out: Float32Array[]): void {
    const { n, B } = ws.s;
    const scratch = new Float64Array(B);
    for (let i = 0; i < n; i++) {
        forwardCluster(ws, i, ax, W, scratch);
        for (let b = 0; b < B; b++) ws.dy[b] = dy[i * B + b];
        backwardCluster(ws, i, ax, W);
        for (let p = 0; p < W.length; p++) {
            const size = ws.sliceSize(p);
            out[p].set(ws.grads[p], i * size);
        }
    }
}

/**
 * One training step on the mean squared error: forward, backward and the optimiser update, cluster by cluster.
 * Reads W and slots, writes the updated values to newW and newSlots (SGD: [velocity per weight] or none;
 * Adam: [m per weight, v per weight]). Returns the loss of the batch before the update.
 */
export function trainStep(
    ws: RowwiseWorkspace,
    ax: Float32Array,
    y: Float32Array,
    W: Float32Array[],
    slots: Float32Array[],
    newW: Float32Array[],
    newSlots: Float32Array[],
    opt: OptimizerStep,
): number {
    const { n, B } = ws.s;
    const yhat = new Float64Array(B);
    const scale = 2 / (n * B);
    let sq = 0;
    for (let i = 0; i < n; i++) {
        forwardCluster(ws, i, ax, W, yhat);
        for (let b = 0; b < B; b++) {
            const err = yhat[b] - y[i * B + b];
            sq += err * err;
            ws.dy[b] = scale * err;
        }
        backwardCluster(ws, i, ax, W);
        for (let p = 0; p < W.length; p++) update(ws.grads[p], i * ws.sliceSize(p), p, W, slots, newW, newSlots, opt);
    }
    return sq / (n * B);
}

/** Optimiser update of one cluster's slice [off, off + g.length) of weight p (same formulas as optimizer.ts). */
function update(
    g: Float64Array,
    off: number,
    p: number,
    W: Float32Array[],
    slots: Float32Array[],
    newW: Float32Array[],
    newSlots: Float32Array[],
    opt: OptimizerStep,
): void {
    const w = W[p],
        nw = newW[p],
        len = g.length;
    if (opt.kind === 'sgd') {
        if (opt.momentum > 0) {
            const v = slots[p],
                nv = newSlots[p],
                m = opt.momentum,
                lr = opt.lr;
            for (let e = 0; e < len; e++) {
                const vel = Math.fround(m * v[off + e] + g[e]);
                nv[off + e] = vel;
                nw[off + e] = w[off + e] - lr * vel;
            }
        } else {
            for (let e = 0; e < len; e++) nw[off + e] = w[off + e] - opt.lr * g[e];
        }
        return;
    }
    const P = W.length,
        m = slots[p],
        v = slots[P + p],
        nm = newSlots[p],
        nv = newSlots[P + p];
    const { beta1, beta2, epsilon, lrT } = opt;
    for (let e = 0; e < len; e++) {
        const mm = Math.fround(beta1 * m[off + e] + (1 - beta1) * g[e]);
        const vv = Math.fround(beta2 * v[off + e] + (1 - beta2) * g[e] * g[e]);
        nm[off + e] = mm;
        nv[off + e] = vv;
        nw[off + e] = w[off + e] - (lrT * mm) / (Math.sqrt(vv) + epsilon);
    }
}
