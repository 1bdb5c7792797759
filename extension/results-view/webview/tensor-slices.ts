// Pure helpers of the results view (no DOM): a sweep's points along one parameter; a cluster's slice is the engine's.
import type { PointResult, SweepMetric } from '../../../engine/view.js';

export { firstLayer, slice } from '../../../engine/view.js';
export type { SweepMetric };

type Params = Record<string, number | string>;

/** A sweep parameter's distinct values: numbers ascending, names in the order the spec gave them. */
export function axisValues(values: readonly (number | string | undefined)[]): (number | string)[] {
    const distinct = [...new Set(values.filter((v): v is number | string => v !== undefined))];
    return distinct.every(v => typeof v === 'number') ? distinct.sort((a, b) => a - b) : distinct;
}

/** The points where every parameter but `x` has the fixed value, as (x, metric) pairs sorted by x (numeric x only). */
export function sweepSlice(runs: PointResult[], x: string, fixed: Params, metric: SweepMetric): { x: number; y: number }[] {
    return runs
        .filter(r => Object.entries(fixed).every(([k, v]) => k === x || (r.params as Params)[k] === v))
        .flatMap(r => {
            const y = r.metrics[metric],
                at = (r.params as Params)[x];
            return y === undefined || y === null || typeof at !== 'number' ? [] : [{ x: at, y }];
        })
        .sort((a, b) => a.x - b.x);
}
