// Draws matrices A, vectors x and targets y = sum_k c_k A^k x, and packs batches in the layouts the network reads.
import type { PlanOperation } from '../compiler/plan-types.js';
import { drawMask, GOLDEN, keepThreshold, mulberry32 } from './bernoulli.js';
import type { Rng } from './rng.js';
import { normalizeRowsDense, toDense } from '../graphs/normalize.js';

/** An n x n matrix, row-major. */
export type Matrix = Float32Array;

/**
 * A matrix of `op`: its mask first (drawMask: one byte per entry), then, for weighted entries, one value per kept entry
 * in row-major order from the draws after the mask.
 */
export function sampleMatrix(op: PlanOperation, rng: Rng, out: Matrix = new Float32Array(op.n * op.n)): Matrix {
    // a matrix file: the same A every time (already normalised), no draws
    if (op.matrix) return fixedMatrix(op, out);
    if (op.rank !== undefined) sampleLowRank(op, op.rank, rng, out);
    else {
        drawMask(rng, op.n, keepThreshold(1 - op.sparsity), out);
        if (op.entries.kind !== 'binary') {
            for (let e = 0; e < out.length; e++) if (out[e] !== 0) out[e] = rng.sample(op.entries);
        }
    }
    if (op.normalize === 'rows') normalizeRowsDense(out, op.n);
    return out;
}

/** Dense forms of the plans' matrix files, made once per plan object (a worker's copy of a plan has its own). */
const denseMatrices = new WeakMap<object, Matrix>();

/** The operation's matrix file as a dense n x n matrix, copied into `out`. */
export function fixedMatrix(op: PlanOperation, out: Matrix = new Float32Array(op.n * op.n)): Matrix {
    const m = op.matrix!;
    let dense = denseMatrices.get(m);
    if (!dense) denseMatrices.set(m, (dense = toDense(m)));
    out.set(dense);
    return out;
}

/** Fresh binary A, uniform x and target A x: the stream the inlined samplers (and the SIMD step) draw. */
export function drawsFreshBinaryMatvec(op: PlanOperation): boolean {
    const c = op.coefficients;
    return (
        !op.matrix &&
        !op.normalize &&
        op.rank === undefined &&
        op.entries.kind === 'binary' &&
        op.vectors.kind === 'uniform' &&
        c.length === 2 &&
        c[0] === 0 &&
        c[1] === 1
    );
}

/** A = U V^T / sqrt(r), U and V n x r with entries from op.entries (normal or uniform: the validator rules out binary). */
function sampleLowRank(op: PlanOperation, rank: number, rng: Rng, out: Matrix): Matrix {
    const n = op.n;
    const u = new Float64Array(n * rank),
        v = new Float64Array(n * rank);
    for (let e = 0; e < u.length; e++) u[e] = rng.sample(op.entries);
    for (let e = 0; e < v.length; e++) v[e] = rng.sample(op.entries);
    const scale = 1 / Math.sqrt(rank);
    for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < rank; k++) s += u[i * rank + k] * v[j * rank + k];
            out[i * n + j] = s * scale;
        }
    return out;
}

export function sampleVector(op: PlanOperation, rng: Rng, out: Float32Array): Float32Array {
    for (let j = 0; j < out.length; j++) out[j] = rng.sample(op.vectors);
    return out;
}

/**
 * y = sum_p c_p A^p x, in float64 (the targets are exact up to float32 storage).
 * `work` (2n) is scratch space, so the per-sample hot path allocates nothing.
 */
function applyTarget(
    coefficients: number[],
    a: Matrix,
    x: Float32Array,
    n: number,
    out: Float64Array,
    work: Float64Array = new Float64Array(2 * n),
): void {
    let power = work.subarray(0, n),
        next = work.subarray(n, 2 * n);
    power.set(x);
    out.fill(0);
    for (let p = 0; p < coefficients.length; p++) {
        if (p > 0) {
            for (let i = 0; i < n; i++) {
                let s = 0;
                for (let j = 0; j < n; j++) s += a[i * n + j] * power[j];
                next[i] = s;
            }
            [power, next] = [next, power];
        }
        const c = coefficients[p];
        if (c !== 0) for (let i = 0; i < n; i++) out[i] += c * power[i];
    }
}

/**
 * One batch in the network's layouts (cluster-major, so per-cluster matMuls batch over the leading axis):
 *   ax [n, B, n]: ax[i][b][j] = A_b[i][j] * x_b[j]   (the masked layer's gated input, computed here: it needs no gradient)
 *   a  [n, B, n]: A_b[i][j]                           (only when message-passing layers need A)
 *   x  [n, B, 1]: x_b[i]                              (only when the first layer has a skip channel)
 *   y  [n, B] (rowwise) or [B, n] (dense): targets.
 */
export interface Batch {
    size: number;
    ax: Float32Array;
    a?: Float32Array;
    x?: Float32Array;
    y: Float32Array;
}

export interface BatchLayout {
    n: number;
    needA: boolean;
    needX: boolean;
    /** Targets as [B, n] instead of [n, B]. */
    yBatchMajor: boolean;
}

/** Packs samples (matrix per sample, vector per sample) into a Batch. */
export class BatchPacker {
    private readonly yRow: Float64Array;
    private readonly work: Float64Array;
    /** y = A x exactly: the row sums of A x are the targets, no second pass. */
    private readonly matvec: boolean;

    constructor(
        private readonly layout: BatchLayout,
        private readonly coefficients: number[],
    ) {
        this.yRow = new Float64Array(layout.n);
        this.work = new Float64Array(2 * layout.n);
        this.matvec = coefficients.length === 2 && coefficients[0] === 0 && coefficients[1] === 1;
    }

    allocate(size: number): Batch {
        const n = this.layout.n;
        return {
            size,
            ax: new Float32Array(n * size * n),
            ...(this.layout.needA ? { a: new Float32Array(n * size * n) } : {}),
            ...(this.layout.needX ? { x: new Float32Array(n * size) } : {}),
            y: new Float32Array(n * size),
        };
    }

    /** Writes sample b of the batch. */
    put(batch: Batch, b: number, a: Matrix, x: Float32Array): void {
        const n = this.layout.n,
            B = batch.size,
            ax = batch.ax,
            y = this.yRow;
        for (let i = 0; i < n; i++) {
            const base = (i * B + b) * n,
                row = i * n;
            let sum = 0;
            for (let j = 0; j < n; j++) {
                const v = a[row + j] * x[j];
                ax[base + j] = v;
                sum += v;
            }
            y[i] = sum;
            if (batch.a) batch.a.set(a.subarray(row, row + n), base);
            if (batch.x) batch.x[i * B + b] = x[i];
        }
        if (!this.matvec) applyTarget(this.coefficients, a, x, n, y, this.work);
        for (let i = 0; i < n; i++) batch.y[this.layout.yBatchMajor ? b * n + i : i * B + b] = this.yRow[i];
    }
}

/**
 * The hot path of joint training with fresh binary matrices, uniform vectors and target A x: draws sample b exactly
 * as sampleMatrix + sampleVector + BatchPacker.put would (the same stream, the same numbers): the mask from
 * drawMask, then x with mulberry32 inlined on a local state. At n = 50 the batch is 45k draws per step.
 */
export function putBinaryMatvecSample(
    rng: Rng,
    n: number,
    keep: number,
    low: number,
    high: number,
    batch: Batch,
    b: number,
    yBatchMajor: boolean,
    aBits: Uint8Array,
    x: Float32Array,
): void {
    drawMask(rng, n, keepThreshold(keep), aBits);
    const span = high - low;
    let s = rng.rawState;
    for (let j = 0; j < n; j++) {
        s = (s + GOLDEN) >>> 0;
        x[j] = low + span * (mulberry32(s) / 4294967296);
    }
    rng.rawState = s;
    const B = batch.size,
        ax = batch.ax,
        A = batch.a;
    for (let i = 0; i < n; i++) {
        const base = (i * B + b) * n,
            row = i * n;
        let sum = 0;
        for (let j = 0; j < n; j++) {
            const v = aBits[row + j] * x[j]; // branch-free, exact (0 or x)
            ax[base + j] = v;
            sum += v;
        }
        if (A) for (let j = 0; j < n; j++) A[base + j] = aBits[row + j];
        if (batch.x) batch.x[i * B + b] = x[i];
        batch.y[yBatchMajor ? b * n + i : i * B + b] = sum;
    }
}
