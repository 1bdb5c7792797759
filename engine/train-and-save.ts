// Trains a compiled plan on a worker pool and keeps its result by the one path after training (failure policy +
// history): what `emn train` does for each experiment.
import type { ExperimentPlan } from './compiler/plan-types.js';
import { errorMessage } from './error-message.js';
import type { ExperimentResult } from './results/result-types.js';
import type { KeepOptions, KeptRun, ResultsRepository } from './results/results-repository.js';
import type { TrainingWorkerClient, WorkerRunOptions } from './training/worker-client.js';

export interface TrainAndSaveOptions {
    pool: TrainingWorkerClient;
    train: WorkerRunOptions;
    keep: Omit<KeepOptions, 'plan'>;
    /** Wraps the writes: the CLI holds a second Ctrl-C off while results are being written. */
    whileSaving?: <T>(write: () => T) => T;
}

/** A trained run: its result, and how it was kept, or why it could not be saved (the run itself is not lost). */
export type TrainedRun = { result: ExperimentResult } & ({ kept: KeptRun } | { notSaved: string });

/** Rejects when training itself failed (a backend that cannot load, a worker that died): nothing was trained. */
export async function trainAndSave(plan: ExperimentPlan, results: ResultsRepository, options: TrainAndSaveOptions): Promise<TrainedRun> {
    const result = await options.pool.train(plan, options.train);
    const keep = () => results.keep(result, { ...options.keep, plan });
    try {
        return { result, kept: options.whileSaving ? options.whileSaving(keep) : keep() };
    } catch (err) {
        return { result, notSaved: errorMessage(err) };
    }
}
