// Effective path weights E of a linear network with one masking layer: yhat[i] = sum_j A[i][j] E[i][j] x[j].
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { WeightTensor } from '../results/result-types.js';
import { dims } from './network-layout.js';

export interface PathWeights {
    /** E [n, n] (dense: own-row paths E[i][i][j]). */
    e: WeightTensor;
    /** mean |E - target| when the target is c1 A x (over `support` when given); undefined otherwise. */
    error?: number;
    /** How many (i, j) the error averages over when it is A's support (a fixed A or a pool); absent: all n². */
    supportSize?: number;
    /** Dense only: mean over i, i' != i, j of |E[i][i'][j]|, the weight output i gives to row i' of A (0 for rowwise). */
    leak?: number;
}

/**
 * E[i][j] = Wout[i] . W_d[i] ... W_2[i] . W1[i][:, j] (docs/method.md), from the internal weights.
 * Dense baseline: output i also reaches masked units of other rows, so the full map is E[i][i'][j];
 * we report the own-row slice as E and the rest as `leak`. Undefined (returns undefined) with a non-linear
 * activation or several masking layers, where no single E describes the network.
 */
export function pathWeights(plan: CompiledPlan, weights: Map<string, Float32Array>, support?: Uint8Array): PathWeights | undefined {
    if (plan.pathWeights === 'none') return undefined;
    const { n, w, d, rowwise, shared } = dims(plan);
    const w1 = weights.get('mask1.W')!; // [i, j, c]
    const e = new Float64Array(n * n);
    let leakSum = 0;
    if (rowwise) {
        // shared weights: every cluster and input position reads index 0 (E is one number, the same for every i, j)
        const pn = shared ? 1 : n;
        for (let i = 0; i < n; i++) {
            const wi = shared ? 0 : i;
            // v[c] = Wout[i][c], then v <- v . W_l[i] for l = d..2 (internal W_l[i][c'][c]: c' in, c out)
            let v = Float64Array.from(weights.get('output.W')!.subarray(wi * w, wi * w + w));
            for (let l = d; l >= 2; l--) {
                const wl = weights.get(`hidden${l}.W`)!;
                const next = new Float64Array(w);
                for (let ci = 0; ci < w; ci++) {
                    let s = 0;
                    for (let c = 0; c < w; c++) s += wl[(wi * w + ci) * w + c] * v[c];
                    next[ci] = s;
                }
                v = next;
            }
            for (let j = 0; j < n; j++) {
                let s = 0;
                for (let c = 0; c < w; c++) s += v[c] * w1[(wi * pn + (shared ? 0 : j)) * w + c];
                e[i * n + j] = s;
            }
        }
    } else {
        const u = n * w;
        const wout = weights.get('output.W')!; // [unit, r]
        for (let r = 0; r < n; r++) {
            let v = new Float64Array(u);
            for (let k = 0; k < u; k++) v[k] = wout[k * n + r];
            for (let l = d; l >= 2; l--) {
                const wl = weights.get(`hidden${l}.W`)!; // [in, out]
                const next = new Float64Array(u);
                for (let ki = 0; ki < u; ki++) {
                    let s = 0;
                    for (let ko = 0; ko < u; ko++) s += wl[ki * u + ko] * v[ko];
                    next[ki] = s;
                }
                v = next;
            }
            for (let i2 = 0; i2 < n; i2++)
                for (let j = 0; j < n; j++) {
                    let s = 0;
                    for (let c = 0; c < w; c++) s += v[i2 * w + c] * w1[(i2 * n + j) * w + c];
                    if (i2 === r) e[r * n + j] = s;
                    else leakSum += Math.abs(s);
                }
        }
    }
    const target = plan.pathWeightTarget;
    let error: number | undefined;
    let supportSize: number | undefined;
    if (target !== undefined) {
        // a fixed A or a pool: only the edges training saw carry a learned E (the others never had a gradient)
        let s = 0,
            count = 0;
        for (let k = 0; k < e.length; k++) {
            if (support && !support[k]) continue;
            s += Math.abs(e[k] - target);
            count++;
        }
        error = count > 0 ? s / count : 0;
        if (support) supportSize = count;
    }
    return {
        e: { name: 'E', shape: [n, n], values: Array.from(e) },
        ...(error !== undefined ? { error } : {}),
        ...(supportSize !== undefined ? { supportSize } : {}),
        ...(rowwise ? {} : { leak: n > 1 ? leakSum / (n * (n - 1) * n) : 0 }),
    };
}
