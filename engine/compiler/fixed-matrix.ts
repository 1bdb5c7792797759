// Whether a plan trains on one fixed matrix A, and so whether its result can carry the learned map M (docs/results-format.md).
import type { CompiledPlan } from './plan-types.js';

/**
 * Whether every training sample of the plan uses one and the same A: a matrix file (`matrix "x.mtx"`), `pool 1` (joint
 * schedule), or meta-epochs over one mask. (A larger pool is finite but not fixed; TrainingData.support gives the edges
 * any training matrix had.)
 */
export function hasFixedMatrix(plan: CompiledPlan): boolean {
    const s = plan.schedule;
    return plan.operation.matrix !== undefined || (s.kind === 'joint' ? s.pool === 1 : s.masks === 1);
}

/**
 * Whether the result gets `learnedMap`: A fixed and no activation. Then f(A, x) is affine in x (linear for an EMN, with
 * the biases' offset for an MLP), so M[:, j] = f(A, e_j) - f(A, 0) is the whole map. With relu or tanh f is not affine in
 * x and no one matrix describes it; with A drawn per sample there is no one A to read the map at.
 */
export function learnedMapReason(plan: CompiledPlan): { planned: true } | { planned: false; why: string } {
    if (!hasFixedMatrix(plan)) return { planned: false, why: 'A is drawn per sample (use pool 1 for one fixed A)' };
    if (plan.network.activation !== 'none') return { planned: false, why: `${plan.network.activation} makes the network non-linear in x` };
    return { planned: true };
}
