// Human output of `emn train`: results tables, numbers in a compact form (the plan: compiler/plan-markdown.ts).
import type { ExperimentResult } from '../language-server/results/result-types.js';

/** 3 significant digits; exponent form for very small or large magnitudes. */
export function fmt(v: number | undefined): string {
    if (v === undefined) return '-';
    if (!Number.isFinite(v)) return String(v);
    if (v === 0) return '0';
    const a = Math.abs(v);
    return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

/** Left-aligned first column, right-aligned others. */
export function table(header: string[], rows: string[][]): string[] {
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map(r => (r[c] ?? '').length)));
    const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
    return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)];
}

function stoppedText(r: { stopped: string; steps: number; divergedAt?: { step: number; loss: number } }): string {
    if (r.stopped === 'diverged' && r.divergedAt) return `diverged at step ${r.divergedAt.step} (loss ${fmt(r.divergedAt.loss)})`;
    if (r.stopped === 'target') return `reached the target at step ${r.steps}`;
    if (r.stopped === 'cancelled') return `cancelled at step ${r.steps}`;
    return `ran ${r.steps} steps`;
}

export function formatResult(r: ExperimentResult): string {
    const out: string[] = [];
    out.push(`${r.experiment}: ${r.operation} learned by ${r.network} on ${r.backend}, ${stoppedText(r)}`);
    out.push(`  wall ${(r.wallMs / 1000).toFixed(1)} s, ${Math.round(r.stepsPerSecond)} steps/s`);
    if (r.backendFallbacks?.length) out.push(`  backend fallbacks: ${r.backendFallbacks.join('; ')}`);
    if (r.runs) {
        const keys = [...new Set(r.runs.flatMap(p => Object.keys(p.params)))];
        const evalNames = r.runs[0]?.evaluations.slice(1).map(e => e.on) ?? [];
        const leak = r.runs.some(p => p.metrics.pathWeightLeak !== undefined);
        const header = [...keys, 'steps', 'stopped', 'test mse', 'max |err|', 'rel err', 'mean|E-1|', ...(leak ? ['leak'] : []),
            ...evalNames.map(n => `mse on ${n}`)];
        const rows = r.runs.map(p => [
            ...keys.map(k => String(p.params[k as keyof typeof p.params] ?? '')),
            String(p.steps), p.stopped, fmt(p.metrics.mse), fmt(p.metrics.maxAbsError), fmt(p.metrics.relError),
            fmt(p.metrics.pathWeightError), ...(leak ? [fmt(p.metrics.pathWeightLeak)] : []),
            ...p.evaluations.slice(1).map(e => fmt(e.mse)),
        ]);
        out.push(...table(header, rows).map(l => '  ' + l));
        if (r.worstRun !== undefined) out.push(`  worst point (top-level metrics): row ${r.worstRun + 1}, test mse ${fmt(r.metrics.mse)}`);
    } else {
        const rows = r.evaluations.map(e => [e.on + (e.note ? ' *' : ''), String(e.samples), fmt(e.mse), fmt(e.rmse ?? Math.sqrt(e.mse)), fmt(e.maxAbsError), fmt(e.relError)]);
        out.push(...table(['evaluated on', 'samples', 'mse', 'rmse', 'max |err|', 'rel err'], rows).map(l => '  ' + l));
        for (const e of r.evaluations) if (e.note) out.push(`  * ${e.note}`);
        if (r.metrics.pathWeightError !== undefined) out.push(`  path weights: mean |E - 1| = ${fmt(r.metrics.pathWeightError)}`);
        if (r.metrics.pathWeightLeak !== undefined) out.push(`  cross-row path weights (dense): mean |E[i][i'][j]| = ${fmt(r.metrics.pathWeightLeak)}`);
    }
    return out.join('\n');
}
