// Result labels shared by CodeLens, inlay hints and hover ("MSE 3.1e-12 · max err 4.0e-6 · 0.8 s · wasm").
import { describeSpread, formatDuration, formatPoint, sci, seedGroupsOf } from '../../../engine/view.js';
import type { ExperimentResult, PointResult } from '../../../engine/view.js';
import { convergenceCounts } from '../../../engine/view.js';

/**
 * "MSE 3.1e-12 · max err 4.0e-6 · 0.8 s · wasm", with the convergence verdict after the MSE when the result has one ("MSE 4.0 · floor ·
 * ...").
 */
export function resultSummary(r: ExperimentResult): string {
    const verdict = r.convergence ? ` · ${r.convergence}` : '';
    return `MSE ${sci(r.metrics.mse)}${verdict} · max err ${sci(r.metrics.maxAbsError)} · ${formatDuration(r.wallMs / 1000)} · ${r.backend}`;
}

/** Best and worst sweep points by MSE (NaN counts as worst). */
export function sweepExtremes(r: ExperimentResult): { best: PointResult; worst: PointResult } | undefined {
    const runs = r.runs ?? [];
    if (runs.length === 0) return undefined;
    const key = (p: PointResult) => (Number.isNaN(p.metrics.mse) ? Infinity : p.metrics.mse);
    const sorted = [...runs].sort((a, b) => key(a) - key(b));
    return { best: sorted[0], worst: sorted[sorted.length - 1] };
}

/** "best 1.0e-12 (size 5, sparsity 0.2) · worst 3.0e-7 (size 20, sparsity 0.8)", then the verdicts ("· 3 floor, 6 target"). */
export function sweepSummary(r: ExperimentResult): string | undefined {
    const counts = convergenceCounts(r.runs ?? []);
    const verdicts = counts ? ` · ${counts}` : '';
    const seeds = seedSummary(r);
    if (seeds) return seeds + verdicts;
    const ex = sweepExtremes(r);
    if (!ex) return undefined;
    return `best ${sci(ex.best.metrics.mse)} (${formatPoint(ex.best.params)}) · worst ${sci(ex.worst.metrics.mse)} (${formatPoint(ex.worst.params)})${verdicts}`;
}

/**
 * Seeds (every run in a seed group): "MSE 2.1e-9 (median of 10; 8/10 < 1e-6)" for one setting; for a sweep with seeds,
 * its best and worst setting by median: "best median 1.0e-12 (size 5) · worst median 3.0e-7 (size 20) · 10 seeds each".
 */
export function seedSummary(r: ExperimentResult): string | undefined {
    const groups = seedGroupsOf(r);
    if (groups.length === 0) return undefined;
    if (groups.length === 1) return `MSE ${describeSpread(groups[0], 'mse', sci) ?? 'diverged'}`;
    const key = (g: (typeof groups)[number]) => g.metrics.mse?.median ?? Infinity;
    const sorted = [...groups].sort((a, b) => key(a) - key(b));
    const best = sorted[0],
        worst = sorted[sorted.length - 1];
    const counts = [...new Set(groups.map(g => g.runs.length))];
    return (
        `best median ${sci(key(best))} (${formatPoint(best.params)}) · worst median ${sci(key(worst))} (${formatPoint(worst.params)}) · ` +
        `${counts.join('-')} seeds each`
    );
}
