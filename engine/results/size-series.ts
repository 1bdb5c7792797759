// Relative error against evaluation size (shared weights: trained at one n, evaluated at others): the series a figure draws.
import type { EvaluationResult } from './result-types.js';

/** One operation's evaluations at several sizes: [n, relative error], n ascending. */
export interface SizeSeries {
    label: string;
    points: [number, number][];
}

/** The evaluations grouped by operation, when some were made at another size than `trainedAt`; none otherwise. */
export function sizeSeries(evaluations: readonly EvaluationResult[], trainedAt: number | undefined): SizeSeries[] {
    const sized = evaluations.filter(e => e.size !== undefined && e.on !== 'pool');
    if (trainedAt === undefined || !sized.some(e => e.size !== trainedAt)) return [];
    const byOp = new Map<string, [number, number][]>();
    for (const e of sized) byOp.set(e.on, [...(byOp.get(e.on) ?? []), [e.size!, e.relError]]);
    return [...byOp].map(([label, points]) => ({ label, points: points.sort((a, b) => a[0] - b[0]) }));
}
