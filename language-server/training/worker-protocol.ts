// Messages between the training worker thread and its host (language server, CLI or tests).
import type { BackendName, PointResult, TrainingProgress } from '../results/result-types.js';
import type { ExperimentSpec } from '../spec/spec-types.js';
import type { BackendChoice } from './backend.js';

export type HostToWorker = {
    type: 'run';
    job: number;
    spec: ExperimentSpec;
    backend: BackendChoice;
    /** Sweep point indices to train, in order. */
    indices: number[];
    /** Int32Array view over it; element 0 set to 1 = cancel (checked before every step). */
    cancel: SharedArrayBuffer;
    progressIntervalMs: number;
};

export type WorkerToHost =
    | { type: 'progress'; job: number; progress: TrainingProgress }
    | { type: 'done'; job: number; backend: BackendName; fallbacks: string[]; points: { index: number; result: PointResult }[] }
    | { type: 'error'; job: number; message: string };
