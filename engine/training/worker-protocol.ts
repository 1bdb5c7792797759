// Messages between the training worker thread and its host (language server, `emn train` or tests).
import type { ExperimentPlan } from '../compiler/plan-types.js';
import type { BackendName, PointResult, TrainingProgress } from '../results/result-types.js';
import type { BackendChoice } from '../results/result-types.js';
import type { KernelName } from './kernel-registry.js';
import type { TrainingFailureReason } from './training-failure.js';

export type HostToWorker = {
    type: 'run';
    job: number;
    /** The compiled experiment, as the host compiled (and hashed) it: the worker trains exactly this. */
    plan: ExperimentPlan;
    backend: BackendChoice;
    /** The preferred kernel (kernel-registry.ts), as the host read it from its options. */
    kernels: KernelName;
    /** Point indices of `plan` to train, in order. */
    indices: number[];
    /** Int32Array view over it; element 0 set to 1 = cancel (checked before every step). */
    cancel: SharedArrayBuffer;
    progressIntervalMs: number;
    /** Threads of one SIMD run (split-run.ts): forced, or the cost model's pick on these cores. */
    split: { threads?: number; cores: number };
};

export type WorkerToHost =
    | { type: 'progress'; job: number; progress: TrainingProgress }
    | { type: 'done'; job: number; backend: BackendName; fallbacks: string[]; points: { index: number; result: PointResult }[] }
    | { type: 'error'; job: number; message: string; reason: TrainingFailureReason };
