// The ExperimentResult of an experiment's trained points (no tfjs here: the CLI's main thread assembles what workers trained).
import { isSweep, type ExperimentPlan } from '../compiler/plan-types.js';
import type { BackendName, ExperimentResult, PointResult, StopReason } from './result-types.js';
import { seedGroups } from './seed-spread.js';
import { CONVERGENCE_RULE } from '../training/convergence.js';

/**
 * The ExperimentResult of some trained points. Without a sweep the top level is the run itself. With one, `runs` has
 * a PointResult per trained point and the top-level metrics and evaluations are the WORST point's (highest test mse;
 * a diverged point is worst), `worstRun` says which; steps is the sum over points (the JSON's total work; the CLI's
 * headline gives steps per point), stepsPerSecond the total steps over the total time spent in steps; stopped is
 * 'diverged' if any point diverged, else 'cancelled' if the sweep was cancelled, else 'target' if every point reached
 * its target, else 'steps'; `notRun` lists the points never trained. Loss curve and weights stay per run.
 */
export function assembleResult(
    plan: ExperimentPlan,
    points: PointResult[],
    info: { backend: BackendName; fallbacks: string[]; startedAt: Date; wallMs: number },
): ExperimentResult {
    const compiled = plan.points;
    // every point learns the same operation with the same network (a sweep changes their values, not their names)
    const first = compiled[0].plan;
    const common = {
        experiment: plan.experiment,
        operation: first.operation.name,
        network: first.network.name,
        backend: info.backend,
        // the hash of the points that were trained, so it names exactly what the result is of
        planHash: plan.hash,
        startedAt: info.startedAt.toISOString(),
        finishedAt: new Date(info.startedAt.getTime() + info.wallMs).toISOString(),
        wallMs: info.wallMs,
        ...(info.fallbacks.length ? { backendFallbacks: info.fallbacks } : {}),
        convergenceThreshold: first.stopBelowMse ?? CONVERGENCE_RULE.defaultThreshold,
    };
    if (!isSweep(compiled)) {
        const r = points[0];
        if (!r) throw new Error(`experiment ${plan.experiment}: no point was trained`);
        const { params: _p, wallMs: _w, ...rest } = r;
        void _p;
        void _w;
        return { ...common, ...rest };
    }
    const badness = (r: PointResult) => (r.stopped === 'diverged' || !Number.isFinite(r.metrics.mse) ? Infinity : r.metrics.mse);
    let worst = 0;
    points.forEach((r, k) => {
        if (badness(r) > badness(points[worst])) worst = k;
    });
    const steps = points.reduce((s, r) => s + r.steps, 0);
    const stepSeconds = points.reduce((s, r) => s + (r.stepsPerSecond > 0 ? r.steps / r.stepsPerSecond : 0), 0);
    const diverged = points.find(r => r.stopped === 'diverged');
    const stopped: StopReason = diverged
        ? 'diverged'
        : points.length < compiled.length || points.some(r => r.stopped === 'cancelled')
          ? 'cancelled'
          : points.every(r => r.stopped === 'target')
            ? 'target'
            : 'steps';
    const w = points[worst];
    const trained = new Set(points.map(r => JSON.stringify(r.params)));
    const notRun = compiled.filter(c => !trained.has(JSON.stringify(c.params))).map(c => c.params);
    const pathWeightTarget = points.find(r => r.pathWeightTarget !== undefined)?.pathWeightTarget;
    const spread = seedGroups({ runs: points }, first.stopBelowMse);
    return {
        ...common,
        steps,
        stepsPerSecond: stepSeconds > 0 ? steps / stepSeconds : 0,
        stopped,
        ...(diverged?.divergedAt ? { divergedAt: diverged.divergedAt } : {}),
        metrics: w ? w.metrics : { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN },
        evaluations: w ? w.evaluations : [],
        runs: points,
        ...(w ? { worstRun: worst } : {}),
        ...(pathWeightTarget !== undefined ? { pathWeightTarget } : {}),
        ...(notRun.length > 0 ? { notRun } : {}),
        ...(spread.length > 0 ? { seedGroups: spread } : {}),
    };
}
