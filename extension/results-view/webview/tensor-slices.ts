// Pure helpers of the results view (no DOM): a cluster's slice of a weight tensor, a sweep's points along one parameter.
import type { PointResult, WeightTensor } from '../../../engine/view.js';

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

type Params = Record<string, number | string>;

/** A sweep axis's values in plot order: numbers ascending; names (`relu`, `shuffled`) in the order the spec lists them. */
export function axisValues(values: readonly (number | string | undefined)[]): (number | string)[] {
    const distinct = [...new Set(values.filter((v): v is number | string => v !== undefined))];
    return distinct.every(v => typeof v === 'number') ? (distinct).sort((a, b) => a - b) : distinct;
}

/**
 * Where a sweep value sits on a plot's x axis: a number at itself; a name at its index among the axis's values
 * (`labels` then names the ticks). Numeric axes have no labels.
 */
export function axisPlacement(values: readonly (number | string)[]): { at: (v: number | string | undefined) => number; ticks: number[]; labels?: string[] } {
    if (values.every(v => typeof v === 'number')) return { at: v => v as number, ticks: values as number[] };
    const labels = values.map(String);
    return { at: v => labels.indexOf(String(v)), ticks: labels.map((_, k) => k), labels };
}

/** The points where every parameter but `x` has the fixed value, as (x, metric) pairs sorted by x. */
export function sweepSlice(runs: PointResult[], x: string, fixed: Params, metric: SweepMetric): { x: number; y: number }[] {
    const place = axisPlacement(axisValues(runs.map(r => (r.params as Params)[x])));
    // fixed values come from <select>s as text: compare as text, so names and numbers alike match
    return runs
        .filter(r => Object.entries(fixed).every(([k, v]) => k === x || String((r.params as Params)[k]) === String(v)))
        .flatMap(r => { const y = r.metrics[metric]; return typeof y !== 'number' ? [] : [{ x: place.at((r.params as Params)[x]), y }]; })
        .sort((a, b) => a.x - b.x);
}
