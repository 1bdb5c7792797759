// What every training loop shares (no tfjs): its options, the divergence and early-stop rules, the loss curve's size.
import type { PointResult } from '../results/result-types.js';
import type { Worker } from 'node:worker_threads';
import type { KernelName } from './kernel-registry.js';

export interface StepProgress {
    step: number;
    steps: number;
    loss: number;
}

export interface TrainOptions {
    onProgress?: (p: StepProgress) => void;
    /** Checked before every step. */
    signal?: AbortSignal;
    /**
     * Give the event loop a turn at every loss read, so that an abort or a message can arrive while the step loop runs
     * on this thread. Default: when there is a signal.
     */
    yieldOnRead?: boolean;
    /** Checked before every step (a worker's SharedArrayBuffer flag). */
    shouldStop?: () => boolean;
    /** Read the loss (a device sync) every this many steps; early stop and divergence are decided then. Default 10. */
    readEvery?: number;
    /** Called after every step with the step number (tests: memory checks). */
    afterStep?: (step: number) => void;
    /** Initial weights to use instead of the seeded ones (tests). */
    initial?: Map<string, Float32Array>;
    /**
     * 'simd': the wasm SIMD step (simd-kernel.ts) where it applies, else as 'fused'; 'fused': the project's tfjs kernels
     * where they apply (fused-ops.ts); 'ops': the reference tfjs graph (kernel-registry.ts). Default 'simd'.
     */
    kernels?: KernelName;
    /** One SIMD run across threads (split-run.ts). Default: one thread. */
    split?: SplitSetting;
}

/** How many threads one SIMD run takes: `threads` if given (1: never split), else the cost model's pick on `cores`. */
export interface SplitSetting {
    threads?: number;
    /** Cores free for this run (the sweep's threads took theirs). */
    cores?: number;
    /** The row workers once started (tests). */
    onWorkers?: (workers: Worker[]) => void;
}

/**
 * Divergence: a loss not finite, or above this multiple of the loss scale. The scale is the larger of the first read
 * loss and the mean of y^2 over the batches read so far (the loss of a network that outputs 0): a first batch of
 * all-zero matrices has loss exactly 0, and taken alone as the reference it would make any later loss "diverge".
 */
export const DIVERGENCE_FACTOR = 1e6;
/** The target is judged on the mean of this many consecutive loss reads, never on one batch. */
export const TARGET_READS = 3;
/** ...and then confirmed on this many held-out samples of the training distribution before the run stops. */
export const TARGET_CONFIRM_SAMPLES = 256;
export const MAX_CURVE_POINTS = 256;

export type PointOutcome = Omit<PointResult, 'params'> & { finalWeights?: Map<string, Float32Array> };

/** Index for deriveSeed(evaluation seed, .): the held-out samples that confirm a target, apart from every evaluation set. */
export const CONFIRM_SEED_INDEX = 1_000_003;

/** The divergence rule (see DIVERGENCE_FACTOR): tracks the loss scale over the loss reads. */
export class LossScale {
    private firstLoss: number | undefined;
    private ySquares = 0;
    private yCount = 0;

    /** The targets of a batch whose loss is read. */
    addBatch(y: ArrayLike<number>): void {
        for (let e = 0; e < y.length; e++) this.ySquares += y[e] * y[e];
        this.yCount += y.length;
    }

    /** Judges a loss read (after addBatch of its batch). */
    diverged(loss: number): boolean {
        if (!Number.isFinite(loss)) return true;
        this.firstLoss ??= loss;
        const reference = Math.max(this.firstLoss, this.yCount > 0 ? this.ySquares / this.yCount : 0);
        // a reference of 0 (only all-zero batches so far) cannot judge anything finite
        return reference > 0 && loss > DIVERGENCE_FACTOR * reference;
    }
}

/**
 * The early stop `stop when mse < T`: the mean of the last TARGET_READS loss reads must be below T, and then the mse
 * on held-out samples (`confirm`) too. A failed confirmation waits for TARGET_READS new reads before the next one.
 */
export class TargetRule {
    private readonly recent: number[] = [];

    constructor(
        private readonly below: number,
        /** The held-out mse (a split run's weights come back from its threads: a promise). */
        private readonly confirm: () => number | Promise<number>,
    ) {}

    reached(loss: number): boolean | Promise<boolean> {
        this.recent.push(loss);
        if (this.recent.length > TARGET_READS) this.recent.shift();
        if (this.recent.length < TARGET_READS) return false;
        const mean = this.recent.reduce((s, l) => s + l, 0) / this.recent.length;
        if (!(mean < this.below)) return false;
        const mse = this.confirm();
        return typeof mse === 'number' ? this.confirmed(mse) : mse.then(m => this.confirmed(m));
    }

    private confirmed(mse: number): boolean {
        if (mse < this.below) return true;
        this.recent.length = 0;
        return false;
    }
}

/** At most `max` points, evenly spaced, always keeping the first and the last. */
export function subsample<T>(points: T[], max: number): T[] {
    if (points.length <= max) return points;
    const out: T[] = [];
    for (let k = 0; k < max; k++) out.push(points[Math.round((k * (points.length - 1)) / (max - 1))]);
    return out;
}
