// The results view's sweep (or seeds) section: each error against the swept parameter, the two-axis grid, the explorer,
// and the table of points whose rows pick the point shown below.
import {
    errorAgainstParameterFigure,
    formatSweepValue,
    litmusSummary,
    quotientText,
    seedBandsAgainstParameterFigure,
    stepsToHeader,
    stepsToText,
    sweepGridFigure,
    sweepGridOf,
    sweepParameters,
    thresholdOf,
    VERDICT_LEGEND,
    type ExperimentResult,
    type SweepMetric,
} from '../../../engine/view.js';
import { el, fmt, table } from './dom.js';
import { drawFigure, sizeIn } from './figures.js';
import { keepFigure, type SectionContext } from './section-context.js';
import { sweepExplorer } from './sweep-explorer.js';

/** `selectedPoint`: the row shown selected; `select` shows another point. */
export function sweepSection(
    context: SectionContext,
    result: ExperimentResult,
    selectedPoint: number,
    select: (point: number) => void,
): HTMLElement {
    const { theme } = context;
    const runs = result.runs!;
    const keys = Object.keys(runs[0].params);
    // `seeds N` without a sweep: the runs differ only in their seed, a plot against the seed says nothing
    const seedsOnly = keys.length === 1 && keys[0] === 'seed';
    const section = el('section', {}, el('h2', {}, seedsOnly ? `Seeds · ${runs.length} runs` : `Sweep · ${runs.length} points`));
    // attached before the charts are made, so they measure their real width
    context.app.append(section);
    const metrics: [SweepMetric, string][] = [
        ['mse', 'test MSE'],
        ['relError', 'relative error'],
    ];
    if (runs.some(r => r.metrics.pathWeightError !== undefined)) metrics.push(['pathWeightError', 'mean |E − 1|']);
    const quotient = runs.some(r => r.metrics.memorisationQuotient !== undefined);
    // a sweep over pool: the quotient against the pool size (above 1: better on the matrices it saw)
    if (quotient) metrics.push(['memorisationQuotient', 'fresh/pool mse']);
    const grid = el('div', { class: 'grid' });
    if (!seedsOnly) section.append(grid);
    // a sweep with seeds: each point's median with its min-max band over the seeds
    const groups = result.seedGroups?.length ? result.seedGroups : undefined;
    // against size when swept, else the first parameter that is not sparsity (the explorer has every other)
    const axes = sweepParameters(runs);
    const xAxis = axes.includes('size') ? 'size' : (axes.find(a => a !== 'sparsity') ?? axes[0]);
    for (const [metric, label] of seedsOnly || !xAxis ? [] : metrics) {
        const title = groups ? `${label} across the sweep: median and min–max over seeds` : `${label} across the sweep`;
        const card = context.card(label.replace(/ /g, '-'), title);
        grid.append(card.root);
        const options = { theme, title: '', size: sizeIn(card.box, 220, 160) };
        const spec = groups
            ? seedBandsAgainstParameterFigure(groups, xAxis, metric, options)
            : errorAgainstParameterFigure(runs, xAxis, metric, options);
        if (!spec) {
            card.root.remove();
            continue;
        }
        keepFigure(context, card, drawFigure(card.box, spec, title));
    }
    if (keys.length === 2 && !groups) sweepGrid(context, section, result, keys as [string, string]);
    if (!seedsOnly) sweepExplorer(section, theme, runs, (name, title) => context.card(name, title), context.charts);
    section.append(
        el(
            'p',
            { class: 'meta' },
            seedsOnly
                ? 'Select a row to see that seed’s loss curve over the band, and its weights.'
                : 'Select a row to see that point’s loss curve and weights.',
        ),
        pointsTable(result, keys, quotient, selectedPoint, select),
    );
    return section;
}

/** A row per point: its setting, errors, how it stopped and converged; a row selects the point shown below. */
function pointsTable(
    result: ExperimentResult,
    keys: string[],
    quotient: boolean,
    selectedPoint: number,
    select: (point: number) => void,
): HTMLTableElement {
    const threshold = thresholdOf(result);
    const rows = table(
        [
            ...keys,
            'MSE',
            'max |error|',
            'relative error',
            'mean |E − 1|',
            ...(quotient ? ['fresh/pool'] : []),
            'stopped',
            'convergence',
            `steps ${stepsToHeader(threshold)}`,
            'steps/s',
        ],
        result.runs!.map(r => [
            ...keys.map(k => formatSweepValue((r.params as Record<string, number | string>)[k])),
            fmt(r.metrics.mse),
            fmt(r.metrics.maxAbsError),
            fmt(r.metrics.relError),
            fmt(r.metrics.pathWeightError),
            ...(quotient ? [quotientText(r.metrics.memorisationQuotient)] : []),
            r.stopped,
            r.convergence ?? '–',
            stepsToText(r, threshold),
            fmt(r.stepsPerSecond),
        ]),
    );
    rows.querySelectorAll('tbody tr').forEach((tr, i) => {
        tr.classList.add('clickable');
        if (i === selectedPoint) tr.classList.add('selected');
        tr.setAttribute('tabindex', '0');
        tr.addEventListener('click', () => select(i));
        tr.addEventListener('keydown', e => {
            if ((e as KeyboardEvent).key === 'Enter') select(i);
        });
    });
    return rows;
}

/**
 * Two sweep axes: test MSE per point as a grid (log colour scale, viridis: dark = low error), its value and its
 * convergence verdict's mark in each cell, and for power × masking the litmus line the CLI prints.
 */
function sweepGrid(context: SectionContext, section: HTMLElement, result: ExperimentResult, keys: [string, string]): void {
    const runs = result.runs!;
    // the grid the CLI prints: the first parameter down, the second across
    const title = `test MSE over ${keys[0]} × ${keys[1]}`;
    const spec = sweepGridFigure(runs, keys, 'mse', { theme: context.theme, title: '' });
    if (!spec) return;
    const card = context.card('sweep-grid', title, true);
    section.append(card.root);
    keepFigure(context, card, drawFigure(card.box, spec, title));
    const grid = sweepGridOf(result, thresholdOf(result));
    const litmus = grid && litmusSummary(grid, thresholdOf(result));
    if (grid?.cells.flat().some(c => c?.convergence)) card.root.append(el('p', { class: 'meta' }, VERDICT_LEGEND));
    if (litmus) card.root.append(el('p', { class: 'meta litmus' }, litmus));
}
