// Result labels shared by CodeLens, inlay hints and hover ("MSE 3.1e-12 · max err 4.0e-6 · 0.8 s · wasm").
import { formatDuration, num, sci } from '../../format-numbers.js';
import type { ExperimentResult, PointResult } from '../../results/result-types.js';

/** "size 5, sparsity 0.2" */
export function paramsLabel(params: PointResult['params']): string {
    return Object.entries(params).map(([k, v]) => `${k} ${num(v)}`).join(', ');
}

/** "MSE 3.1e-12 · max err 4.0e-6 · 0.8 s · wasm" */
export function resultSummary(r: ExperimentResult): string {
    return `MSE ${sci(r.metrics.mse)} · max err ${sci(r.metrics.maxAbsError)} · ${formatDuration(r.wallMs / 1000)} · ${r.backend}`;
}

/** Best and worst sweep points by MSE (NaN counts as worst). */
export function sweepExtremes(r: ExperimentResult): { best: PointResult; worst: PointResult } | undefined {
    const runs = r.runs ?? [];
    if (runs.length === 0) return undefined;
    const key = (p: PointResult) => Number.isNaN(p.metrics.mse) ? Infinity : p.metrics.mse;
    const sorted = [...runs].sort((a, b) => key(a) - key(b));
    return { best: sorted[0], worst: sorted[sorted.length - 1] };
}

/** "best 1.0e-12 (size 5, sparsity 0.2) · worst 3.0e-7 (size 20, sparsity 0.8)" */
export function sweepSummary(r: ExperimentResult): string | undefined {
    const ex = sweepExtremes(r);
    if (!ex) return undefined;
    return `best ${sci(ex.best.metrics.mse)} (${paramsLabel(ex.best.params)}) · worst ${sci(ex.worst.metrics.mse)} (${paramsLabel(ex.worst.params)})`;
}
