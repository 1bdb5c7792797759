// Heatmaps of weight tensors (masks and pruning applied) and of the path weights E, with chartjs-chart-matrix.
import { Chart } from 'chart.js';
import type { MatrixDataPoint } from 'chartjs-chart-matrix';
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import type { WeightTensor } from '../../../engine/view.js';
import { backgroundPlugin, type Theme } from './charts.js';
import { el, fmt } from './dom.js';
import { PATH_ERROR_MAX, PATH_ERROR_MIN, pathErrorColourAt, pathErrorColourFor } from '../../../engine/view.js';

/** Past this many cells a heatmap is unreadable and slow; the export still has every value. */
export const MAX_CELLS = 40_000;

/**
 * diverging: RdBu symmetric around `centre` (0 for weights, so a masked weight is the neutral white; 1 for E, so an
 * exact E is white), at least ±minHalfRange wide so float noise around the centre stays pale. sequential: viridis.
 * pathError: E drawn as |E - 1| on the log scale 1e-8 .. 1 (pale = exact, dark red = wrong), as in the hover.
 */
export type ColorScale = { kind: 'diverging'; centre: number; minHalfRange: number } | { kind: 'sequential' } | { kind: 'pathError'; target?: number };

export interface HeatmapView {
    chart: Chart<'matrix'>;
    legend: HTMLElement;
}

/** Rows = every index but the last (row-major), columns = the last index: W1 [n, w, n] shows n*w rows of n inputs. */
export function matrixOf(t: WeightTensor): { rows: number; cols: number } {
    const cols = t.shape.length ? t.shape[t.shape.length - 1] : t.values.length;
    return { rows: cols ? Math.max(1, Math.round(t.values.length / cols)) : 0, cols };
}

/** The tensor index of a cell, e.g. [i][c][j], for tooltips. */
function indexLabel(t: WeightTensor, row: number, col: number): string {
    const lead = t.shape.slice(0, -1);
    const idx: number[] = [];
    let r = row;
    for (let d = lead.length - 1; d >= 0; d--) { idx.unshift(r % lead[d]); r = Math.floor(r / lead[d]); }
    return `${t.name}[${[...idx, col].join('][')}]`;
}

/** The value range the colours span: symmetric around the centre for a diverging scale. */
function colorRange(scale: ColorScale, min: number, max: number): [number, number] {
    if (scale.kind === 'sequential') return [min, max];
    if (scale.kind === 'pathError') return [PATH_ERROR_MIN, PATH_ERROR_MAX];
    const half = Math.max(Math.abs(min - scale.centre), Math.abs(max - scale.centre), scale.minHalfRange) || 1;
    return [scale.centre - half, scale.centre + half];
}

function colorFor(scale: ColorScale, min: number, max: number): (v: number) => string {
    if (scale.kind === 'pathError') return pathErrorColourFor(scale.target);
    const [lo, hi] = colorRange(scale, min, max);
    const span = hi - lo || 1;
    const t = (v: number) => Math.min(1, Math.max(0, (v - lo) / span));
    // blue above the centre, red below: the same convention as the hover's heatmap
    return scale.kind === 'diverging' ? v => interpolateRdBu(t(v)) : v => interpolateViridis(t(v));
}

/** Axis titles and per-index labels, for a matrix that is not a weight tensor (e.g. error over a sweep grid). */
export interface HeatmapAxes {
    x: { title: string; labels: string[] };
    y: { title: string; labels: string[] };
    /** Tooltip text of a cell. */
    cell: (row: number, col: number, value: number) => string;
}

export function heatmap(canvas: HTMLCanvasElement, box: HTMLElement, theme: Theme, t: WeightTensor, scale: ColorScale, axes?: HeatmapAxes): HeatmapView {
    const { rows, cols } = matrixOf(t);
    let min = Infinity;
    let max = -Infinity;
    for (const v of t.values) { if (v < min) min = v; if (v > max) max = v; }
    const color = colorFor(scale, min, max);
    const data: MatrixDataPoint[] = t.values.map((v, k) => ({ x: k % cols, y: Math.floor(k / cols), v }));
    // square cells when the width allows; set through CSSOM (allowed by the CSP), not a style attribute
    const available = box.clientWidth || 600;
    const cell = Math.max(3, Math.min(36, Math.floor((available - 70) / Math.max(1, cols))));
    box.style.height = `${rows * cell + 60}px`;
    box.style.width = `${Math.min(available, cols * cell + 70)}px`;
    const axis = (title: string, count: number, reverse: boolean, labels?: string[]) => ({
        type: 'linear' as const,
        offset: false,
        reverse,
        min: -0.5,
        max: count - 0.5,
        title: { display: true, text: title, color: theme.muted },
        ticks: { color: theme.muted, callback: (v: number | string) => labels?.[Number(v)] ?? String(v) },
        // cells sit at integer indices between the ±0.5 bounds: tick the indices (every k-th when there are many)
        afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            const every = Math.ceil(count / 12);
            scale.ticks = Array.from({ length: Math.ceil(count / every) }, (_, k) => ({ value: k * every }));
        },
        grid: { display: false },
        border: { color: theme.grid },
    });
    const chart = new Chart<'matrix'>(canvas, {
        type: 'matrix',
        data: {
            datasets: [{
                label: t.name,
                data,
                backgroundColor: ctx => color((ctx.raw as MatrixDataPoint | undefined)?.v ?? 0),
                borderWidth: 0,
                width: ({ chart }) => Math.max(1, (chart.chartArea?.width ?? 0) / cols),
                height: ({ chart }) => Math.max(1, (chart.chartArea?.height ?? 0) / rows),
            }],
        },
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            scales: {
                x: axes ? axis(axes.x.title, cols, false, axes.x.labels) : axis(t.shape.length > 1 ? `last index (${t.shape[t.shape.length - 1]})` : 'index', cols, false),
                y: axes ? axis(axes.y.title, rows, true, axes.y.labels) : axis(t.shape.length > 2 ? `row-major index over [${t.shape.slice(0, -1).join(', ')}]` : 'row', rows, true),
            },
            plugins: {
                legend: { display: false },
                tooltip: {
                    callbacks: {
                        title: () => '',
                        label: item => {
                            const p = item.raw as MatrixDataPoint;
                            if (axes) return axes.cell(Number(p.y), Number(p.x), p.v ?? NaN);
                            const where = `${indexLabel(t, Number(p.y), Number(p.x))} = ${fmt(p.v)}`;
                            return scale.kind === 'pathError' ? `${where} (|E − ${fmt(scale.target ?? 1)}| = ${fmt(Math.abs((p.v ?? NaN) - (scale.target ?? 1)))})` : where;
                        },
                    },
                },
            },
        },
        plugins: [backgroundPlugin(theme)],
    });
    return { chart, legend: legendFor(scale, min, max) };
}

/** A colour bar with its end values and the tensor's actual min and max. */
function legendFor(scale: ColorScale, min: number, max: number): HTMLElement {
    const bar = el('canvas', { width: '160', height: '10', 'aria-hidden': 'true' });
    const ctx = bar.getContext('2d');
    if (scale.kind === 'pathError') {
        if (ctx) {
            for (let x = 0; x < 160; x++) {
                ctx.fillStyle = pathErrorColourAt(x / 159);
                ctx.fillRect(x, 0, 1, 10);
            }
        }
        const worst = Math.max(Math.abs(min - 1), Math.abs(max - 1));
        return el('div', { class: 'legend' }, '|E − 1|: 1e-8 (exact)', bar, '1 (wrong), log scale', ` · E in [${fmt(min)}, ${fmt(max)}], max |E − 1| ${fmt(worst)}`);
    }
    const [lo, hi] = colorRange(scale, min, max);
    const color = colorFor(scale, min, max);
    if (ctx) {
        for (let x = 0; x < 160; x++) {
            ctx.fillStyle = color(lo + (hi - lo) * (x / 159));
            ctx.fillRect(x, 0, 1, 10);
        }
    }
    return el('div', { class: 'legend' }, fmt(lo), bar, fmt(hi),
        ` · min ${fmt(min)}, max ${fmt(max)}`);
}
