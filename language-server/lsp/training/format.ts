// Short number and label formats shared by CodeLens, inlay hints, hover and diagnostics ("3.1e-12", "0.8 s").
import type { ExperimentResult, PointResult } from '../../results/result-types.js';

/** Scientific with two significant digits: errors span many decades, so the exponent is what matters. */
export function sci(x: number | undefined): string {
    if (x === undefined) return '–';
    if (Number.isNaN(x)) return 'NaN';
    if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
    if (x === 0) return '0';
    return x.toExponential(1).replace('e+', 'e');
}

/** Plain numbers for weights and parameters: short, no exponent unless needed. */
export function num(x: number): string {
    if (!Number.isFinite(x)) return String(x);
    if (x === 0) return '0';
    const a = Math.abs(x);
    if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(3)));
    return sci(x);
}

export function duration(ms: number): string {
    if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
    if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
    return `${(ms / 60_000).toFixed(1)} min`;
}

/** "size 5, sparsity 0.2" */
export function paramsLabel(params: PointResult['params']): string {
    return Object.entries(params).map(([k, v]) => `${k} ${num(v as number)}`).join(', ');
}

/** "MSE 3.1e-12 · max err 4.0e-6 · 0.8 s · wasm" */
export function resultSummary(r: ExperimentResult): string {
    return `MSE ${sci(r.metrics.mse)} · max err ${sci(r.metrics.maxAbsError)} · ${duration(r.wallMs)} · ${r.backend}`;
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
