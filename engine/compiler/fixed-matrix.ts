// Whether a plan trains on one fixed matrix A, and so whether its result can carry the learned map M (docs/results-format.md).
import type { CompiledPlan } from './plan-types.js';

/**
 * A is fixed when every training sample has the same A: `pool 1` (joint schedule), or meta-epochs over one mask. A matrix
 * read from a file (`matrix "x.mtx"`) is fixed too: add its case here.
 */
function matrixIsFixed(plan: CompiledPlan): boolean {
    const s = plan.schedule;
    return s.kind === 'joint' ? s.pool === 1 : s.masks === 1;
}

/**
 * Whether the result gets `learnedMap`: A fixed and no activation. Then f(A, x) is affine in x (linear for an EMN, with
 * the biases' offset for an MLP), so M[:, j] = f(A, e_j) - f(A, 0) is the whole map. With relu or tanh f is not affine in
 * x and no one matrix describes it; with A drawn per sample there is no one A to read the map at.
 */
export function learnedMapReason(plan: CompiledPlan): { planned: true } | { planned: false; why: string } {
    if (!matrixIsFixed(plan)) return { planned: false, why: 'A is drawn per sample (use pool 1 for one fixed A)' };
    if (plan.network.activation !== 'none') return { planned: false, why: `${plan.network.activation} makes the network non-linear in x` };
    return { planned: true };
}
