// The sweep's figures: error against any swept parameter (one line per value of the others), seeds as bands, the two-parameter grid.
import { formatNumber, formatPoint } from '../format-numbers.js';
import type { PointResult } from '../results/result-types.js';
import { VERDICT_MARKS } from '../results/sweep-grid.js';
import type { SeedGroup } from '../results/seed-spread.js';
import { figureConfig, PAPER_THEME, positive, type FigureSpec } from './figure-theme.js';
import { lineFigure, type LinePoint } from './line-figure.js';
import type { FigureOptions } from './loss-figure.js';

export type SweepMetric = 'mse' | 'relError' | 'maxAbsError' | 'pathWeightError' | 'memorisationQuotient';

/** What each metric is called on an axis. */
const METRIC_TITLES: Record<SweepMetric, string> = {
    mse: 'test mse',
    relError: 'relative error',
    maxAbsError: 'max |error|',
    pathWeightError: 'mean |E − 1|',
    memorisationQuotient: 'fresh/pool mse (memorisation quotient)',
};

type Params = Record<string, number | string | undefined>;

/**
 * The swept parameters a line can run along, in the spec's order: numbers only (`seed` left out: seeds are a band,
 * not an axis; named values such as activation are a line each, or a grid's rows).
 */
export function sweepParameters(runs: { params: Params }[]): string[] {
    return [...new Set(runs.flatMap(r => Object.keys(r.params)))].filter(
        k => k !== 'seed' && runs.every(r => typeof r.params[k] !== 'string'),
    );
}

const valuesOf = (runs: { params: Params }[], key: string) =>
    [...new Set(runs.map(r => r.params[key]).filter((v): v is number | string => v !== undefined))].sort((a, b) =>
        typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
    );
/** A sweep value on an axis: numbers as the CLI writes them, names as they are. */
const axisText = (v: number | string) => (typeof v === 'number' ? formatNumber(v) : v);

const othersLabel = (params: Params, x: string, fallback: string) =>
    formatPoint(Object.fromEntries(Object.entries(params).filter(([k]) => k !== x && k !== 'seed'))) || fallback;

/** A metric against parameter `x`, one line per value of the other swept parameters. Undefined when no run has the metric. */
export function errorAgainstParameterFigure(
    runs: PointResult[],
    x: string,
    metric: SweepMetric,
    options: FigureOptions = {},
): FigureSpec | undefined {
    const points: LinePoint[] = runs.flatMap(r => {
        const v = r.metrics[metric];
        const at = r.params[x as keyof typeof r.params];
        return v === undefined || v === null || typeof at !== 'number'
            ? []
            : [{ x: at, y: v, series: othersLabel(r.params, x, METRIC_TITLES[metric]) }];
    });
    return parameterLines(points, runs, x, metric, options.title ?? `${METRIC_TITLES[metric]} against ${x}`, options);
}

/** A sweep trained with seeds: each setting's median over its seeds with the min-max band, against parameter `x`. */
export function seedBandsAgainstParameterFigure(
    groups: SeedGroup[],
    x: string,
    metric: SweepMetric,
    options: FigureOptions = {},
): FigureSpec | undefined {
    const points: LinePoint[] = groups.flatMap(g => {
        const s = g.metrics[metric];
        const at = g.params[x as keyof typeof g.params];
        return !s || typeof at !== 'number'
            ? []
            : [{ x: at, y: s.median, min: s.min, max: s.max, series: othersLabel(g.params, x, METRIC_TITLES[metric]) }];
    });
    return parameterLines(
        points,
        groups,
        x,
        metric,
        options.title ?? `${METRIC_TITLES[metric]} against ${x}: median and min–max over seeds`,
        options,
    );
}

/** The lines of a metric against parameter `x` (points of runs or of seed groups), one per value of the other parameters. */
function parameterLines(
    points: LinePoint[],
    settings: { params: Params }[],
    x: string,
    metric: SweepMetric,
    title: string,
    options: FigureOptions,
): FigureSpec | undefined {
    if (points.length === 0) return undefined;
    points.sort((a, b) => a.x - b.x);
    const others = sweepParameters(settings).filter(k => k !== x);
    const xValues = valuesOf(settings, x).filter((v): v is number => typeof v === 'number');
    return lineFigure(points, { x, y: METRIC_TITLES[metric], xValues, legend: others.join(', ') || undefined }, { title, ...options });
}

/**
 * Two swept parameters: the metric of each point as a cell (log colour scale, dark = low), its value written in it.
 * `keys` are [rows, columns], as the CLI prints the grid (sweep-grid.ts): the first parameter down, the second across.
 */
export function sweepGridFigure(
    runs: PointResult[],
    keys: [string, string],
    metric: SweepMetric = 'mse',
    options: FigureOptions = {},
): FigureSpec | undefined {
    const [yKey, xKey] = keys;
    const cells = runs.flatMap(r => {
        const v = r.metrics[metric];
        const px = r.params[xKey as keyof typeof r.params],
            py = r.params[yKey as keyof typeof r.params];
        return v === undefined || v === null || px === undefined || py === undefined
            ? []
            : [
                  {
                      x: axisText(px),
                      y: axisText(py),
                      v: positive(v),
                      text: v.toExponential(1) + (r.convergence ? ` ${VERDICT_MARKS[r.convergence]}` : ''),
                  },
              ];
    });
    if (cells.length === 0) return undefined;
    const theme = options.theme ?? PAPER_THEME;
    const xs = valuesOf(runs, xKey).map(axisText),
        ys = valuesOf(runs, yKey).map(axisText);
    const cell = Math.max(28, Math.min(72, Math.floor(480 / Math.max(xs.length, ys.length))));
    const logs = cells.map(c => Math.log10(c.v));
    // text dark on the light cells (high error, viridis yellow), light on the dark ones
    const middle = 10 ** ((Math.min(...logs) + Math.max(...logs)) / 2);
    const title = METRIC_TITLES[metric];
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: options.title ?? `${title} over ${xKey} × ${yKey}`,
        width: cell * xs.length,
        height: cell * ys.length,
        config: figureConfig(theme),
        data: { values: cells },
        encoding: {
            x: { field: 'x', type: 'ordinal', title: xKey, sort: xs, axis: { labelAngle: 0 } },
            y: { field: 'y', type: 'ordinal', title: yKey, sort: ys },
        },
        layer: [
            {
                mark: { type: 'rect' },
                encoding: {
                    color: {
                        field: 'v',
                        type: 'quantitative',
                        title: `${title} (log scale)`,
                        scale: { type: 'log', scheme: 'viridis' },
                        legend: { labelExpr: 'format(datum.value, ".0e")', gradientLength: Math.max(120, cell * ys.length) },
                    },
                    tooltip: [
                        { field: 'x', title: xKey },
                        { field: 'y', title: yKey },
                        { field: 'v', title, format: '.3e' },
                    ],
                },
            },
            {
                mark: { type: 'text', fontSize: 10 },
                encoding: {
                    text: { field: 'text' },
                    color: { condition: { test: `datum.v > ${middle}`, value: '#1a1a1a' }, value: '#ffffff' },
                },
            },
        ],
    };
}
