// The training stream of a plan: fresh or pooled A per sample (joint) or one mask per E steps (meta-epochs).
import { deriveSeed } from '../compiler/seeds.js';
import type { CompiledPlan } from '../compiler/plan-types.js';
import { GOLDEN, keepThreshold, maskDraws } from './bernoulli.js';
import { batchLayout } from './network-layout.js';
import { Rng } from './rng.js';
import {
    type Batch,
    BatchPacker,
    drawsFreshBinaryMatvec,
    type Matrix,
    putBinaryMatvecSample,
    sampleMatrix,
    sampleVector,
} from './sampling.js';
import type { BinaryMatvecDraw, StoredBatchDraw, StreamState } from './simd-kernel.js';

/** The stream state after one batch drawn from `state` by a kernel (mask and x draws per sample): skipBatch's step. */
export function nextBatchState(plan: CompiledPlan, state: number): number {
    const n = plan.operation.n,
        draws = plan.batch * (maskDraws(n) + n);
    return (state + Math.imul(draws, GOLDEN)) >>> 0;
}

export class TrainingData {
    /** The finite pool of training matrices: `pool K` (joint) or the K masks of meta-epochs; undefined = fresh A per sample. */
    readonly pool: Matrix[] | undefined;
    private readonly rng: Rng;
    private readonly orderRng: Rng;
    private readonly packer: BatchPacker;
    /** The one batch buffer next() fills, made on first use: a kernel that draws its own batch (the SIMD step) never needs it. */
    private batchBuffer: Batch | undefined;
    private readonly a: Matrix;
    private readonly x: Float32Array;
    /** Mask order of each meta-epoch so far (drawn in epoch order, so any access order gives the same orders). */
    private readonly orders: number[][] = [];
    /** Set when every sample is a fresh binary A, a uniform x and target A x: the inlined sampler applies. */
    private readonly fast: { keep: number; low: number; high: number; yBatchMajor: boolean; bits: Uint8Array } | undefined;

    constructor(private readonly plan: CompiledPlan) {
        const n = plan.operation.n;
        this.rng = new Rng(plan.seeds.data);
        // the mask order has its own stream so changing the order does not change the sampled matrices or vectors
        this.orderRng = new Rng(deriveSeed(plan.seeds.data, 7));
        const s = plan.schedule;
        const poolSize = s.kind === 'metaEpochs' ? s.masks : s.pool;
        this.pool = poolSize === undefined ? undefined : Array.from({ length: poolSize }, () => sampleMatrix(plan.operation, this.rng));
        this.packer = new BatchPacker(batchLayout(plan), plan.operation.coefficients);
        this.a = new Float32Array(n * n);
        this.x = new Float32Array(n);
        const op = plan.operation;
        this.fast =
            binaryMatvecStream(plan) && op.vectors.kind === 'uniform'
                ? {
                      keep: 1 - op.sparsity,
                      low: op.vectors.low,
                      high: op.vectors.high,
                      yBatchMajor: batchLayout(plan).yBatchMajor,
                      bits: new Uint8Array(n * n),
                  }
                : undefined;
    }

    /**
     * Fresh binary A, uniform x, target A x: the parameters a kernel needs to draw the batch itself from the stream
     * state (drawState), exactly as next() would. Undefined for every other stream.
     */
    binaryMatvecDraw(): BinaryMatvecDraw | undefined {
        const f = this.fast;
        return f && { t: keepThreshold(f.keep), low: f.low, span: f.high - f.low };
    }

    /**
     * Every other stream the SIMD module draws itself (simdStream): how it draws a batch into its store of matrices
     * (fresh ones, the pool, or meta-epochs' mask of the step), exactly as next() would. Undefined for the fresh binary
     * stream (binaryMatvecDraw) and for streams the module cannot draw.
     */
    storedBatchDraw(): StoredBatchDraw | undefined {
        const plan = this.plan,
            op = plan.operation;
        if (binaryMatvecStream(plan) || !simdStream(plan)) return undefined;
        const source = plan.schedule.kind === 'metaEpochs' ? 'fixed' : this.pool ? 'pool' : 'fresh';
        return { source, t: keepThreshold(1 - op.sparsity), entries: op.entries, vectors: op.vectors };
    }

    /** The whole stream state (mulberry32's and Box-Muller's pending value), for a kernel that draws with it and hands it back. */
    get stream(): StreamState {
        return { state: this.rng.rawState, spare: this.rng.spare };
    }
    set stream(s: StreamState) {
        this.rng.rawState = s.state;
        this.rng.spare = s.spare;
    }

    /**
     * The entries (i, j) some training matrix has non-zero: the matrix file's support, or the union over the pool; undefined
     * when every sample draws a fresh A (training may have seen any edge). pathWeightError averages over it.
     */
    support(): Uint8Array | undefined {
        const op = this.plan.operation;
        const matrices = op.matrix ? [sampleMatrix(op, this.rng)] : this.pool;
        if (!matrices) return undefined;
        const seen = new Uint8Array(op.n * op.n);
        for (const m of matrices) for (let e = 0; e < seen.length; e++) if (m[e] !== 0) seen[e] = 1;
        return seen;
    }

    /** The stream state the next batch starts from. */
    get drawState(): number {
        return this.rng.rawState;
    }

    private get batch(): Batch {
        return (this.batchBuffer ??= this.packer.allocate(this.plan.batch));
    }

    /** Moves the stream past one batch without drawing it (a kernel drew it from drawState): mask and x draws per sample. */
    skipBatch(): void {
        this.rng.rawState = nextBatchState(this.plan, this.rng.rawState);
    }

    /** The matrix index used at 0-based `step` under meta-epochs (fixed for stepsPerMask steps). */
    maskAt(step: number): number {
        const s = this.plan.schedule;
        if (s.kind !== 'metaEpochs') throw new Error('maskAt: not a meta-epochs schedule');
        const perEpoch = s.masks * s.stepsPerMask;
        const epoch = Math.floor(step / perEpoch);
        while (this.orders.length <= epoch) this.orders.push(this.nextOrder());
        return this.orders[epoch][Math.floor((step % perEpoch) / s.stepsPerMask)];
    }

    private nextOrder(): number[] {
        const s = this.plan.schedule;
        if (s.kind !== 'metaEpochs') return [];
        const indices = Array.from({ length: s.masks }, (_, k) => k);
        if (s.order === 'shuffled') return this.orderRng.shuffle(indices);
        if (s.order === 'sparsity') {
            // sparsest first (fewest non-zero entries), ties by pool index; the same in every meta-epoch
            const nnz = this.pool!.map(m => m.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0));
            return indices.sort((p, q) => nnz[p] - nnz[q] || p - q);
        }
        return indices;
    }

    /** The batch for 0-based `step` (one buffer, overwritten each call). */
    next(step: number): Batch {
        const op = this.plan.operation;
        const s = this.plan.schedule;
        const f = this.fast;
        if (f) {
            for (let b = 0; b < this.batch.size; b++) {
                putBinaryMatvecSample(this.rng, op.n, f.keep, f.low, f.high, this.batch, b, f.yBatchMajor, f.bits, this.x);
            }
            return this.batch;
        }
        const fixed = s.kind === 'metaEpochs' ? this.pool![this.maskAt(step)] : undefined;
        for (let b = 0; b < this.batch.size; b++) {
            const a = fixed ?? (this.pool ? this.pool[this.rng.int(this.pool.length)] : sampleMatrix(op, this.rng, this.a));
            this.packer.put(this.batch, b, a, sampleVector(op, this.rng, this.x));
        }
        return this.batch;
    }
}

/**
 * Fresh binary A, uniform x and target A x every step (joint schedule, no pool): the stream a kernel can draw
 * itself (binaryMatvecDraw), which the JS sampler also draws on its fast path.
 */
function binaryMatvecStream(plan: CompiledPlan): boolean {
    return plan.schedule.kind === 'joint' && plan.schedule.pool === undefined && drawsFreshBinaryMatvec(plan.operation);
}

/**
 * The streams the SIMD module draws (simd/batch.as.ts), all with target A x: fresh A entry by entry (binary, uniform or
 * normal entries; not `rank`), a pool or meta-epochs' masks (written once into the module), any vectors.
 */
export function simdStream(plan: CompiledPlan): boolean {
    const c = plan.operation.coefficients;
    const matvec = c.length === 2 && c[0] === 0 && c[1] === 1;
    const s = plan.schedule;
    const stored = s.kind === 'metaEpochs' || s.pool !== undefined;
    // fresh: drawn entry by entry in the module (a matrix file, `rank` or `normalize` are the JS sampler's)
    const op = plan.operation;
    return matvec && (stored || (op.rank === undefined && !op.matrix && !op.normalize));
}
