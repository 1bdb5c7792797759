// Trains one compiled plan (one sweep point): the step loop, early stop, divergence, cancellation, then evaluation.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { ErrorMetrics, PointResult, StopReason, WeightTensor } from '../results/result-types.js';
import { deriveSeed } from '../compiler/seeds.js';
import { evaluatePlan, evaluateSet } from './evaluate.js';
import { batchTensors, initialWeights, mseLoss, paramSpecs, publishWeight } from './network.js';
import { emnTrainStep, fusedApplies, kernelMode } from './fused-ops.js';
import { createOptimizer, fusedOptimizer } from './optimizer.js';
import { simdApplies } from './simd-step.js';
import { pathWeights } from './path-weights.js';
import { tf } from './tf.js';
import { trainSimdPoint } from './train-point-simd.js';
import { CONFIRM_SEED_INDEX, LossScale, MAX_CURVE_POINTS, type PointOutcome, subsample, TARGET_CONFIRM_SAMPLES, TargetRule, type TrainOptions } from './train-rules.js';
import { TrainingData } from './training-data.js';

export { DIVERGENCE_FACTOR, LossScale, type PointOutcome, type StepProgress, TARGET_READS, TargetRule, type TrainOptions } from './train-rules.js';

export async function trainPoint(plan: CompiledPlan, opts: TrainOptions = {}): Promise<PointOutcome> {
    const kernels = opts.kernels ?? kernelMode();
    // the SIMD step keeps weights and slots in its own memory and needs no tfjs (train-point-simd.ts)
    if (simdApplies(plan, kernels, tf.getBackend())) return trainSimdPoint(plan, opts);
    const started = performance.now();
    const readEvery = Math.max(1, opts.readEvery ?? 10);
    const specs = paramSpecs(plan);
    const init = opts.initial ?? initialWeights(plan);
    const vars: Record<string, tf.Variable> = {};
    // inside tidy: the initial-value tensor goes, the variable (which shares its data) stays
    for (const p of specs) vars[p.name] = tf.tidy(() => tf.variable(tf.tensor(init.get(p.name)!, p.internalShape), true));
    // tfjs names variables globally; map them back to ours for the gradients
    const ours = new Map(Object.entries(vars).map(([name, v]) => [v.name, name]));
    const varList = Object.values(vars);
    const optimizer = createOptimizer(plan.optimizer);
    const data = new TrainingData(plan);
    const fused = fusedApplies(plan, kernels);
    // fused path: optimiser slots (velocity, or Adam's m then v) in weight order, updated by the step kernel
    const slots: tf.Variable[] = fused
        ? Array.from({ length: fusedOptimizer(plan.optimizer, 1).slotsPerWeight }, () => varList.map(v => tf.tidy(() => tf.variable(tf.zerosLike(v), false)))).flat()
        : [];
    const n = plan.operation.n;

    const curve: [number, number][] = [];
    let stopped: StopReason = 'steps';
    let divergedAt: PointResult['divergedAt'];
    let stepMs = 0;
    let steps = 0;
    const scale = new LossScale();
    const target = plan.stopBelowMse === undefined ? undefined : new TargetRule(plan.stopBelowMse,
        () => evaluateSet(plan, vars, plan.operation, TARGET_CONFIRM_SAMPLES, deriveSeed(plan.seeds.evaluation, CONFIRM_SEED_INDEX), data.pool, kernels).mse);
    try {
        for (let step = 1; step <= plan.steps; step++) {
            if (opts.signal?.aborted || opts.shouldStop?.()) { stopped = 'cancelled'; break; }
            const t0 = performance.now();
            const read = step === 1 || step % readEvery === 0 || step === plan.steps;
            const batch = data.next(step - 1);
            const lossTensor = fused ? tf.tidy(() => {
                // one kernel for forward, backward and update; the variables take the new values (no copies)
                const ax = tf.tensor3d(batch.ax, [n, batch.size, n]), y = tf.tensor2d(batch.y, [n, batch.size]);
                const [loss, ...next] = emnTrainStep(plan, ax, y, varList, slots, fusedOptimizer(plan.optimizer, step).step);
                next.forEach((t, e) => (e < varList.length ? varList[e] : slots[e - varList.length]).assign(t));
                return loss;
            }) : tf.tidy(() => {
                const input = batchTensors(plan, batch);
                const { value, grads } = tf.variableGrads(() => mseLoss(plan, vars, input, kernels), varList);
                const named: Record<string, tf.Tensor> = {};
                for (const [k, g] of Object.entries(grads)) named[ours.get(k)!] = g;
                optimizer.apply(vars, named);
                return value;
            });
            const loss = read ? lossTensor.dataSync()[0] : NaN;
            if (read) scale.addBatch(batch.y);
            lossTensor.dispose();
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

        const finalWeights = new Map<string, Float32Array>();
        // copy: a backend may hand out its own buffer, which dies with the variable
        for (const [name, v] of Object.entries(vars)) finalWeights.set(name, Float32Array.from(v.dataSync()));
        const weights: WeightTensor[] = [...finalWeights].map(([name, v]) => publishWeight(plan, name, v));
        const nan = { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN };
        // a diverged network has nothing worth evaluating; a cancelled one is evaluated as it stands
        const evaluations = stopped === 'diverged' ? [] : evaluatePlan(plan, vars, data.pool, kernels);
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
    } finally {
        for (const v of [...varList, ...slots]) v.dispose();
        optimizer.dispose();
    }
}

