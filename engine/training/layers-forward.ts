// The rowwise EMN with k masking layers and skip channels as plain loops on a packed batch: what a SIMD layers run evaluates with.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { Predict } from './evaluate-set.js';
import { dims } from './network-layout.js';
import type { Batch } from './sampling.js';

function act(kind: string, z: number): number {
    return kind === 'relu' ? (z > 0 ? z : 0) : kind === 'tanh' ? Math.tanh(z) : z;
}

/**
 * yhat [n, B] (rowwise; dense [B, n]) of `batch` (ax [n, B, n], a [n, B, n] with message passing, x [n, B] with skips) for weights in their
 * internal layouts (network.ts), summed in float64: the same network as the ops graph's forward, without tfjs.
 */
export function layersForward(plan: CompiledPlan, weights: Map<string, Float32Array>, batch: Batch): Float32Array {
    const { n, w, k, d, rowwise } = dims(plan);
    const B = batch.size,
        kind = plan.network.activation;
    const W1 = weights.get('mask1.W')!,
        S1 = weights.get('mask1.S');
    // activations [n, B, w] (i, b, c)
    let h = new Float64Array(n * B * w);
    for (let i = 0; i < n; i++)
        for (let b = 0; b < B; b++) {
            const ax = (i * B + b) * n;
            for (let c = 0; c < w; c++) {
                let z = 0;
                for (let j = 0; j < n; j++) z += batch.ax[ax + j] * W1[(i * n + j) * w + c];
                if (S1) z += batch.x![i * B + b] * S1[i * w + c];
                h[(i * B + b) * w + c] = act(kind, z);
            }
        }
    for (let m = 2; m <= k; m++) {
        const Wm = weights.get(`mask${m}.W`)!,
            Sm = weights.get(`mask${m}.S`),
            next = new Float64Array(n * B * w);
        for (let i = 0; i < n; i++)
            for (let b = 0; b < B; b++) {
                const row = (i * B + b) * n,
                    out = (i * B + b) * w;
                for (let j = 0; j < n; j++) {
                    const a = batch.a![row + j];
                    if (a === 0) continue;
                    for (let cp = 0; cp < w; cp++) {
                        const v = a * h[(j * B + b) * w + cp],
                            wr = ((i * n + j) * w + cp) * w;
                        for (let c = 0; c < w; c++) next[out + c] += v * Wm[wr + c];
                    }
                }
                if (Sm)
                    for (let cp = 0; cp < w; cp++)
                        for (let c = 0; c < w; c++) next[out + c] += h[(i * B + b) * w + cp] * Sm[(i * w + cp) * w + c];
                for (let c = 0; c < w; c++) next[out + c] = act(kind, next[out + c]);
            }
        h = next;
    }
    if (!rowwise) return denseForward(plan, weights, h, B);
    for (let l = 2; l <= d; l++) {
        const Wl = weights.get(`hidden${l}.W`)!,
            next = new Float64Array(n * B * w);
        for (let i = 0; i < n; i++)
            for (let b = 0; b < B; b++) {
                const out = (i * B + b) * w;
                for (let c = 0; c < w; c++) {
                    let z = 0;
                    for (let cp = 0; cp < w; cp++) z += h[out + cp] * Wl[(i * w + cp) * w + c];
                    next[out + c] = act(kind, z);
                }
            }
        h = next;
    }
    const Wout = weights.get('output.W')!,
        yhat = new Float32Array(n * B);
    for (let i = 0; i < n; i++)
        for (let b = 0; b < B; b++) {
            let z = 0;
            for (let c = 0; c < w; c++) z += h[(i * B + b) * w + c] * Wout[i * w + c];
            yhat[i * B + b] = z;
        }
    return yhat;
}

/** The dense layers of pruning none on the units h [n, B, w] of the last masking layer: yhat [B, n]. */
function denseForward(plan: CompiledPlan, weights: Map<string, Float32Array>, h: Float64Array, B: number): Float32Array {
    const { n, w, d } = dims(plan),
        U = n * w,
        kind = plan.network.activation;
    // u [B, U]: unit i w + c
    let u = new Float64Array(B * U);
    for (let i = 0; i < n; i++) for (let b = 0; b < B; b++) for (let c = 0; c < w; c++) u[b * U + i * w + c] = h[(i * B + b) * w + c];
    for (let l = 2; l <= d; l++) {
        const Wl = weights.get(`hidden${l}.W`)!,
            next = new Float64Array(B * U);
        for (let b = 0; b < B; b++)
            for (let o = 0; o < U; o++) {
                let z = 0;
                for (let e = 0; e < U; e++) z += u[b * U + e] * Wl[e * U + o];
                next[b * U + o] = act(kind, z);
            }
        u = next;
    }
    const Wout = weights.get('output.W')!,
        yhat = new Float32Array(B * n);
    for (let b = 0; b < B; b++)
        for (let r = 0; r < n; r++) {
            let z = 0;
            for (let e = 0; e < U; e++) z += u[b * U + e] * Wout[e * n + r];
            yhat[b * n + r] = z;
        }
    return yhat;
}

/** layersForward as the evaluation's Predict. */
export function layersPredict(plan: CompiledPlan, weights: Map<string, Float32Array>): Predict {
    return batch => layersForward(plan, weights, batch);
}
