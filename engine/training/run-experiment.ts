// Runs an experiment's compiled points (each seeded) on a tfjs backend and assembles the ExperimentResult.
import type { ExperimentPlan } from '../compiler/plan-types.js';
import type { ExperimentResult } from '../results/result-types.js';
import { assembleResult } from '../results/assemble-result.js';
import { selectBackend } from './backend.js';
import { type PointsRun, type RunOptions, trainEach } from './run-points.js';
import { trainPoint } from './train-point.js';

/** Trains the points `indices` of a compiled experiment, one after another, on the tfjs backend `opts.backend`. */
export async function runPoints(experimentPlan: ExperimentPlan, indices: number[], opts: RunOptions = {}): Promise<PointsRun> {
    return trainEach(experimentPlan, indices, opts, await selectBackend(opts.backend ?? 'auto'), trainPoint);
}

/** Trains every point of the experiment in this thread (tests and benchmarks; the CLI and the server use the worker client). */
export async function runExperiment(plan: ExperimentPlan, opts: RunOptions = {}): Promise<ExperimentResult> {
    const startedAt = new Date();
    const t0 = performance.now();
    const run = await runPoints(
        plan,
        plan.points.map((_, k) => k),
        opts,
    );
    return assembleResult(
        plan,
        run.points.map(p => p.result),
        {
            backend: run.backend,
            fallbacks: run.fallbacks,
            startedAt,
            wallMs: performance.now() - t0,
        },
    );
}

export type { PointsRun, RunOptions };
