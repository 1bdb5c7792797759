// Pure helpers of the results view (no DOM): a sweep's points along one parameter; a cluster's slice is the engine's.
import type { PointResult, SweepMetric } from '../../../engine/view.js';

export { firstLayer, slice } from '../../../engine/view.js';
export type { SweepMetric };

type Params = Record<string, number>;

/** The points where every parameter but `x` has the fixed value, as (x, metric) pairs sorted by x. */
export function sweepSlice(runs: PointResult[], x: string, fixed: Params, metric: SweepMetric): { x: number; y: number }[] {
    return runs
        .filter(r => Object.entries(fixed).every(([k, v]) => k === x || (r.params as Params)[k] === v))
        .flatMap(r => { const y = r.metrics[metric]; return y === undefined ? [] : [{ x: (r.params as Params)[x], y }]; })
        .sort((a, b) => a.x - b.x);
}
