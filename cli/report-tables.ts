// The tables of `emn report`: what `emn train` prints (every point, every evaluation, the spread over seeds) as Markdown and CSV.
import {
    ERROR_METRICS,
    firstSetLabel,
    markdownTable,
    metricLabel,
    num,
    spreadOf,
    type ExperimentResult,
    type PointResult,
    type SeedGroup,
} from '../engine/view.js';
import { convergenceSentence, LOSS_DECADES, quotientText, stepsToHeader, stepsToText, sweepGridText, thresholdOf } from '../engine/view.js';

type Run = Pick<PointResult, 'params' | 'metrics' | 'evaluations' | 'steps' | 'stopped' | 'convergence' | 'stepsBelow'>;

const runsOf = (r: ExperimentResult): Run[] => r.runs ?? [{ ...r, params: {} }];
const keysOf = (runs: { params: PointResult['params'] }[]) => [...new Set(runs.flatMap(p => Object.keys(p.params)))];
const param = (p: { params: PointResult['params'] }, k: string) => String(p.params[k as keyof typeof p.params] ?? '');

/** The evaluation sets after the first (the first is the metrics' own): `mse on pool`, `mse on Weighted20`, ... */
function extraEvaluations(runs: Run[]): string[] {
    return [...new Set(runs.flatMap(p => p.evaluations.slice(1).map(e => e.on)))];
}

const evaluationOn = (p: Run, on: string) => p.evaluations.slice(1).find(e => e.on === on);

/**
 * One row per trained point (one row without a sweep): sweep values, how it stopped, its metrics on the first
 * evaluation set, then mse, max |err| and rel err on every other set, so no evaluation is left out.
 */
export function resultCsv(r: ExperimentResult): string {
    const runs = runsOf(r);
    const keys = keysOf(runs);
    // the metrics some run has (pathWeightLeak: dense baselines only)
    const metrics = ERROR_METRICS.filter(m => runs.some(p => p.metrics[m] !== undefined));
    const extra = extraEvaluations(runs);
    const first = runs.find(p => p.evaluations.length > 0)?.evaluations[0];
    const header = [
        ...keys,
        'stopped',
        'steps',
        ...(first ? ['evaluated on', 'samples'] : []),
        ...metrics,
        ...extra.flatMap(on => [`mse on ${on}`, `maxAbsError on ${on}`, `relError on ${on}`, `samples on ${on}`]),
        // new columns go last, so a script reading the old ones by position keeps working
        'convergence',
        ...LOSS_DECADES.map(d => `steps to 1e-${d}`),
    ];
    const rows = runs.map(p => [
        ...keys.map(k => param(p, k)),
        p.stopped,
        String(p.steps),
        ...(first ? [p.evaluations[0]?.on ?? '', String(p.evaluations[0]?.samples ?? '')] : []),
        ...metrics.map(m => (p.metrics[m] === undefined || p.metrics[m] === null ? '' : String(p.metrics[m]))),
        ...extra.flatMap(on => {
            const e = evaluationOn(p, on);
            return e ? [String(e.mse), String(e.maxAbsError), String(e.relError), String(e.samples)] : ['', '', '', ''];
        }),
        p.convergence ?? '',
        ...LOSS_DECADES.map(d => String(p.stepsBelow?.[`1e-${d}`] ?? '')),
    ]);
    return [header, ...rows].map(row => row.map(csvCell).join(',')).join('\n') + '\n';
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The spread over seeds as CSV: one row per setting, median, min and max of every metric and of the mse on each other set. */
export function seedSpreadCsv(r: ExperimentResult): string | undefined {
    const groups = r.seedGroups ?? [];
    if (groups.length === 0) return undefined;
    const keys = keysOf(groups);
    const metrics = ERROR_METRICS.filter(m => groups.some(g => g.metrics[m]));
    const extra = extraEvaluations(r.runs ?? []);
    const header = [
        ...keys,
        'seeds',
        ...[...metrics, ...extra.map(on => `mse on ${on}`)].flatMap(m => [`${m} median`, `${m} min`, `${m} max`]),
        'reached target',
    ];
    const rows = groups.map(g => [
        ...keys.map(k => param(g, k)),
        String(g.runs.length),
        ...metrics.flatMap(m => {
            const s = g.metrics[m];
            return s ? [String(s.median), String(s.min), String(s.max)] : ['', '', ''];
        }),
        ...extra.flatMap(on => {
            const s = extraSpread(r, g, on);
            return s ? [String(s.median), String(s.min), String(s.max)] : ['', '', ''];
        }),
        g.target !== undefined ? `${g.reachedTarget ?? 0}/${g.runs.length}` : '',
    ]);
    return [header, ...rows].map(row => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** Median, min, max over a group's seeds of the mse on another evaluation set (the pool, another operation). */
function extraSpread(r: ExperimentResult, g: SeedGroup, on: string) {
    return spreadOf(
        g.runs.flatMap(k => {
            const e = r.runs?.[k] && evaluationOn(r.runs[k], on);
            return e ? [e.mse] : [];
        }),
    );
}

export function resultMarkdown(r: ExperimentResult, figures: { file: string; title: string }[], notes: string[] = []): string {
    const lines = [
        `# ${r.experiment}: ${r.operation} learned by ${r.network}`,
        '',
        `Trained ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC on ${r.backend}; stopped: ${r.stopped}; plan ${r.planHash.slice(0, 12)}.`,
        '',
    ];
    if (r.verdict) lines.push(`Verdict: ${r.verdict}`, '');
    const sentence = r.runs ? undefined : convergenceSentence(r);
    if (sentence) lines.push(`Convergence: ${sentence}.`, '');
    const threshold = thresholdOf(r);
    const eLabel = metricLabel('pathWeightError', r.pathWeightTarget);
    const [maxErr, relErr] = [metricLabel('maxAbsError'), metricLabel('relError')];
    if (r.runs) {
        const keys = keysOf(r.runs);
        const extra = extraEvaluations(r.runs);
        const quotient = r.runs.some(p => p.metrics.memorisationQuotient !== undefined);
        lines.push(
            '## Points',
            '',
            'Points are numbered from 0, as in the results JSON and `emn train --point`.',
            '',
            ...markdownTable(
                [
                    'point',
                    ...keys,
                    'ran',
                    'stopped',
                    'convergence',
                    stepsToHeader(threshold),
                    firstSetLabel(r),
                    maxErr,
                    relErr,
                    eLabel,
                    ...extra.map(on => `mse on ${on}`),
                    ...(quotient ? [metricLabel('memorisationQuotient')] : []),
                ],
                r.runs.map((p, k) => [
                    String(k),
                    ...keys.map(key => param(p, key)),
                    String(p.steps),
                    p.stopped,
                    p.convergence ?? '-',
                    stepsToText(p, threshold),
                    num(p.metrics.mse),
                    num(p.metrics.maxAbsError),
                    num(p.metrics.relError),
                    num(p.metrics.pathWeightError),
                    ...extra.map(on => num(evaluationOn(p, on)?.mse)),
                    ...(quotient ? [quotientText(p.metrics.memorisationQuotient)] : []),
                ]),
            ),
        );
        if (r.worstRun !== undefined && r.runs[r.worstRun]) lines.push('', `Worst point (the top-level metrics): ${r.worstRun}.`);
        const grid = sweepGridText(r, threshold);
        if (grid.length) lines.push('', '## Grid', '', '```', ...grid, '```');
    } else {
        const label = (m: string) => (m === 'mse' ? firstSetLabel(r) : metricLabel(m, r.pathWeightTarget));
        lines.push(
            '## Metrics',
            '',
            ...markdownTable(
                ['metric', 'value'],
                ERROR_METRICS.filter(m => r.metrics[m] !== undefined).map(m => [
                    label(m),
                    m === 'memorisationQuotient' ? quotientText(r.metrics[m]) : num(r.metrics[m]),
                ]),
            ),
        );
    }
    if (!r.runs && r.evaluations.length > 0) {
        // every evaluation set of the spec, out-of-distribution ones included
        // the n column when some evaluation is at another size than the training size (shared weights)
        const sized = r.evaluations.some(e => e.size !== undefined && e.size !== r.trainingSize);
        const n = (e: { size?: number }) =>
            sized ? [e.size === undefined ? '' : String(e.size) + (e.size === r.trainingSize ? ' (training size)' : '')] : [];
        lines.push(
            '',
            '## Evaluations',
            '',
            ...markdownTable(
                ['evaluated on', ...(sized ? ['n'] : []), 'samples', 'mse', 'rmse', maxErr, relErr],
                r.evaluations.map(e => [
                    e.note ? `${e.on} (${e.note})` : e.on,
                    ...n(e),
                    String(e.samples),
                    num(e.mse),
                    num(e.rmse ?? Math.sqrt(e.mse)),
                    num(e.maxAbsError),
                    num(e.relError),
                ]),
            ),
        );
    }
    if (r.seedGroups?.length) {
        const keys = keysOf(r.seedGroups);
        const extra = extraEvaluations(r.runs ?? []);
        const spread = (s: { median: number; min: number; max: number } | undefined) =>
            s ? `${num(s.median)} [${num(s.min)}, ${num(s.max)}]` : '-';
        lines.push(
            '',
            '## Spread over seeds',
            '',
            'Median [min, max] over the seeds of each setting.',
            '',
            ...markdownTable(
                [...keys, 'seeds', firstSetLabel(r), maxErr, eLabel, ...extra.map(on => `mse on ${on}`), 'reached target'],
                r.seedGroups.map(g => [
                    ...keys.map(k => param(g, k)),
                    String(g.runs.length),
                    spread(g.metrics.mse),
                    spread(g.metrics.maxAbsError),
                    spread(g.metrics.pathWeightError),
                    ...extra.map(on => spread(extraSpread(r, g, on))),
                    g.target !== undefined ? `${g.reachedTarget ?? 0}/${g.runs.length} < ${num(g.target)}` : '-',
                ]),
            ),
        );
    }
    lines.push('', '## Figures', '', 'Each figure is an SVG with a PNG of it beside it (same name).', '');
    for (const f of figures) lines.push(`### ${f.title}`, '', `![${f.title}](${f.file})`, '');
    for (const n of notes) lines.push(`Note: ${n}`, '');
    return lines.join('\n').trimEnd() + '\n';
}
