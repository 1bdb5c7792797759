// Weight tensors, E and differences as heatmaps with axes and a colour bar; the row-cluster view (W1[i] beside E[i]).
import { formatNumber } from '../format-numbers.js';
import { PATH_ERROR_MAX, PATH_ERROR_MIN } from '../results/path-error-scale.js';
import type { WeightTensor } from '../results/result-types.js';
import { figureConfig, PAPER_THEME, type FigureSpec, type FigureTheme } from './figure-theme.js';
import type { FigureOptions } from './loss-figure.js';

/**
 * weights: red below 0, blue above, white at 0 (a masked weight), symmetric. difference: the same for B − A.
 * pathError: E as |E − target| on the log scale 1e-8 .. 1 (pale = exact, dark red = wrong), as in the hover.
 * sequential: viridis over the values.
 */
export type HeatScale =
    { kind: 'weights' } | { kind: 'difference' } | { kind: 'pathError'; target: number } | { kind: 'sequential'; title: string };

/** Past this many cells a heatmap is unreadable and slow to draw; the export still has every value. */
export const MAX_HEATMAP_CELLS = 40_000;

/** Rows = every index but the last (row-major), columns = the last index: W1 [n, w, n] shows n*w rows of n inputs. */
export function matrixOf(t: WeightTensor): { rows: number; cols: number } {
    const cols = t.shape.length ? t.shape[t.shape.length - 1] : t.values.length;
    return { rows: cols ? Math.max(1, Math.round(t.values.length / cols)) : 0, cols };
}

/** The tensor index of a cell, e.g. W1[i][c][j], for tooltips. */
function indexLabel(t: WeightTensor, row: number, col: number): string {
    const lead = t.shape.slice(0, -1);
    const idx: number[] = [];
    let r = row;
    for (let d = lead.length - 1; d >= 0; d--) {
        idx.unshift(r % lead[d]);
        r = Math.floor(r / lead[d]);
    }
    return `${t.name}[${[...idx, col].join('][')}]`;
}

/** Every k-th index, about a dozen ticks whatever the size. */
function ticks(count: number): number[] {
    const every = Math.max(1, Math.ceil(count / 12));
    return Array.from({ length: Math.ceil(count / every) }, (_, k) => k * every);
}

/** The colour encoding of a scale, and the value of a cell it reads. */
function colourOf(scale: HeatScale, values: number[], length: number): { encoding: object; value: (v: number) => number } {
    // '6e-7', '0.25', '0': short labels whatever the magnitude (a difference of two trained runs is often ~1e-7)
    const legend = { gradientLength: Math.max(100, Math.min(360, length)), format: '.2~g' };
    if (scale.kind === 'pathError') {
        const target = formatNumber(scale.target);
        return {
            value: v =>
                Math.min(PATH_ERROR_MAX, Math.max(PATH_ERROR_MIN, Number.isFinite(v) ? Math.abs(v - scale.target) : PATH_ERROR_MAX)),
            encoding: {
                field: 'c',
                type: 'quantitative',
                title: [`|E − ${target}|`, '(log scale)'],
                scale: { type: 'log', domain: [PATH_ERROR_MIN, PATH_ERROR_MAX], scheme: 'yelloworangered', clamp: true },
                legend: {
                    gradientLength: legend.gradientLength,
                    labelExpr: 'format(datum.value, ".0e")',
                    values: [1e-8, 1e-6, 1e-4, 1e-2, 1],
                },
            },
        };
    }
    if (scale.kind === 'sequential') {
        return { value: v => v, encoding: { field: 'c', type: 'quantitative', title: scale.title, scale: { scheme: 'viridis' }, legend } };
    }
    const half = Math.max(1e-12, ...values.filter(Number.isFinite).map(Math.abs));
    return {
        value: v => v,
        encoding: {
            field: 'c',
            type: 'quantitative',
            title: scale.kind === 'difference' ? 'B − A' : 'weight',
            scale: { scheme: 'redblue', domain: [-half, half], domainMid: 0 },
            legend,
        },
    };
}

export interface HeatmapOptions extends FigureOptions {
    /** The longest side of the plot in pixels (cells are square, 3 to 40 px). */
    side?: number;
    /** What the columns and rows are (default: the tensor's last index, and the row-major index over the others). */
    axes?: { x: string; y: string };
}

/** E's axes: row i of E is output i, column j is the factor of A[i][j] x[j]. */
export const PATH_WEIGHT_AXES = { x: 'input j', y: 'output i' };

/** One tensor (or a slice of it) as a heatmap: row-major rows against the last index, with a colour bar. */
export function tensorHeatmapFigure(t: WeightTensor, scale: HeatScale, options: HeatmapOptions = {}): FigureSpec {
    const theme: FigureTheme = options.theme ?? PAPER_THEME;
    const { rows, cols } = matrixOf(t);
    const cell = Math.max(3, Math.min(40, Math.floor((options.side ?? 420) / Math.max(1, rows, cols))));
    const colour = colourOf(scale, t.values, rows * cell);
    const target = scale.kind === 'pathError' ? scale.target : undefined;
    const values = t.values.map((v, k) => {
        const r = Math.floor(k / cols),
            c = k % cols;
        return {
            r,
            col: c,
            v,
            c: colour.value(v),
            at: indexLabel(t, r, c),
            ...(target !== undefined ? { off: Math.abs(v - target) } : {}),
        };
    });
    const xTitle = options.axes?.x ?? (t.shape.length > 1 ? `last index (of ${t.shape[t.shape.length - 1]})` : 'index');
    const yTitle = options.axes?.y ?? (t.shape.length > 2 ? `row-major index over [${t.shape.slice(0, -1).join(', ')}]` : 'row');
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        ...(options.title ? { title: options.title } : {}),
        width: cols * cell,
        height: rows * cell,
        config: { ...figureConfig(theme), view: { stroke: null } },
        data: { values },
        mark: { type: 'rect' },
        encoding: {
            x: { field: 'col', type: 'ordinal', title: xTitle, axis: { values: ticks(cols), labelAngle: 0 } },
            y: { field: 'r', type: 'ordinal', title: yTitle, axis: { values: ticks(rows) } },
            color: colour.encoding,
            tooltip: [
                { field: 'at', title: 'weight' },
                { field: 'v', title: 'value', format: '.4~g' },
                ...(target !== undefined ? [{ field: 'off', title: `|E − ${formatNumber(target)}|`, format: '.2e' }] : []),
            ],
        },
    };
}

/** Row i of a tensor's first axis: W1[i] of [n, w, n] is [w, n]; E[i] of [n, n] is [1, n]. */
export function slice(t: WeightTensor, i: number): WeightTensor {
    const inner = t.shape.slice(1);
    const size = inner.reduce((a, b) => a * b, 1);
    return { name: `${t.name}[${i}]`, shape: inner.length === 1 ? [1, inner[0]] : inner, values: t.values.slice(i * size, (i + 1) * size) };
}

/** The first (masked) layer: [n, w, n], cluster i's w units over the n inputs that A's row i gates. */
export function firstLayer(weights: WeightTensor[]): WeightTensor | undefined {
    return weights.find(w => /^mask1\b/.test(w.name) && w.shape.length === 3);
}

/** Cluster i: W1[i] (its units × inputs) above row i of E, each with its own colour bar. */
export function rowClusterFigure(
    w1: WeightTensor,
    path: WeightTensor | undefined,
    i: number,
    target = 1,
    options: FigureOptions = {},
): FigureSpec {
    const [, width, inputs] = w1.shape;
    const part = (t: WeightTensor, scale: HeatScale, title: string, y: string) => {
        const {
            $schema: _schema,
            config: _config,
            ...spec
        } = tensorHeatmapFigure(t, scale, { ...options, title, side: 400, axes: { x: 'input j', y } }) as unknown as Record<
            string,
            unknown
        >;
        return spec;
    };
    const parts = [part(slice(w1, i), { kind: 'weights' }, `W1[${i}]: cluster ${i}'s ${width} units × ${inputs} inputs`, 'unit')];
    if (path) parts.push(part(slice(path, i), { kind: 'pathError', target }, `E[${i}]: row ${i} of the path weights`, 'output i'));
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        ...(options.title ? { title: options.title } : {}),
        config: { ...figureConfig(options.theme ?? PAPER_THEME), view: { stroke: null } },
        vconcat: parts,
        resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    } as unknown as FigureSpec;
}
