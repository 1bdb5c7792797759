// The one wording of each result metric and of a sweep point's number, for every table: emn train, diff and report.
import { pathWeightLabel } from './format-numbers.js';

/** The error metrics (ErrorMetrics' keys) as tables head them; the path-weight error says its target (pathWeightLabel). */
const METRIC_LABELS: Record<string, string> = {
    mse: 'mse',
    rmse: 'rmse',
    maxAbsError: 'max |err|',
    relError: 'rel err',
    pathWeightLeak: 'leak',
    memorisationQuotient: 'fresh/pool',
};

/** What each label means, for `emn train --help` and the docs. */
export const METRIC_DEFINITIONS: readonly (readonly [string, string])[] = [
    ['mse', "mean of (yhat - y)^2 over the evaluation set's samples and the n outputs"],
    ['max |err|', 'the largest |yhat - y| over the evaluation set'],
    ['rel err', '||yhat - y|| / ||y||, the norms over the whole evaluation set (all samples and outputs)'],
    ['mean|E-1|', 'mean |E - 1| of the effective path weights E (E - c1 for a polynomial target); 0 is exact'],
];

/** A metric as tables head it: 'max |err|', 'rel err', 'mean|E-1|'; a key this module does not know, as it is. */
export function metricLabel(metric: string, pathWeightTarget?: number): string {
    if (metric === 'pathWeightError') return pathWeightLabel(pathWeightTarget, true);
    return METRIC_LABELS[metric] ?? metric;
}

/**
 * What the top-level mse is the mse of: the first evaluation set. 'test mse' when that is fresh samples of the learned
 * operation; 'mse on W' when the spec evaluates only on another operation W (or the pool).
 */
export function firstSetLabel(r: {
    operation: string;
    evaluations: readonly { on: string }[];
    runs?: readonly { evaluations: readonly { on: string }[] }[];
}): string {
    const on = r.evaluations[0]?.on ?? r.runs?.find(p => p.evaluations.length > 0)?.evaluations[0]?.on;
    return on === undefined || on === r.operation ? 'test mse' : `mse on ${on}`;
}

/** A sweep point as every table and message numbers it: its 0-based index, as the JSON's runs, --point and Slurm's task ids. */
export function pointName(index: number): string {
    return `point ${index}`;
}

/** A sweep point among all of a run's, for progress: "point 3 of 12" (numbered from 0, so the last is "point 11 of 12"). */
export function pointOf(index: number, total: number): string {
    return `${pointName(index)} of ${total}`;
}
