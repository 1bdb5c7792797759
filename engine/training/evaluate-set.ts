// Error metrics of a network's predictions on fresh (A, x) pairs or on the training pool, in chunks (no tfjs: the caller predicts).
import { deriveSeed } from '../compiler/seeds.js';
import type { CompiledPlan, PlanOperation } from '../compiler/plan-types.js';
import type { EvaluationResult } from '../results/result-types.js';
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

const CHUNK = 256;
/** A chunk's A x is [n, size, n] floats: at most this many bytes (n = 500 with 256 samples would be 256 MB). */
const CHUNK_BYTES = 16 * 2 ** 20;

export interface SetMetrics {
    mse: number;
    rmse: number;
    maxAbsError: number;
    /** ||yhat - y|| / ||y|| over the whole set (Frobenius norms). */
    relError: number;
}

/** The network's output for a packed batch, in the layout of batch.y ([n, B] rowwise, [B, n] dense). */
export type Predict = (batch: Batch) => ArrayLike<number>;

/**
 * Evaluates `samples` pairs: matrices fresh from `op` (never the training stream: own seed), or drawn from `pool`
 * when given; vectors always fresh. Targets follow `op`'s coefficients.
 */
export function evaluateSetWith(
    plan: CompiledPlan,
    predict: Predict,
    op: PlanOperation,
    samples: number,
    seed: number,
    pool?: Matrix[],
): SetMetrics {
    // the set's own n: with shared weights an operation of another size than the training one is evaluated as it is
    const n = pool ? plan.operation.n : op.n;
    const rng = new Rng(seed);
    const layout = { ...batchLayout(plan), n };
    const packer = new BatchPacker(layout, op.coefficients);
    const a = new Float32Array(n * n),
        x = new Float32Array(n);
    let sq = 0,
        ySq = 0,
        maxAbs = 0;
    const chunk = Math.max(1, Math.min(CHUNK, Math.floor(CHUNK_BYTES / (4 * n * n))));
    // fresh binary A, uniform x, A x: the training stream's inlined sampler, which draws the same numbers
    const fast =
        !pool && drawsFreshBinaryMatvec(op) && op.vectors.kind === 'uniform'
            ? { keep: 1 - op.sparsity, low: op.vectors.low, high: op.vectors.high, bits: new Uint8Array(n * n) }
            : undefined;
    // one batch per chunk size, reused: a fresh 400 kB batch per chunk is an mmap and munmap each time, which in a
    // process with several training threads stalls them all (the unmap interrupts every core the process runs on)
    const batches = new Map<number, Batch>();
    for (let done = 0; done < samples; done += chunk) {
        const size = Math.min(chunk, samples - done);
        let batch = batches.get(size);
        if (!batch) batches.set(size, (batch = packer.allocate(size)));
        for (let b = 0; b < size; b++) {
            if (fast) {
                putBinaryMatvecSample(rng, n, fast.keep, fast.low, fast.high, batch, b, layout.yBatchMajor, fast.bits, x);
                continue;
            }
            const m = pool ? pool[(done + b) % pool.length] : sampleMatrix(op, rng, a);
            packer.put(batch, b, m, sampleVector(op, rng, x));
        }
        const yhat = predict(batch);
        // yhat and batch.y share the layout ([n, B] or [B, n]), so element-wise comparison is enough
        for (let e = 0; e < yhat.length; e++) {
            const err = yhat[e] - batch.y[e];
            sq += err * err;
            ySq += batch.y[e] * batch.y[e];
            if (!(Math.abs(err) <= maxAbs)) maxAbs = Math.abs(err); // NaN propagates
        }
    }
    const mse = sq / (samples * n);
    return { mse, rmse: Math.sqrt(mse), maxAbsError: maxAbs, relError: ySq > 0 ? Math.sqrt(sq / ySq) : Math.sqrt(sq) };
}

/** Every evaluation of the plan, in order ('pool' uses the training pool, or fresh matrices when there is none). */
export function evaluatePlanWith(
    plan: CompiledPlan,
    predict: Predict,
    pool: Matrix[] | undefined,
): (EvaluationResult & { rmse: number })[] {
    return plan.evaluations.map((e, index) => {
        const seed = deriveSeed(plan.seeds.evaluation, index);
        const op = e.operation ?? plan.operation;
        const m = evaluateSetWith(plan, predict, op, e.samples, seed, e.on === 'pool' ? pool : undefined);
        return {
            on: e.on,
            samples: e.samples,
            size: e.on === 'pool' ? plan.operation.n : op.n,
            mse: m.mse,
            rmse: m.rmse,
            maxAbsError: m.maxAbsError,
            relError: m.relError,
            ...(e.on === 'pool' && !pool ? { note: 'no finite pool: fresh matrices were used' } : {}),
        };
    });
}
