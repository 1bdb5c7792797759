// Error metrics of a network held in tfjs tensors (evaluate-set.ts draws the sets and scores the predictions).
import type { CompiledPlan, PlanOperation } from '../compiler/plan-types.js';
import type { EvaluationResult } from '../results/result-types.js';
import { batchTensors, forward, type Params } from './network.js';
import type { Matrix } from './sampling.js';
import type { KernelName } from './kernel-registry.js';
import { evaluatePlanWith, evaluateSetWith, type Predict, type SetMetrics } from './evaluate-set.js';
import { tf } from './tf.js';

export type { SetMetrics };

/** The tfjs forward pass as a Predict. */
export function tfPredict(plan: CompiledPlan, params: Params, kernel: KernelName): Predict {
    return batch => {
        // the tensor leaves the tidy, not its data: tidy walks whatever it returns, element by element for a typed array
        const out = tf.tidy(() => forward(plan, params, batchTensors(plan, batch), kernel));
        const yhat = out.dataSync();
        out.dispose();
        return yhat;
    };
}

/** evaluateSetWith for a network in tfjs tensors. */
export function evaluateSet(
    plan: CompiledPlan,
    params: Params,
    op: PlanOperation,
    samples: number,
    seed: number,
    pool: Matrix[] | undefined,
    kernel: KernelName,
): SetMetrics {
    return evaluateSetWith(plan, tfPredict(plan, params, kernel), op, samples, seed, pool);
}

/** Every evaluation of the plan for a network in tfjs tensors. */
export function evaluatePlan(
    plan: CompiledPlan,
    params: Params,
    pool: Matrix[] | undefined,
    kernel: KernelName,
): (EvaluationResult & { rmse: number })[] {
    return evaluatePlanWith(plan, tfPredict(plan, params, kernel), pool);
}
