// The learned map of a linear network on one fixed matrix A: M[:, j] = f(A, e_j) - f(A, 0), its singular values beside the
// target's, how far it is from the target, and its numerical rank (docs/results-format.md, docs/studies.md).
import type { CompiledPlan } from '../compiler/plan-types.js';
import { learnedMapReason } from '../compiler/fixed-matrix.js';
import type { LearnedMap } from '../results/result-types.js';
import type { Predict } from './evaluate-set.js';
import { batchLayout } from './network-layout.js';
import { BatchPacker, fixedMatrix, type Matrix } from './sampling.js';
import { spectralNorm, svd } from './svd.js';

/** Above this n the map is not measured: the SVD is O(n^3) per sweep and the map n^2 numbers in every result file. */
const MAX_LEARNED_MAP_SIZE = 200;

/** The floor of the rank tolerance, relative to sigma_1: float32 round-off of M sits well below it. */
const RANK_FLOOR = 1e-6;
/** How far above the fit's error a singular value must be to count (docs/results-format.md). */
const RANK_MARGIN = 10;

/** T = sum_k c_k A^k, n x n in float64: the map y = T x the network should learn for this A. */
function targetMap(coefficients: number[], a: ArrayLike<number>, n: number): Float64Array {
    const t = new Float64Array(n * n);
    let power = new Float64Array(n * n);
    for (let i = 0; i < n; i++) power[i * n + i] = 1;
    coefficients.forEach((c, k) => {
        if (k > 0) {
            const next = new Float64Array(n * n);
            for (let i = 0; i < n; i++)
                for (let l = 0; l < n; l++) {
                    const v = a[i * n + l];
                    if (v !== 0) for (let j = 0; j < n; j++) next[i * n + j] += v * power[l * n + j];
                }
            power = next;
        }
        if (c !== 0) for (let e = 0; e < t.length; e++) t[e] += c * power[e];
    });
    return t;
}

/**
 * The numerical rank of M against its target T: the count of sigma_i(M) above max(RANK_FLOOR sigma_1(M), RANK_MARGIN delta),
 * delta = ||(I - U_r U_r^T)(M - T) V_perp||_2, the fit's error where T has no rank (U_r, V_perp: T's left singular vectors
 * of its r non-zero singular values, its right ones of the zero ones). A singular value of M that comes only from training
 * noise is at most about delta (perturbation of a zero singular value), so it does not count; one that T has and M kept
 * does, however far M is from T elsewhere (a bottleneck's best rank-h fit keeps h of them and has delta near 0).
 */
export function numericalRank(
    m: ArrayLike<number>,
    t: ArrayLike<number>,
    n: number,
): { rank: number; tolerance: number; singularValues: number[] } {
    const sm = svd(m, n, n),
        st = svd(t, n, n);
    const r = st.s.filter(s => s > RANK_FLOOR * st.s[0]).length;
    let delta = 0;
    if (r < n && st.s[0] > 0) {
        // D = M - T, then X = (I - U_r U_r^T) D V_perp, n x (n - r)
        const dv = new Float64Array(n * (n - r));
        for (let i = 0; i < n; i++)
            for (let c = r; c < n; c++) {
                let sum = 0;
                for (let j = 0; j < n; j++) sum += (m[i * n + j] - t[i * n + j]) * st.v[j * n + c];
                dv[i * (n - r) + (c - r)] = sum;
            }
        const x = Float64Array.from(dv);
        for (let k = 0; k < r; k++)
            for (let c = 0; c < n - r; c++) {
                let dot = 0;
                for (let i = 0; i < n; i++) dot += st.u[i * n + k] * dv[i * (n - r) + c];
                for (let i = 0; i < n; i++) x[i * (n - r) + c] -= dot * st.u[i * n + k];
            }
        delta = spectralNorm(x, n, n - r);
    }
    const tolerance = Math.max(RANK_FLOOR * sm.s[0], RANK_MARGIN * delta);
    return { rank: sm.s.filter(s => s > tolerance).length, tolerance, singularValues: sm.s };
}

/** M, its offset and its comparison with the target for the network `predict` at the matrix `a`. */
export function measureLearnedMap(plan: CompiledPlan, predict: Predict, a: Matrix): LearnedMap | undefined {
    const n = plan.operation.n;
    const layout = batchLayout(plan);
    const packer = new BatchPacker(layout, plan.operation.coefficients);
    // sample 0 is x = 0, sample j + 1 is x = e_j
    const batch = packer.allocate(n + 1);
    const x = new Float32Array(n);
    for (let b = 0; b <= n; b++) {
        x.fill(0);
        if (b > 0) x[b - 1] = 1;
        packer.put(batch, b, a, x);
    }
    const yhat = predict(batch);
    const out = (b: number, i: number) => yhat[layout.yBatchMajor ? b * n + i : i * (n + 1) + b];
    const map = new Float64Array(n * n);
    let offset = 0;
    for (let i = 0; i < n; i++) {
        offset += out(0, i) ** 2;
        for (let j = 0; j < n; j++) map[i * n + j] = out(j + 1, i) - out(0, i);
    }
    // a network that answers NaN or Infinity has no map to speak of (and JSON would write its values as null)
    if (!map.every(Number.isFinite) || !Number.isFinite(offset)) return undefined;
    const t = targetMap(plan.operation.coefficients, a, n);
    const diff = map.map((v, e) => v - t[e]);
    const targetNorm = spectralNorm(t, n, n);
    const rank = numericalRank(map, t, n);
    return {
        map: { name: 'M', shape: [n, n], values: Array.from(map) },
        offset: Math.sqrt(offset),
        singularValues: rank.singularValues,
        targetSingularValues: svd(t, n, n).s,
        relativeError: spectralNorm(diff, n, n) / (targetNorm > 0 ? targetNorm : 1),
        numericalRank: rank.rank,
        rankTolerance: rank.tolerance,
    };
}

/** The learned map when the plan has one (A fixed, no activation, n up to MAX_LEARNED_MAP_SIZE); `pool` is the training pool. */
export function learnedMapOf(plan: CompiledPlan, predict: Predict, pool: Matrix[] | undefined): LearnedMap | undefined {
    // the one A: a matrix file's, or the pool of one
    const a = plan.operation.matrix ? fixedMatrix(plan.operation) : pool?.length === 1 ? pool[0] : undefined;
    if (!learnedMapReason(plan).planned || !a || plan.operation.n > MAX_LEARNED_MAP_SIZE) return undefined;
    return measureLearnedMap(plan, predict, a);
}
