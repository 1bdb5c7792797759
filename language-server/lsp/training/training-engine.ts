// The one place the LSP layer touches the engine: compile, train, and each spec's results repository (a test swaps
// this service and touches no disk).
import type { ExperimentPlan, ExperimentResult, ExperimentSpec, TrainingProgress } from '../../../engine/view.js';
import type { ResultsRepository } from '../../../engine/index.js';
import type { BackendSetting } from '../../protocol.js';

export interface EngineRun {
    /** Resolves with the result (also diverged / cancelled runs); rejects when the worker failed. */
    readonly result: Promise<ExperimentResult>;
    cancel(): void;
}

export interface TrainingEngine {
    /** Throws an Error whose message says why the experiment cannot be compiled. */
    compile(spec: ExperimentSpec): ExperimentPlan;
    /** Trains the plan as compiled: the result's planHash is `plan.hash`. */
    /** `memoryLimitMB`: each worker thread's heap limit (emn.training.workerMemoryMB); undefined: Node's default. */
    start(
        plan: ExperimentPlan,
        options: { backend: BackendSetting; onProgress: (p: TrainingProgress) => void; memoryLimitMB?: number },
    ): EngineRun;
    /** A spec's results in a results folder setting (relative to the spec's folder, already validated). */
    results(specPath: string, resultsFolder: string): ResultsRepository;
}
