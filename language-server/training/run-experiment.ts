// Runs an experiment's compiled points (each seeded) on a tfjs backend and assembles the ExperimentResult.
import type { ExperimentPlan } from '../compiler/plan-types.js';
import type { BackendName, ExperimentResult, PointResult, TrainingProgress } from '../results/result-types.js';
import { assembleResult } from './assemble-result.js';
import { type BackendChoice, selectBackend } from './backend.js';
import { trainPoint } from './train-point.js';

export interface RunOptions {
    backend?: BackendChoice;
    /** Progress at most every `progressIntervalMs` (default 100 ms, i.e. <= 10 per second) and at the end of each point. */
    onProgress?: (p: TrainingProgress) => void;
    progressIntervalMs?: number;
    signal?: AbortSignal;
    /** Checked before every step (a worker's shared cancel flag). */
    shouldStop?: () => boolean;
}

export interface PointsRun {
    backend: BackendName;
    fallbacks: string[];
    /** In the order of `indices`; a cancelled run stops early, so there may be fewer. */
    points: { index: number; result: PointResult }[];
}

/** Trains the points `indices` of a compiled experiment, one after another. */
export async function runPoints(experimentPlan: ExperimentPlan, indices: number[], opts: RunOptions = {}): Promise<PointsRun> {
    const { experiment, points: compiled } = experimentPlan;
    const selection = await selectBackend(opts.backend ?? 'auto');
    const interval = opts.progressIntervalMs ?? 100;
    const points: PointsRun['points'] = [];
    let lastEmit = -Infinity;
    for (const index of indices) {
        const { plan, params } = compiled[index];
        const emit = (step: number, loss: number, force: boolean) => {
            const now = performance.now();
            if (!opts.onProgress || (!force && now - lastEmit < interval)) return;
            lastEmit = now;
            opts.onProgress({ experiment, point: index, points: compiled.length, step, steps: plan.steps, loss });
        };
        const outcome = await trainPoint(plan, {
            signal: opts.signal, shouldStop: opts.shouldStop,
            onProgress: p => emit(p.step, p.loss, false),
        });
        const { finalWeights: _drop, ...rest } = outcome;
        void _drop;
        const last = outcome.lossCurve[outcome.lossCurve.length - 1];
        emit(outcome.steps, last ? last[1] : NaN, true);
        points.push({ index, result: { params, ...rest } });
        if (outcome.stopped === 'cancelled') break;
    }
    return { backend: selection.backend, fallbacks: selection.fallbacks, points };
}

/** Trains every point of the experiment in this thread (tests and benchmarks; the CLI and the server use the worker client). */
export async function runExperiment(plan: ExperimentPlan, opts: RunOptions = {}): Promise<ExperimentResult> {
    const startedAt = new Date();
    const t0 = performance.now();
    const run = await runPoints(plan, plan.points.map((_, k) => k), opts);
    return assembleResult(plan, run.points.map(p => p.result), {
        backend: run.backend, fallbacks: run.fallbacks, startedAt, wallMs: performance.now() - t0,
    });
}

export { assembleResult };
