// Trains one plan on the wasm SIMD step without tfjs: the step loop, early stop, divergence, cancellation, evaluation.
import type { CompiledPlan } from '../compiler/plan-types.js';
import { deriveSeed } from '../compiler/seeds.js';
import { forwardAll, RowwiseWorkspace } from './emn-kernels.js';
import { evaluatePlanWith, evaluateSetWith, type Predict } from './evaluate-set.js';
import { initialWeights } from './network-layout.js';
import { layersPredict } from './layers-forward.js';
import { simdLayersRun } from './simd-layers-kernel.js';
import { rowwiseShape, simdTrainer } from './simd-trainer.js';
import { pointOutcome, runStepLoop } from './step-loop.js';
import { CONFIRM_SEED_INDEX, type PointOutcome, TARGET_CONFIRM_SAMPLES, TargetRule, type TrainOptions } from './train-rules.js';
import { TrainingData } from './training-data.js';

/**
 * The rowwise network's forward pass on plain arrays (weights in their internal layouts, by name in paramSpecs order):
 * the very function the fused tfjs kernel runs (fused-ops.ts), so the metrics are the tfjs path's to the bit.
 */
export function plainPredict(plan: CompiledPlan, weights: Map<string, Float32Array>, workspaces: Map<number, RowwiseWorkspace>): Predict {
    const W = [...weights.values()];
    return batch => {
        let ws = workspaces.get(batch.size);
        if (!ws) workspaces.set(batch.size, (ws = new RowwiseWorkspace({ ...rowwiseShape(plan), B: batch.size })));
        const yhat = new Float32Array(plan.operation.n * batch.size);
        forwardAll(ws, batch.ax, W, yhat);
        return yhat;
    };
}

/**
 * trainPoint for a plan on one of the wasm kernels (`simd`, or `simd-layers` for k masking layers and skip channels):
 * the same loop and rules (train-rules.ts), the same numbers, no tfjs.
 */
export async function trainSimdPoint(
    plan: CompiledPlan,
    opts: TrainOptions = {},
    kernel: 'simd' | 'simd-layers' = 'simd',
): Promise<PointOutcome> {
    const started = performance.now();
    const data = new TrainingData(plan);
    const init = opts.initial ?? initialWeights(plan);
    const simd = kernel === 'simd' ? simdTrainer(plan, init, data) : simdLayersRun(plan, init);
    // one forward workspace per evaluation chunk size, for every confirmation and the final evaluation
    const workspaces = new Map<number, RowwiseWorkspace>();
    const predict = (weights: Map<string, Float32Array>) =>
        kernel === 'simd' ? plainPredict(plan, weights, workspaces) : layersPredict(plan, weights);

    const target =
        plan.stopBelowMse === undefined
            ? undefined
            : new TargetRule(
                  plan.stopBelowMse,
                  () =>
                      evaluateSetWith(
                          plan,
                          predict(simd.weights()),
                          plan.operation,
                          TARGET_CONFIRM_SAMPLES,
                          deriveSeed(plan.seeds.evaluation, CONFIRM_SEED_INDEX),
                          data.pool,
                      ).mse,
              );
    const end = await runStepLoop(
        plan,
        opts,
        step => simd.step(data, step),
        () => simd.targets(),
        target,
    );
    const finalWeights = simd.weights();
    return pointOutcome(
        plan,
        end,
        finalWeights,
        () => evaluatePlanWith(plan, predict(finalWeights), data.pool),
        started,
        undefined,
        data.support(),
    );
}
