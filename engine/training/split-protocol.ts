// The shared memory and messages between a split run's host (split-run.ts) and its row workers (split-worker.ts).
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { BinaryMatvecDraw, OwnedRows } from './simd-kernel.js';

/**
 * Control words (Int32Array). The host allows the workers through a step (CONTROL_THROUGH, always a step whose loss
 * the step loop reads) and asks for weights (CONTROL_WEIGHTS, a count of requests); it bumps CONTROL_GENERATION after
 * every change and notifies there, where an idle worker waits. Word CONTROL_DONE + k is the last step worker k
 * trained (FAILED_STEP once it failed). A worker runs the steps up to CONTROL_THROUGH back to back: it needs no word
 * from the host per step (each step's stream state and update follow from the plan), so a busy machine that
 * preempts one thread does not stall the other at every step.
 */
export const CONTROL_GENERATION = 0;
export const CONTROL_THROUGH = 1;
export const CONTROL_WEIGHTS = 2;
export const CONTROL_DONE = 3;
export const FAILED_STEP = -1;

/** What a row worker starts with (workerData). */
export interface SplitWorkerData {
    plan: CompiledPlan;
    rows: OwnedRows;
    /** Which worker this is: its done word is CONTROL_DONE + index. */
    index: number;
    /** The stream state step 1's batch is drawn from (TrainingData.drawState before the first step), and how. */
    firstState: number;
    draw: BinaryMatvecDraw;
    /** Its rows' slices of every weight, in the SIMD step's order (W1, hidden..., output). */
    weights: Float32Array[];
    control: SharedArrayBuffer;
    /** Every row's squared error at the last step the workers were allowed through, f64 [n]. */
    rowSquares: SharedArrayBuffer;
    /** The targets of that step's batch, f32 [n, B]. */
    targets: SharedArrayBuffer;
}

export type SplitWorkerMessage = { type: 'ready' } | { type: 'weights'; weights: Float32Array[] } | { type: 'error'; message: string };
