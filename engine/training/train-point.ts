// Trains one compiled plan (one sweep point): the step loop, early stop, divergence, cancellation, then evaluation.
import type { CompiledPlan } from '../compiler/plan-types.js';
import { deriveSeed } from '../compiler/seeds.js';
import { evaluatePlan, evaluateSet, tfPredict } from './evaluate.js';
import { learnedMapOf } from './learned-map.js';
import { batchTensors, initialWeights, mseLoss, paramSpecs } from './network.js';
import { emnTrainStep } from './fused-ops.js';
import { chooseKernel } from './kernel-registry.js';
import { createOptimizer, fusedOptimizer } from './optimizer.js';
import { tf } from './tf.js';
import { trainSimdPoint } from './train-simd-point.js';
import { pointOutcome, runStepLoop } from './step-loop.js';
import { CONFIRM_SEED_INDEX, type PointOutcome, TARGET_CONFIRM_SAMPLES, TargetRule, type TrainOptions } from './train-rules.js';
import { TrainingData } from './training-data.js';

export {
    DIVERGENCE_FACTOR,
    LossScale,
    type PointOutcome,
    type StepProgress,
    TARGET_READS,
    TargetRule,
    type TrainOptions,
} from './train-rules.js';

export async function trainPoint(plan: CompiledPlan, opts: TrainOptions = {}): Promise<PointOutcome> {
    // chosen once for the point: the step, the loss, the target check and the evaluation all take this one
    const kernel = chooseKernel(plan, opts.kernels ?? 'simd', tf.getBackend());
    // the SIMD step keeps weights and slots in its own memory and needs no tfjs (train-point-simd.ts)
    if (kernel === 'simd' || kernel === 'simd-layers') return trainSimdPoint(plan, opts, kernel);
    const started = performance.now();
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
    const fused = kernel === 'fused';
    // fused path: optimiser slots (velocity, or Adam's m then v) in weight order, updated by the step kernel
    const slots: tf.Variable[] = fused
        ? Array.from({ length: fusedOptimizer(plan.optimizer, 1).slotsPerWeight }, () =>
              varList.map(v => tf.tidy(() => tf.variable(tf.zerosLike(v), false))),
          ).flat()
        : [];
    const n = plan.operation.n;

    const target =
        plan.stopBelowMse === undefined
            ? undefined
            : new TargetRule(
                  plan.stopBelowMse,
                  () =>
                      evaluateSet(
                          plan,
                          vars,
                          plan.operation,
                          TARGET_CONFIRM_SAMPLES,
                          deriveSeed(plan.seeds.evaluation, CONFIRM_SEED_INDEX),
                          data.pool,
                          kernel,
                      ).mse,
              );
    try {
        let targets: Float32Array = new Float32Array(0);
        const end = await runStepLoop(
            plan,
            opts,
            (step, read) => {
                const batch = data.next(step - 1);
                targets = batch.y;
                const lossTensor = fused
                    ? tf.tidy(() => {
                          // one kernel for forward, backward and update; the variables take the new values (no copies)
                          const ax = tf.tensor3d(batch.ax, [n, batch.size, n]),
                              y = tf.tensor2d(batch.y, [n, batch.size]);
                          const [loss, ...next] = emnTrainStep(plan, ax, y, varList, slots, fusedOptimizer(plan.optimizer, step).step);
                          next.forEach((t, e) => (e < varList.length ? varList[e] : slots[e - varList.length]).assign(t));
                          return loss;
                      })
                    : tf.tidy(() => {
                          const input = batchTensors(plan, batch);
                          const { value, grads } = tf.variableGrads(() => mseLoss(plan, vars, input, kernel), varList);
                          const named: Record<string, tf.Tensor> = {};
                          for (const [k, g] of Object.entries(grads)) named[ours.get(k)!] = g;
                          optimizer.apply(vars, named);
                          return value;
                      });
                const loss = read ? lossTensor.dataSync()[0] : NaN;
                lossTensor.dispose();
                return loss;
            },
            () => targets,
            target,
        );
        const finalWeights = new Map<string, Float32Array>();
        // copy: a backend may hand out its own buffer, which dies with the variable
        for (const [name, v] of Object.entries(vars)) finalWeights.set(name, Float32Array.from(v.dataSync()));
        return pointOutcome(
            plan,
            end,
            finalWeights,
            () => evaluatePlan(plan, vars, data.pool, kernel),
            started,
            () => learnedMapOf(plan, tfPredict(plan, vars, kernel), data.pool),
            data.support(),
        );
    } finally {
        for (const v of [...varList, ...slots]) v.dispose();
        optimizer.dispose();
    }
}
