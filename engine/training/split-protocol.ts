// The shared memory and messages between a split run's host (split-run.ts) and its row workers (split-worker.ts).
import type { RowwiseShape } from './emn-kernels.js';
import type { BinaryMatvecDraw, OwnedRows } from './simd-kernel.js';

/**
 * Control words (Int32Array): CONTROL_SEQ is the number of the host's latest command; word CONTROL_DONE + k is the
 * number of the last command worker k finished (FAILED_SEQ once it failed). Commands are numbered 1, 2, ... and a
 * worker runs each in turn; the host posts command c + 1 only after every worker finished c - 1, so two parameter
 * slots (c % 2) are never overwritten while read.
 */
export const CONTROL_SEQ = 0;
export const CONTROL_DONE = 1;
export const FAILED_SEQ = -1;

/** A command's parameters (Float64Array, PARAM_WORDS a slot, slot c % 2): what it is, and a step's batch and update. */
export const PARAM_WORDS = 9;
export const PARAM = {
    kind: 0,
    /** Stream state the batch is drawn from. */
    s0: 1,
    /** 0 sgd (a = lr, m = momentum), 1 adam (a = the bias-corrected rate). */
    optimizer: 2,
    a: 3,
    m: 4,
    beta1: 5,
    beta2: 6,
    epsilon: 7,
    /** 1: write the rows' squared errors and targets into the shared arrays after the step. */
    read: 8,
} as const;

export const COMMAND = {
    step: 1,
    /** Post the rows' weights (a 'weights' message) to the host. */
    weights: 2,
} as const;

/** What a row worker starts with (workerData). */
export interface SplitWorkerData {
    shape: RowwiseShape;
    slotsPerWeight: number;
    rows: OwnedRows;
    /** Which worker this is: its done word is CONTROL_DONE + index. */
    index: number;
    draw: BinaryMatvecDraw;
    /** Its rows' slices of every weight, in the SIMD step's order (W1, hidden..., output). */
    weights: Float32Array[];
    control: SharedArrayBuffer;
    params: SharedArrayBuffer;
    /** Every row's squared error of the last read step, f64 [n]. */
    rowSquares: SharedArrayBuffer;
    /** The targets of the last read step's batch, f32 [n, B]. */
    targets: SharedArrayBuffer;
}

export type SplitWorkerMessage =
    { type: 'ready' } | { type: 'weights'; seq: number; weights: Float32Array[] } | { type: 'error'; message: string };
