// `emn report SPEC --experiment E [--compare EXP2[@RUN]] --md|--csv`: a sweep or a comparison for papers and notebooks, figures beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareRuns, ERROR_METRICS, type ExperimentResult, firstSetLabel, markdownTable, metricLabel, num, pathErrorColourFor, quotientText, sizeChartSvg, sizeSeries } from '../engine/view.js';
import { heatmapSvg, lossChartSvg, ResultsStore, sanitizeName } from '../engine/index.js';
import { comparisonMarkdown, loadSide } from './diff-command.js';
import { notAResultsFolder } from './load-experiment.js';

export interface ReportArgs {
    file: string;
    experiment: string;
    compare?: string;
    md?: boolean;
    csv?: boolean;
    to?: string;
    out?: string;
}

const fail = (message: string) => {
    process.stderr.write(`emn report: ${message}\nrun 'emn report --help' for options and exit codes\n`);
    return 1;
};

/** One row per trained point (one row without a sweep): sweep values, how it stopped, its metrics. */
function resultCsv(r: ExperimentResult): string {
    const runs = r.runs ?? [{ params: {}, ...r }];
    const keys = [...new Set(runs.flatMap(p => Object.keys(p.params)))];
    // the metrics some run has (pathWeightLeak: dense baselines only)
    const metrics = ERROR_METRICS.filter(m => runs.some(p => p.metrics[m] !== undefined));
    const header = [...keys, 'stopped', 'steps', ...metrics];
    const rows = runs.map(p => [...keys.map(k => String(p.params[k as keyof typeof p.params] ?? '')), p.stopped, String(p.steps),
        // null (the memorisation quotient at the float floor) is an empty cell, as pandas reads it: NaN
        ...metrics.map(m => (p.metrics[m] === undefined || p.metrics[m] === null ? '' : String(p.metrics[m])))]);
    return [header, ...rows].map(r => r.join(',')).join('\n') + '\n';
}

function resultMarkdown(r: ExperimentResult, figures: string[]): string {
    const lines = [`# ${r.experiment}: ${r.operation} learned by ${r.network}`, '',
        `Trained ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC on ${r.backend}; stopped: ${r.stopped}; plan ${r.planHash.slice(0, 12)}.`, ''];
    if (r.runs) {
        const keys = [...new Set(r.runs.flatMap(p => Object.keys(p.params)))];
        const quotient = r.runs.some(p => p.metrics.memorisationQuotient !== undefined);
        lines.push('## Points', '', ...markdownTable(['point', ...keys, 'stopped', 'steps', firstSetLabel(r), metricLabel('maxAbsError'), metricLabel('pathWeightError', r.pathWeightTarget),
            ...(quotient ? [metricLabel('memorisationQuotient')] : [])],
        r.runs.map((p, index) => [String(index), ...keys.map(k => String(p.params[k as keyof typeof p.params] ?? '')), p.stopped, String(p.steps),
            num(p.metrics.mse), num(p.metrics.maxAbsError), num(p.metrics.pathWeightError), ...(quotient ? [quotientText(p.metrics.memorisationQuotient)] : [])])));
    } else {
        const label = (m: string) => (m === 'mse' ? firstSetLabel(r) : metricLabel(m, r.pathWeightTarget));
        lines.push('## Metrics', '', ...markdownTable(['metric', 'value'], ERROR_METRICS.filter(m => r.metrics[m] !== undefined)
            .map(m => [label(m), m === 'memorisationQuotient' ? quotientText(r.metrics[m]) : num(r.metrics[m])])));
        if (r.evaluations.length > 0) {
            // every evaluation set of the spec, out-of-distribution ones included; the n column when some evaluation
            // is at another size than the training size (shared weights)
            const sized = r.evaluations.some(e => e.size !== undefined && e.size !== r.trainingSize);
            const n = (e: { size?: number }) => (sized ? [e.size === undefined ? '' : String(e.size) + (e.size === r.trainingSize ? ' (training size)' : '')] : []);
            lines.push('', '## Evaluations', '', ...markdownTable(['evaluated on', ...(sized ? ['n'] : []), 'samples', ...(['mse', 'maxAbsError', 'relError'] as const).map(m => metricLabel(m))],
                r.evaluations.map(e => [e.note ? `${e.on} (${e.note})` : e.on, ...n(e), String(e.samples), num(e.mse), num(e.maxAbsError), num(e.relError)])));
        }
    }
    if (r.seedGroups?.length) {
        const keys = [...new Set(r.seedGroups.flatMap(g => Object.keys(g.params)))];
        lines.push('', '## Spread over seeds', '', ...markdownTable([...keys, 'seeds', `${firstSetLabel(r)} median`, 'min', 'max', 'reached target'],
            r.seedGroups.map(g => [...keys.map(k => String(g.params[k as keyof typeof g.params] ?? '')), String(g.runs.length),
                num(g.metrics.mse?.median), num(g.metrics.mse?.min), num(g.metrics.mse?.max),
                g.target !== undefined ? `${g.reachedTarget}/${g.runs.length} < ${num(g.target)}` : '-'])));
    }
    lines.push('', '## Figures', '', ...figures.map(f => `![${f}](${f})`));
    return lines.join('\n') + '\n';
}

export async function runReportCommand(args: ReportArgs): Promise<number> {
    if (!args.md && !args.csv) return fail('give --md (Markdown report) or --csv (one row per point), or both');
    const badOut = notAResultsFolder(args.out);
    if (badOut) return fail(badOut);
    const store = new ResultsStore(args.out ? resolve(args.out) : undefined);
    const folder = resolve(args.to ?? join(store.folder(args.file), `${sanitizeName(args.experiment)}.report`));
    const a = await loadSide(store, args.file, args.experiment, false, 'emn report');
    if (typeof a === 'number') return a;
    // both sides before the folder: a comparison that cannot be made leaves nothing behind
    const b = args.compare !== undefined ? await loadSide(store, args.file, args.compare, false, 'emn report') : undefined;
    if (typeof b === 'number') return b;
    mkdirSync(folder, { recursive: true });
    const written: string[] = [];
    const write = (name: string, text: string) => {
        writeFileSync(join(folder, name), text);
        written.push(join(folder, name));
    };
    const base = sanitizeName(args.experiment.replace('@', '-'));
    if (b) {
        const c = compareRuns(a, b);
        const figures = [`${base}-loss.svg`];
        write(figures[0], lossChartSvg([{ label: `A: ${c.a.label}`, points: c.lossCurves.a }, { label: `B: ${c.b.label}`, points: c.lossCurves.b }]));
        if (c.pathWeights) {
            figures.push(`${base}-E-difference.svg`);
            write(figures[1], heatmapSvg(c.pathWeights.difference));
        }
        if (args.md) write(`${base}-compare.md`, comparisonMarkdown(c) + `\n\n## Figures\n\n${figures.map(f => `![${f}](${f})`).join('\n')}\n`);
        if (args.csv) write(`${base}-compare.csv`, ['metric,A,B', ...c.metrics.map(m => `${m.metric},${m.a ?? ''},${m.b ?? ''}`)].join('\n') + '\n');
    } else {
        const r = a.result;
        const figures = [`${base}-loss.svg`];
        const curves = r.runs ? r.runs.filter((_, k) => !r.seedGroups?.some(g => g.runs.includes(k))).map(p => ({ label: Object.entries(p.params).map(([k, v]) => `${k} ${v}`).join(', '), points: p.lossCurve }))
            : [{ label: r.experiment, points: r.lossCurve ?? [] }];
        const bands = (r.seedGroups ?? []).map(g => ({ label: Object.entries(g.params).map(([k, v]) => `${k} ${v}`).join(', ') || `${g.runs.length} seeds`, band: g.lossBand }));
        write(figures[0], lossChartSvg(curves, bands));
        if (r.pathWeights) {
            figures.push(`${base}-E.svg`);
            write(figures[figures.length - 1], heatmapSvg(r.pathWeights, pathErrorColourFor(r.pathWeightTarget ?? 1)));
        }
        const sizes = sizeSeries(r.evaluations, r.trainingSize);
        if (sizes.length > 0) {
            figures.push(`${base}-sizes.svg`);
            write(figures[figures.length - 1], sizeChartSvg(sizes, r.trainingSize!));
        }
        if (args.md) write(`${base}.md`, resultMarkdown(r, figures));
        if (args.csv) write(`${base}.csv`, resultCsv(r));
    }
    process.stdout.write(written.map(w => `wrote ${w}\n`).join(''));
    return 0;
}
