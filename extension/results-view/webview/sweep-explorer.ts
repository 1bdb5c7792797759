// Sweeps with several parameters: error against any one swept parameter, the others fixed at chosen values.
import { formatPoint, lineFigure, type FigureTheme, type PointResult, type SweepMetric } from '../../../engine/view.js';
import type { Card, ChartTracker } from './card.js';
import { drawFigure, sizeIn, type View } from './figures.js';
import { el } from './dom.js';
import { axisValues, sweepSlice } from './tensor-slices.js';

type Params = Record<string, number | string>;

/** Appends the explorer (selects for the x parameter, the metric and each fixed value, then the chart) to `parent`. */
export function sweepExplorer(
    parent: HTMLElement,
    theme: FigureTheme,
    runs: PointResult[],
    card: (name: string, title: string) => Card,
    charts: ChartTracker,
): void {
    const keys = Object.keys(runs[0]?.params ?? {});
    if (keys.length < 2) return;
    const values = Object.fromEntries(keys.map(k => [k, axisValues(runs.map(r => (r.params as Params)[k]))]));
    const metrics: [SweepMetric, string][] = [
        ['mse', 'test MSE'],
        ['relError', 'relative error'],
        ['maxAbsError', 'max |error|'],
    ];
    if (runs.some(r => r.metrics.pathWeightError !== undefined)) metrics.push(['pathWeightError', 'mean |E − 1|']);
    const select = (label: string, options: [string, string][]) => {
        const s = el('select', { 'aria-label': label }, ...options.map(([value, text]) => el('option', { value }, text)));
        return s;
    };
    // a line runs along a numeric parameter; a named one (activation...) is fixed, one line per choice
    const xSelect = select(
        'error against',
        keys.filter(k => values[k].every(v => typeof v === 'number')).map(k => [k, k]),
    );
    const metricSelect = select(
        'metric',
        metrics.map(([m, label]) => [m, label]),
    );
    const fixedSelects = new Map(
        keys.map(k => [
            k,
            select(
                `fixed ${k}`,
                values[k].map(v => [String(v), String(v)]),
            ),
        ]),
    );
    const fixedBox = el('span', { class: 'toolbar' });
    const chartBox = el('div');
    const section = el(
        'div',
        { class: 'sweep-explorer' },
        el('h3', {}, 'Error against one parameter, the others fixed'),
        el('div', { class: 'toolbar' }, el('label', {}, 'x ', xSelect), el('label', {}, 'y ', metricSelect), fixedBox),
        chartBox,
    );
    parent.append(section);
    let drawn: View | undefined;
    const draw = () => {
        const x = xSelect.value;
        const metric = metricSelect.value as SweepMetric;
        const metricLabel = metrics.find(([m]) => m === metric)?.[1] ?? metric;
        fixedBox.replaceChildren(...keys.filter(k => k !== x).map(k => el('label', {}, `${k} `, fixedSelects.get(k))));
        const fixed = Object.fromEntries(
            keys
                .filter(k => k !== x)
                .map(k => {
                    const text = fixedSelects.get(k)!.value;
                    return [k, values[k].find(v => String(v) === text) ?? text];
                }),
        );
        const fixedText = formatPoint(fixed);
        if (drawn) {
            drawn.finalize();
            charts.remove(drawn);
            drawn = undefined;
        }
        const title = `${metricLabel} against ${x} (${fixedText})`;
        const c = card(`sweep-${metric}-vs-${x}`, title);
        chartBox.replaceChildren(c.root);
        const points = sweepSlice(runs, x, fixed, metric).map(p => ({ ...p, series: fixedText }));
        // a log axis within one decade has no labelled tick: a linear one reads better there
        const positive = points.map(p => p.y).filter(y => y > 0);
        const logY = positive.length > 1 && Math.max(...positive) / Math.min(...positive) >= 10;
        drawn = drawFigure(
            c.box,
            lineFigure(
                points,
                { x, y: metricLabel, xValues: values[x].filter((v): v is number => typeof v === 'number'), logY },
                { theme, size: sizeIn(c.box, 220, 40) },
            ),
            title,
        );
        c.bind(drawn);
        charts.add(drawn);
    };
    for (const s of [xSelect, metricSelect, ...fixedSelects.values()]) s.addEventListener('change', draw);
    draw();
}
