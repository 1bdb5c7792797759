// The step loop and the point's outcome that both trainers share (tfjs and the SIMD step): the rules, not the arithmetic.
import type { CompiledPlan } from '../compiler/plan-types.js';
import { memorisationQuotient } from '../results/memorisation.js';
import type { ErrorMetrics, EvaluationResult, LearnedMap, PointResult, StopReason } from '../results/result-types.js';
import { publishWeight } from './network-layout.js';
import { CONVERGENCE_RULE, judgeConvergence, stepsBelowDecades } from './convergence.js';
import { pathWeights } from './path-weights.js';
import { LossScale, MAX_CURVE_POINTS, type PointOutcome, subsample, type TargetRule, type TrainOptions } from './train-rules.js';

/** One training step: its loss when `read` (NaN otherwise; reading it may cost a sync). */
export type TrainStep = (step: number, read: boolean) => number;

/** How a step loop ended. */
export interface LoopEnd {
    stopped: StopReason;
    divergedAt?: PointResult['divergedAt'];
    steps: number;
    /** Time inside the steps only (no progress, no yielding): what steps/s is measured on. */
    stepMs: number;
    curve: [number, number][];
}

/**
 * Runs `trainStep` for the plan's steps (`stepTargets`: the targets of the batch it just trained on, for the loss scale): cancellation
 * before each step, a loss read every `readEvery` steps (and the
 * first and last), the divergence rule on the loss scale, progress, the target rule, and a turn of the event loop
 * after each read when the run can be cancelled.
 */
export async function runStepLoop(
    plan: CompiledPlan,
    opts: TrainOptions,
    trainStep: TrainStep,
    stepTargets: () => Float32Array,
    target?: TargetRule,
): Promise<LoopEnd> {
    const readEvery = Math.max(1, opts.readEvery ?? 10);
    const curve: [number, number][] = [];
    const scale = new LossScale();
    let stopped: StopReason = 'steps';
    let divergedAt: PointResult['divergedAt'];
    let stepMs = 0;
    let steps = 0;
    for (let step = 1; step <= plan.steps; step++) {
        if (opts.signal?.aborted || opts.shouldStop?.()) {
            stopped = 'cancelled';
            break;
        }
        const t0 = performance.now();
        const read = step === 1 || step % readEvery === 0 || step === plan.steps;
        const loss = trainStep(step, read);
        if (read) scale.addBatch(stepTargets());
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
        if (target?.reached(loss)) {
            stopped = 'target';
            break;
        }
        if (opts.yieldOnRead ?? opts.signal !== undefined) await new Promise(resolve => setImmediate(resolve));
    }
    return { stopped, ...(divergedAt ? { divergedAt } : {}), steps, stepMs, curve };
}

/**
 * A point's outcome from how its loop ended and its final weights: evaluated (`evaluate`, not for a diverged network:
 * nothing there is worth evaluating; a cancelled one is evaluated as it stands), with E and the published weights.
 * `support`: the entries training saw (TrainingData.support), which pathWeightError averages over.
 */
export function pointOutcome(
    plan: CompiledPlan,
    end: LoopEnd,
    finalWeights: Map<string, Float32Array>,
    evaluate: () => (EvaluationResult & { rmse: number })[],
    started: number,
    measureMap?: () => LearnedMap | undefined,
    support?: Uint8Array,
): PointOutcome {
    const diverged = end.stopped === 'diverged';
    const evaluations = diverged ? [] : evaluate();
    const first = evaluations[0];
    const pw = diverged ? undefined : pathWeights(plan, finalWeights, support);
    const metrics: ErrorMetrics = first
        ? { mse: first.mse, rmse: first.rmse, maxAbsError: first.maxAbsError, relError: first.relError }
        : { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN };
    if (pw?.error !== undefined) metrics.pathWeightError = pw.error;
    if (pw?.leak !== undefined) metrics.pathWeightLeak = pw.leak;
    const pathWeightSupport = pw?.error !== undefined ? pw.supportSize : undefined;
    // judged on every reading (end.curve), never the subsampled curve; a meta-epoch is M x K x E steps long / M
    const schedule = plan.schedule;
    const metaEpochSteps = schedule.kind === 'metaEpochs' ? schedule.masks * schedule.stepsPerMask : undefined;
    const judged = judgeConvergence(end.stopped, end.curve, plan.stopBelowMse ?? CONVERGENCE_RULE.defaultThreshold, metaEpochSteps);
    const stepsBelow = stepsBelowDecades(end.curve);
    const quotient = memorisationQuotient(plan, evaluations);
    const learnedMap = diverged ? undefined : measureMap?.();
    if (quotient !== undefined) metrics.memorisationQuotient = quotient;
    return {
        metrics,
        evaluations,
        steps: end.steps,
        stopped: end.stopped,
        ...(end.divergedAt ? { divergedAt: end.divergedAt } : {}),
        wallMs: performance.now() - started,
        stepsPerSecond: end.stepMs > 0 ? end.steps / (end.stepMs / 1000) : 0,
        lossCurve: subsample(end.curve, MAX_CURVE_POINTS),
        weights: [...finalWeights].map(([name, v]) => publishWeight(plan, name, v)),
        ...(pw ? { pathWeights: pw.e } : {}),
        ...(plan.pathWeightTarget !== undefined ? { pathWeightTarget: plan.pathWeightTarget } : {}),
        ...(pathWeightSupport !== undefined ? { pathWeightSupport } : {}),
        convergence: judged.convergence,
        ...(judged.info ? { convergenceInfo: judged.info } : {}),
        ...(Object.keys(stepsBelow).length ? { stepsBelow } : {}),
        trainingSize: plan.operation.n,
        architecture: plan.network.architecture ?? 'emn',
        parameterCount: plan.parameterCount,
        ...(learnedMap ? { learnedMap } : {}),
        finalWeights,
    };
}
