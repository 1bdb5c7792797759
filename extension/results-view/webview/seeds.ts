// Seeds in the results view: the spread table (median, min, max; k/N reached the target) and which seed group a run belongs to.
import type { ErrorMetrics, ExperimentResult, SeedGroup } from '../../../engine/view.js';
import { pathWeightLabel } from '../../../engine/view.js';
import { el, fmt, table } from './dom.js';

/** The metrics of the spread table; E is compared with the operation's own target (1 for matvec). */
const metricsOf = (pathWeightTarget: number | undefined): [keyof ErrorMetrics, string][] => [
    ['mse', 'MSE'],
    ['rmse', 'RMSE'],
    ['maxAbsError', 'max |error|'],
    ['relError', 'relative error'],
    ['pathWeightError', pathWeightLabel(pathWeightTarget)],
    ['memorisationQuotient', 'fresh/pool mse'],
];

/** "8/10 reached mse < 1e-6", or undefined without a stop rule. */
function reachedText(g: SeedGroup): string | undefined {
    return g.target !== undefined ? `${g.reachedTarget ?? 0}/${g.runs.length} reached mse < ${fmt(g.target)}` : undefined;
}

/** The seed group a run (index into `runs`) belongs to. */
export function groupOf(result: ExperimentResult, run: number): SeedGroup | undefined {
    return result.seedGroups?.find(g => g.runs.includes(run));
}

/** One setting: a row per metric (median, min, max). Several (a sweep with seeds): a row per setting for the MSE. */
export function seedSpreadTable(groups: SeedGroup[], pathWeightTarget: number | undefined): HTMLElement {
    if (groups.length === 1 && Object.keys(groups[0].params).length === 0) {
        const g = groups[0];
        const rows = metricsOf(pathWeightTarget).flatMap(([m, label]) => {
            const s = g.metrics[m];
            return s ? [[label, fmt(s.median), fmt(s.min), fmt(s.max)]] : [];
        });
        const reached = reachedText(g);
        return el(
            'div',
            { class: 'seed-spread' },
            table(['metric', 'median', 'min', 'max'], rows, `spread over ${g.runs.length} seeds (${g.seeds.join(', ')})`),
            el('p', { class: 'meta reached' }, reached ?? 'no stop rule: no target to reach'),
        );
    }
    const keys = [...new Set(groups.flatMap(g => Object.keys(g.params)))];
    const rows = groups.map(g => {
        const s = g.metrics.mse;
        return [
            ...keys.map(k => String((g.params as Record<string, number>)[k] ?? '')),
            String(g.runs.length),
            fmt(s?.median),
            fmt(s?.min),
            fmt(s?.max),
            reachedText(g) ?? '—',
        ];
    });
    return el(
        'div',
        { class: 'seed-spread' },
        table([...keys, 'seeds', 'MSE median', 'min', 'max', 'target'], rows, 'spread over seeds, per setting'),
    );
}
