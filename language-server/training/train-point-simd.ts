// Trains one plan on the wasm SIMD step without tfjs: the step loop, early stop, divergence, cancellation, evaluation.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { ErrorMetrics, PointResult, StopReason, WeightTensor } from '../results/result-types.js';
import { deriveSeed } from '../compiler/seeds.js';
import { forwardAll, RowwiseWorkspace } from './emn-kernels.js';
import { evaluatePlanWith, evaluateSetWith, type Predict } from './evaluate-set.js';
import { initialWeights, publishWeight } from './network-layout.js';
import { pathWeights } from './path-weights.js';
import { rowwiseShape, simdTrainer } from './simd-step.js';
import { CONFIRM_SEED_INDEX, LossScale, MAX_CURVE_POINTS, type PointOutcome, subsample, TARGET_CONFIRM_SAMPLES, TargetRule, type TrainOptions } from './train-rules.js';
import { TrainingData } from './training-data.js';

/**
 * The rowwise network's forward pass on plain arrays (weights in their internal layouts, by name in paramSpecs order):
 * the very function the fused tfjs kernel runs (fused-ops.ts), so the metrics are the tfjs path's to the bit.
 */
export function plainPredict(plan: CompiledPlan, weights: Map<string, Float32Array>, workspaces: Map<number, RowwiseWorkspace>): Predict {
    const W = [...weights.values()];
    return batch => {
        let ws = workspaces.get(batch.size);
        if (!ws) workspaces.set(batch.size, ws = new RowwiseWorkspace({ ...rowwiseShape(plan), B: batch.size }));
        const yhat = new Float32Array(plan.operation.n * batch.size);
        forwardAll(ws, batch.ax, W, yhat);
        return yhat;
    };
}

/** trainPoint for a plan where simdApplies: the same loop and rules (train-rules.ts), the same numbers, no tfjs. */
export async function trainSimdPoint(plan: CompiledPlan, opts: TrainOptions = {}): Promise<PointOutcome> {
    const started = performance.now();
    const readEvery = Math.max(1, opts.readEvery ?? 10);
    const data = new TrainingData(plan);
    const simd = simdTrainer(plan, opts.initial ?? initialWeights(plan));
    // one forward workspace per evaluation chunk size, for every confirmation and the final evaluation
    const workspaces = new Map<number, RowwiseWorkspace>();

    const curve: [number, number][] = [];
    let stopped: StopReason = 'steps';
    let divergedAt: PointResult['divergedAt'];
    let stepMs = 0;
    let steps = 0;
    const scale = new LossScale();
    const target = plan.stopBelowMse === undefined ? undefined : new TargetRule(plan.stopBelowMse,
        () => evaluateSetWith(plan, plainPredict(plan, simd.weights(), workspaces), plan.operation, TARGET_CONFIRM_SAMPLES,
            deriveSeed(plan.seeds.evaluation, CONFIRM_SEED_INDEX), data.pool).mse);
    for (let step = 1; step <= plan.steps; step++) {
        if (opts.signal?.aborted || opts.shouldStop?.()) { stopped = 'cancelled'; break; }
        const t0 = performance.now();
        const read = step === 1 || step % readEvery === 0 || step === plan.steps;
        const loss = simd.step(data, step);
        if (read) scale.addBatch(simd.targets());
        stepMs += performance.now() - t0;
        steps = step;
        opts.afterStep?.(step);
        if (!read) continue;
        curve.push([step, loss]);
        if (scale.diverged(loss)) {
            stopped = 'diverged';
            divergedAt = { step, loss };
            break;
        }
        opts.onProgress?.({ step, steps: plan.steps, loss });
        if (target?.reached(loss)) { stopped = 'target'; break; }
        if (opts.signal) await new Promise(resolve => setImmediate(resolve));
    }

    const finalWeights = simd.weights();
    const weights: WeightTensor[] = [...finalWeights].map(([name, v]) => publishWeight(plan, name, v));
    const nan = { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN };
    // a diverged network has nothing worth evaluating; a cancelled one is evaluated as it stands
    const evaluations = stopped === 'diverged' ? [] : evaluatePlanWith(plan, plainPredict(plan, finalWeights, workspaces), data.pool);
    const first = evaluations[0];
    const pw = stopped === 'diverged' ? undefined : pathWeights(plan, finalWeights);
    const metrics: ErrorMetrics = first
        ? { mse: first.mse, rmse: first.rmse, maxAbsError: first.maxAbsError, relError: first.relError }
        : { ...nan };
    if (pw?.error !== undefined) metrics.pathWeightError = pw.error;
    if (pw?.leak !== undefined) metrics.pathWeightLeak = pw.leak;
    return {
        metrics,
        evaluations,
        steps,
        stopped,
        ...(divergedAt ? { divergedAt } : {}),
        wallMs: performance.now() - started,
        stepsPerSecond: stepMs > 0 ? steps / (stepMs / 1000) : 0,
        lossCurve: subsample(curve, MAX_CURVE_POINTS),
        weights,
        ...(pw ? { pathWeights: pw.e } : {}),
        ...(plan.pathWeightTarget !== undefined ? { pathWeightTarget: plan.pathWeightTarget } : {}),
        finalWeights,
    };
}
