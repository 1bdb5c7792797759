// The learned map and the parameter counts in words and tables, for the CLI, the report and the results view (browser-safe).
import { num } from '../format-numbers.js';
import type { ExperimentResult, LearnedMap, PointResult } from './result-types.js';

/** sigma_i(T) above this share of sigma_1(T) count toward the target's rank (float32 A leaves round-off below it). */
const TARGET_RANK_FLOOR = 1e-6;

/** The rank of the target map: its singular values above 1e-6 sigma_1. */
export function targetRank(lm: LearnedMap): number {
    const s = lm.targetSingularValues;
    return s.filter(v => v > TARGET_RANK_FLOOR * (s[0] ?? 0)).length;
}

/**
 * Eckart-Young: no map of rank h is closer to T in the spectral norm than sigma_(h+1)(T), so ||M - T||_2 / ||T||_2 of a
 * rank-h map is at least sigma_(h+1)(T) / sigma_1(T). The bound at M's own numerical rank; 0 when M has T's rank or more.
 */
export function eckartYoungBound(lm: LearnedMap): number {
    const s = lm.targetSingularValues;
    const next = s[lm.numericalRank] ?? 0;
    return s[0] > 0 ? next / s[0] : 0;
}

/** The lines a single run's learned map prints as; T is the target's map (A for y = A x, A^k for power k). */
export function learnedMapLines(lm: LearnedMap): string[] {
    const sigma = (values: number[]) => values.map(num).join(' ');
    const bound =
        lm.numericalRank < targetRank(lm) ? ` (Eckart–Young bound at rank ${lm.numericalRank}: ${num(eckartYoungBound(lm))})` : '';
    return [
        `learned map M (columns f(A, e_j) - f(A, 0)): numerical rank ${lm.numericalRank} (σ above ${num(lm.rankTolerance)}), ` +
            `target T (A for matvec) rank ${targetRank(lm)}; ||M - T||₂ / ||T||₂ = ${num(lm.relativeError)}${bound}; ` +
            `offset ||f(A, 0)|| = ${num(lm.offset)}`,
        `  σ(M): ${sigma(lm.singularValues)}`,
        `  σ(T): ${sigma(lm.targetSingularValues)}`,
    ];
}

/** The columns of the learned-map table of a sweep. */
export const LEARNED_MAP_COLUMNS = [
    'point',
    'architecture',
    'parameters',
    'rank M',
    'rank target',
    'rel err ||M - T||₂',
    'Eckart–Young bound',
];

/** One row per point that has a learned map (its index among the runs first). */
export function learnedMapRows(runs: readonly PointResult[]): string[][] {
    return runs.flatMap((p, index) => {
        const lm = p.learnedMap;
        if (!lm) return [];
        return [
            [
                String(index),
                p.architecture ?? 'emn',
                p.parameterCount === undefined ? '-' : p.parameterCount.toLocaleString('en-US'),
                String(lm.numericalRank),
                String(targetRank(lm)),
                num(lm.relativeError),
                lm.numericalRank < targetRank(lm) ? num(eckartYoungBound(lm)) : '-',
            ],
        ];
    });
}

/** "parameters: 72 (emn)", or per architecture for a sweep: "parameters: 72 (emn), 1,419 (mlp)"; undefined for older results. */
export function parameterCountLine(r: ExperimentResult): string | undefined {
    const points: { architecture?: string; parameterCount?: number }[] = r.runs ?? [r];
    const seen = new Map<string, Set<number>>();
    for (const p of points) {
        if (p.parameterCount === undefined) continue;
        const arch = p.architecture ?? 'emn';
        if (!seen.has(arch)) seen.set(arch, new Set());
        seen.get(arch)!.add(p.parameterCount);
    }
    if (seen.size === 0) return undefined;
    const parts = [...seen].map(([arch, counts]) => {
        const sorted = [...counts].sort((a, b) => a - b).map(c => c.toLocaleString('en-US'));
        return `${sorted.length > 1 ? `${sorted[0]} to ${sorted[sorted.length - 1]}` : sorted[0]} (${arch})`;
    });
    return `parameters: ${parts.join(', ')}`;
}
