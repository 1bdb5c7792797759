// Pure helpers of the results view (no DOM): a cluster's slice of a weight tensor, a sweep's points along one parameter.
import type { PointResult, WeightTensor } from '../../../engine/results/result-types.js';

export type SweepMetric = 'mse' | 'relError' | 'maxAbsError' | 'pathWeightError' | 'memorisationQuotient';

/** The first (masked) layer: [n, w, n], cluster i's w units over the n inputs that A's row i gates. */
export function firstLayer(weights: WeightTensor[]): WeightTensor | undefined {
    return weights.find(w => /^mask1\b/.test(w.name) && w.shape.length === 3);
}

/** Row i of a tensor's first axis: W1[i] of [n, w, n] is [w, n]; E[i] of [n, n] is [1, n]. */
export function slice(t: WeightTensor, i: number): WeightTensor {
    const inner = t.shape.slice(1);
    const size = inner.reduce((a, b) => a * b, 1);
    return { name: `${t.name}[${i}]`, shape: inner.length === 1 ? [1, inner[0]] : inner, values: t.values.slice(i * size, (i + 1) * size) };
}

type Params = Record<string, number>;

/** The points where every parameter but `x` has the fixed value, as (x, metric) pairs sorted by x. */
export function sweepSlice(runs: PointResult[], x: string, fixed: Params, metric: SweepMetric): { x: number; y: number }[] {
    return runs
        .filter(r => Object.entries(fixed).every(([k, v]) => k === x || (r.params as Params)[k] === v))
        .flatMap(r => { const y = r.metrics[metric]; return typeof y !== 'number' ? [] : [{ x: (r.params as Params)[x], y }]; })
        .sort((a, b) => a.x - b.x);
}
