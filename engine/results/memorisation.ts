// The memorisation quotient mse(fresh) / mse(pool) of a run trained on a finite pool of matrices (the paper's open question 1).
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { EvaluationResult } from './result-types.js';

/** Below this mse both sets are at the float32 floor, where their ratio is noise. */
export const QUOTIENT_FLOOR = 1e-12;

/** Whether training draws its matrices from a finite pool: `pool K` (joint) or the K masks of meta-epochs. */
function trainsOnPool(plan: CompiledPlan): boolean {
    return plan.schedule.kind === 'metaEpochs' || plan.schedule.pool !== undefined;
}

/**
 * mse(fresh) / mse(pool): "fresh" is the first evaluation (the run's metrics) when it is not `on pool`, "pool" the
 * first `on pool` evaluation. Undefined when the run did not train on a pool or lacks either set; null when both mse
 * are below QUOTIENT_FLOOR. A pool mse below the floor counts as the floor, so the quotient stays finite.
 */
export function memorisationQuotient(plan: CompiledPlan, evaluations: readonly EvaluationResult[]): number | null | undefined {
    const fresh = evaluations[0];
    const pool = evaluations.find(e => e.on === 'pool');
    if (!trainsOnPool(plan) || !fresh || fresh.on === 'pool' || !pool) return undefined;
    if (!Number.isFinite(fresh.mse) || !Number.isFinite(pool.mse)) return undefined;
    if (fresh.mse < QUOTIENT_FLOOR && pool.mse < QUOTIENT_FLOOR) return null;
    return fresh.mse / Math.max(pool.mse, QUOTIENT_FLOOR);
}
