// Chart.js setup for the results and compare views: registration, theme colours, loss curves (overlaid, or a median with a band) and the sweep plots.
import {
    CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
    type ChartDataset, type LegendItem, type Plugin,
} from 'chart.js';
import { color as chartColor } from 'chart.js/helpers';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import type { PointResult, SeedGroup } from '../../../engine/view.js';
import { fmt, themeColor } from './dom.js';
import { axisPlacement, axisValues, type SweepMetric } from './tensor-slices.js';

export type { SweepMetric };

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Tooltip, Legend, Filler, MatrixController, MatrixElement);

export interface Theme {
    foreground: string;
    muted: string;
    grid: string;
    background: string;
    series: string[];
}

export function readTheme(): Theme {
    const fg = themeColor('--vscode-editor-foreground', '#333');
    return {
        foreground: fg,
        muted: themeColor('--vscode-descriptionForeground', fg),
        grid: themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
        background: themeColor('--vscode-editor-background', '#fff'),
        series: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow']
            .map((v, i) => themeColor(v, ['#1a85ff', '#d18616', '#388a34', '#e51400', '#652d90', '#bf8803'][i])),
    };
}

/** Paints the editor background under the chart, so an exported PNG looks like the view (not transparent). */
export function backgroundPlugin(theme: Theme): Plugin {
    return {
        id: 'emnBackground',
        beforeDraw(chart) {
            const { ctx, width, height } = chart;
            ctx.save();
            ctx.globalCompositeOperation = 'destination-over';
            ctx.fillStyle = theme.background;
            ctx.fillRect(0, 0, width, height);
            ctx.restore();
        },
    };
}

function axisOptions(theme: Theme, title: string, log: boolean, values?: number[], labels?: string[]) {
    return {
        type: log ? 'logarithmic' as const : 'linear' as const,
        title: { display: true, text: title, color: theme.muted },
        ticks: {
            color: theme.muted,
            ...(log ? { callback: (v: number | string, _i: number, ticks: { value: number }[]) => logTick(Number(v), ticks) } : {}),
            // a named sweep axis (activation [none, relu]): its values sit at 0, 1, ... and the ticks say the names
            ...(labels ? { callback: (v: number | string) => labels[Number(v)] ?? '' } : {}),
        },
        // a sweep axis has a few chosen values (size 5, 10, 20): tick exactly those, not 3.1, 3.2, ...
        ...(values ? { afterBuildTicks: (axis: { ticks: { value: number }[] }) => { axis.ticks = values.map(value => ({ value })); } } : {}),
        grid: { color: theme.grid },
        border: { color: theme.grid },
    };
}

/**
 * Log axes: label the powers of ten; when the axis spans under three decades also 2 and 5 × 10^k, so that a
 * narrow range still has labels (Chart.js would otherwise label every 1..9 × 10^k).
 */
function logTick(value: number, ticks: { value: number }[]): string {
    const lo = ticks[0]?.value ?? value;
    const hi = ticks[ticks.length - 1]?.value ?? value;
    const decades = Math.log10(hi / lo);
    const exp = Math.floor(Math.log10(value) + 1e-9);
    const mantissa = Math.round(value / 10 ** exp * 1000) / 1000;
    if (mantissa === 1 || (decades < 3 && (mantissa === 2 || mantissa === 5))) return value.toExponential(0);
    return '';
}

/** Loss can hit exactly 0 (or below float precision); a log axis cannot show 0, so clamp for drawing. */
const FLOOR = 1e-16;
const positive = (v: number) => Math.max(v, FLOOR);

/** A loss curve to draw: [step, loss] pairs. */
export interface LossSeries {
    label: string;
    curve: [number, number][];
    /** Drawn dashed (e.g. one seed over its group's band). */
    dashed?: boolean;
}

/** Runs of one setting over seeds: [step, median, min, max] (results/seed-spread.ts lossBand). */
export interface LossBand {
    label: string;
    band: [number, number, number, number][];
}

export function lossChart(canvas: HTMLCanvasElement, theme: Theme, curve: [number, number][], label: string): Chart<'line', { x: number; y: number }[]> {
    return lossCurvesChart(canvas, theme, [{ label, curve }]);
}

/** Loss curves on one chart (log y): each band as a min-max fill under its median line, then the plain curves. */
export function lossCurvesChart(canvas: HTMLCanvasElement, theme: Theme, series: LossSeries[], bands: LossBand[] = []): Chart<'line', { x: number; y: number }[]> {
    const datasets = bands.flatMap((b, i) => bandDatasets(b.label, b.band.map(([x, median, min, max]) => ({ x, median, min, max })), theme.series[i % theme.series.length]));
    series.forEach((s, i) => {
        const d = lineDataset(s.label, s.curve.map(([x, y]) => ({ x, y: positive(y) })), theme.series[(bands.length + i) % theme.series.length]);
        datasets.push(s.dashed ? { ...d, borderDash: [4, 3], borderWidth: 1 } : d);
    });
    return new Chart<'line', { x: number; y: number }[]>(canvas, {
        type: 'line',
        data: { datasets },
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            parsing: false,
            normalized: true,
            scales: { x: axisOptions(theme, 'step', false), y: axisOptions(theme, 'training loss (mse)', true) },
            plugins: {
                legend: { labels: { color: theme.foreground, filter: item => !item.text.endsWith(BAND_FLOOR) } },
                tooltip: { callbacks: { label: item => `${item.dataset.label}: loss ${fmt((item.raw as { y: number }).y)} at step ${(item.raw as { x: number }).x}` } },
            },
        },
        plugins: [backgroundPlugin(theme)],
    });
}

/** The min line of a band: drawn (the fill's lower edge) but kept out of the legend. */
const BAND_FLOOR = ' min';

/** Three datasets: min (no line), max filled down to min, and the median line over them. */
function bandDatasets(label: string, points: { x: number; median: number; min: number; max: number }[], c: string): ChartDataset<'line', { x: number; y: number }[]>[] {
    const edge = { pointRadius: 0, borderWidth: 0, borderColor: 'transparent', tension: 0 };
    return [
        { ...edge, label: `${label}${BAND_FLOOR}`, data: points.map(p => ({ x: p.x, y: positive(p.min) })), fill: false },
        { ...edge, label: `${label} min–max`, data: points.map(p => ({ x: p.x, y: positive(p.max) })), fill: '-1', backgroundColor: chartColor(c).alpha(0.25).rgbString() },
        lineDataset(`${label} median`, points.map(p => ({ x: p.x, y: positive(p.median) })), c),
    ];
}

/** Appends a live progress point; a new sweep point restarts the live line. */
export function appendLoss(chart: Chart<'line', { x: number; y: number }[]>, step: number, loss: number): void {
    const data = chart.data.datasets[0].data;
    if (data.length && data[data.length - 1].x >= step) data.length = 0;
    data.push({ x: step, y: positive(loss) });
    chart.update('none');
}

function lineDataset(label: string, data: { x: number; y: number }[], color: string): ChartDataset<'line', { x: number; y: number }[]> {
    return { label, data, borderColor: color, backgroundColor: color, pointRadius: data.length > 60 ? 0 : 2, borderWidth: 1.5, tension: 0 };
}


/**
 * Error against one sweep parameter (size first, else the first that is not sparsity), one line per value of the
 * other parameters (e.g. one per sparsity), log y.
 */
export function sweepChart(canvas: HTMLCanvasElement, theme: Theme, runs: PointResult[], metric: SweepMetric, metricLabel: string): Chart<'line', { x: number; y: number }[]> | undefined {
    const axes = Object.keys(runs[0]?.params ?? {});
    if (axes.length === 0) return undefined;
    const xAxis = sweepAxis(axes);
    const others = axes.filter(a => a !== xAxis);
    const place = axisPlacement(axisValues(runs.map(r => (r.params as Record<string, number | string>)[xAxis])));
    const groups = new Map<string, { x: number; y: number }[]>();
    for (const run of runs) {
        const params = run.params as Record<string, number | string>;
        const y = run.metrics[metric];
        // null: a memorisation quotient at the float floor, no number to plot
        if (typeof y !== 'number') continue;
        const key = others.map(a => `${a} ${params[a]}`).join(', ') || metricLabel;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push({ x: place.at(params[xAxis]), y: positive(y) });
    }
    if (groups.size === 0) return undefined;
    const datasets = [...groups.entries()].map(([label, points], i) =>
        lineDataset(label, points.sort((a, b) => a.x - b.x), theme.series[i % theme.series.length]));
    return parameterChart(canvas, theme, datasets, axisOptions(theme, xAxis, false, place.ticks, place.labels),
        axisOptions(theme, metricLabel, true), (label, x, y) => `${label}: ${metricLabel} ${fmt(y)} at ${xAxis} ${place.labels?.[x] ?? x}`);
}

/** The x axis of a sweep plot: size when swept, else the first parameter that is not sparsity. */
function sweepAxis(axes: string[]): string {
    return axes.includes('size') ? 'size' : axes.find(a => a !== 'sparsity') ?? axes[0];
}

/**
 * A sweep trained with seeds: each point's median over its seeds, with the min-max band across them, against the
 * sweep axis; one line and band per value of the other parameters. Undefined when no group has the metric.
 */
export function sweepBandChart(canvas: HTMLCanvasElement, theme: Theme, groups: SeedGroup[], metric: SweepMetric, metricLabel: string): Chart<'line', { x: number; y: number }[]> | undefined {
    const axes = Object.keys(groups[0]?.params ?? {});
    if (axes.length === 0) return undefined;
    const xAxis = sweepAxis(axes);
    const others = axes.filter(a => a !== xAxis);
    const place = axisPlacement(axisValues(groups.map(g => (g.params as Record<string, number | string>)[xAxis])));
    const lines = new Map<string, { x: number; median: number; min: number; max: number }[]>();
    for (const g of groups) {
        const spread = g.metrics[metric];
        const params = g.params as Record<string, number | string>;
        if (!spread) continue;
        const key = others.map(a => `${a} ${params[a]}`).join(', ') || metricLabel;
        if (!lines.has(key)) lines.set(key, []);
        lines.get(key)!.push({ x: place.at(params[xAxis]), ...spread });
    }
    if (lines.size === 0) return undefined;
    const datasets = [...lines.entries()].flatMap(([label, points], i) =>
        bandDatasets(label, points.sort((a, b) => a.x - b.x), theme.series[i % theme.series.length]));
    return parameterChart(canvas, theme, datasets, axisOptions(theme, xAxis, false, place.ticks, place.labels),
        axisOptions(theme, `${metricLabel} (median, min–max over seeds)`, true), (label, x, y) => `${label}: ${fmt(y)} at ${xAxis} ${place.labels?.[x] ?? x}`,
        item => !item.text.endsWith(BAND_FLOOR));
}

/** One line: a metric against one sweep parameter, the others fixed (the sweep explorer). */
export function sliceChart(canvas: HTMLCanvasElement, theme: Theme, points: { x: number; y: number }[], xAxis: string, xValues: (number | string)[],
    metricLabel: string, label: string): Chart<'line', { x: number; y: number }[]> {
    const place = axisPlacement(xValues);
    // a log axis within one decade has no labelled tick: a linear one reads better there
    return parameterChart(canvas, theme, [lineDataset(label, points.map(p => ({ x: p.x, y: positive(p.y) })), theme.series[0])],
        axisOptions(theme, xAxis, false, place.ticks, place.labels), valueAxis(theme, metricLabel, spansDecade(points.map(p => p.y))),
        (_label, x, y) => `${metricLabel} ${fmt(y)} at ${xAxis} ${place.labels?.[x] ?? x}`);
}

/** A metric against a sweep parameter: the sweep plot, the seeds' bands over it, the explorer's slice. */
function parameterChart(canvas: HTMLCanvasElement, theme: Theme, datasets: ChartDataset<'line', { x: number; y: number }[]>[],
    x: ReturnType<typeof axisOptions>, y: ReturnType<typeof valueAxis>, tooltip: (label: string, x: number, y: number) => string,
    legendFilter?: (item: LegendItem) => boolean): Chart<'line', { x: number; y: number }[]> {
    return new Chart<'line', { x: number; y: number }[]>(canvas, {
        type: 'line',
        data: { datasets },
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            parsing: false,
            scales: { x, y },
            plugins: {
                legend: { labels: { color: theme.foreground, ...(legendFilter ? { filter: legendFilter } : {}) } },
                tooltip: { callbacks: { label: item => tooltip(item.dataset.label ?? '', (item.raw as { x: number }).x, (item.raw as { y: number }).y) } },
            },
        },
        plugins: [backgroundPlugin(theme)],
    });
}

function spansDecade(values: number[]): boolean {
    const positive = values.filter(v => v > 0);
    return positive.length > 1 && Math.max(...positive) / Math.min(...positive) >= 10;
}

/** A metric axis: log ticks as usual, linear ones in the view's number format (not 3.0000000E-6). */
function valueAxis(theme: Theme, title: string, log: boolean) {
    const axis = axisOptions(theme, title, log);
    return log ? axis : { ...axis, ticks: { ...axis.ticks, callback: (v: number | string) => fmt(Number(v)) } };
}

/** Relative error against evaluation size, log-log, one line per operation; a dashed vertical line marks the training size. */
export function sizeChart(canvas: HTMLCanvasElement, theme: Theme, series: { label: string; points: [number, number][] }[], trainedAt: number): Chart<'line', { x: number; y: number }[]> {
    const datasets = series.map((s, i) => lineDataset(`relative error on ${s.label}`, s.points.map(([x, y]) => ({ x, y: positive(y) })), theme.series[i % theme.series.length]));
    const ys = series.flatMap(s => s.points.map(([, y]) => positive(y)));
    datasets.push({ ...lineDataset(`trained at n = ${trainedAt}`, [{ x: trainedAt, y: Math.min(...ys) }, { x: trainedAt, y: Math.max(...ys) }], theme.muted),
        borderDash: [4, 3], pointRadius: 0 });
    const sizes = [...new Set([trainedAt, ...series.flatMap(s => s.points.map(([x]) => x))])].sort((a, b) => a - b);
    return parameterChart(canvas, theme, datasets, axisOptions(theme, 'n (evaluation size)', true, sizes), axisOptions(theme, 'relative error', true),
        (label, x, y) => `${label}: ${fmt(y)} at n = ${x}`);
}
