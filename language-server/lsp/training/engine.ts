// The one place the LSP layer touches the engine (compiler, worker client, results store): keeps their APIs out of the LSP code.
import type { ExperimentPlan, ExperimentResult, ExperimentSpec, TrainingProgress } from '../../../engine/view.js';
import type { Advice, SavedRun } from '../../../engine/index.js';
import type { BackendSetting } from '../../protocol.js';

export interface EngineRun {
    /** Resolves with the result (also diverged / cancelled runs); rejects when the worker failed. */
    readonly result: Promise<ExperimentResult>;
    cancel(): void;
}

export interface StoredResult {
    result?: ExperimentResult;
    warning?: string;
}

export interface TrainingEngine {
    /** Throws an Error whose message says why the experiment cannot be compiled. */
    compile(spec: ExperimentSpec): ExperimentPlan;
    /** Trains the plan as compiled: the result's planHash is `plan.hash`. */
    start(plan: ExperimentPlan, options: { backend: BackendSetting; onProgress: (p: TrainingProgress) => void }): EngineRun;
    load(specPath: string, resultsFolder: string, experiment: string): StoredResult;
    /** Saves a finished run by the failure policy (results/failure-policy.ts), as the CLI does. */
    save(specPath: string, resultsFolder: string, result: ExperimentResult, advice: Advice): Promise<SavedRun>;
}
