// Sweeps with several parameters: error against any one swept parameter, the others fixed at chosen values.
import type { Chart } from 'chart.js';
import type { PointResult } from '../../../engine/view.js';
import type { Card, ChartTracker } from './card.js';
import { sliceChart, type SweepMetric, type Theme } from './charts.js';
import { formatPoint } from '../../../engine/view.js';
import { el } from './dom.js';
import { axisValues, sweepSlice } from './tensor-slices.js';

type Params = Record<string, number | string>;

/** Appends the explorer (selects for the x parameter, the metric and each fixed value, then the chart) to `parent`. */
export function sweepExplorer(parent: HTMLElement, theme: Theme, runs: PointResult[], card: (name: string, title: string) => Card, charts: ChartTracker): void {
    const keys = Object.keys(runs[0]?.params ?? {});
    if (keys.length < 2) return;
    const values = Object.fromEntries(keys.map(k => [k, axisValues(runs.map(r => (r.params as Params)[k]))]));
    const metrics: [SweepMetric, string][] = [['mse', 'test MSE'], ['relError', 'relative error'], ['maxAbsError', 'max |error|']];
    if (runs.some(r => r.metrics.pathWeightError !== undefined)) metrics.push(['pathWeightError', 'mean |E − 1|']);
    const select = (label: string, options: [string, string][]) => {
        const s = el('select', { 'aria-label': label }, ...options.map(([value, text]) => el('option', { value }, text)));
        return s;
    };
    const xSelect = select('error against', keys.map(k => [k, k]));
    const metricSelect = select('metric', metrics.map(([m, label]) => [m, label]));
    const fixedSelects = new Map(keys.map(k => [k, select(`fixed ${k}`, values[k].map(v => [String(v), String(v)]))]));
    const fixedBox = el('span', { class: 'toolbar' });
    const chartBox = el('div');
    const section = el('div', { class: 'sweep-explorer' },
        el('h3', {}, 'Error against one parameter, the others fixed'),
        el('div', { class: 'toolbar' }, el('label', {}, 'x ', xSelect), el('label', {}, 'y ', metricSelect), fixedBox),
        chartBox);
    parent.append(section);
    let drawn: Chart | undefined;
    const draw = () => {
        const x = xSelect.value;
        const metric = metricSelect.value as SweepMetric;
        const metricLabel = metrics.find(([m]) => m === metric)?.[1] ?? metric;
        fixedBox.replaceChildren(...keys.filter(k => k !== x).map(k => el('label', {}, `${k} `, fixedSelects.get(k))));
        const fixed = Object.fromEntries(keys.filter(k => k !== x).map(k => {
            const text = fixedSelects.get(k)!.value;
            return [k, values[k].find(v => String(v) === text) ?? text];
        }));
        const fixedText = formatPoint(fixed);
        if (drawn) { drawn.destroy(); charts.remove(drawn); drawn = undefined; }
        const c = card(`sweep-${metric}-vs-${x}`, `${metricLabel} against ${x} (${fixedText})`);
        chartBox.replaceChildren(c.root);
        drawn = sliceChart(c.canvas, theme, sweepSlice(runs, x, fixed, metric), x, values[x], metricLabel, fixedText);
        c.bind(drawn);
        charts.add(drawn);
    };
    for (const s of [xSelect, metricSelect, ...fixedSelects.values()]) s.addEventListener('change', draw);
    draw();
}
