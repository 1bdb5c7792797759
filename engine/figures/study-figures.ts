// The studies' figures (docs/studies.md): error against evaluation size, memorisation quotient against pool size,
// singular values, the litmus grid. Each takes plain rows, so a study's result fields map onto it in a line.
import { figureConfig, PAPER_THEME, type FigureSpec } from './figure-theme.js';
import { lineFigure } from './line-figure.js';
import type { FigureOptions } from './loss-figure.js';
import type { LearnedMap } from '../results/result-types.js';

/**
 * Relative error of one trained network evaluated at other sizes n (shared weights), log-log, one line per operation;
 * relative, because mse grows with n as |y|^2 does. The training size is named in the title.
 */
export function errorAgainstEvaluationSizeFigure(
    rows: { n: number; relError: number; series: string }[],
    trainedAt: number,
    options: FigureOptions = {},
): FigureSpec {
    return lineFigure(
        rows.map(r => ({ x: r.n, y: r.relError, series: r.series })),
        { x: 'evaluation size n', y: 'relative error', logX: true },
        { title: `relative error against evaluation size (trained at n = ${trainedAt})`, ...options },
    );
}

/** mse on unseen matrices over mse on the training pool (1: no memorisation), against the pool's size. */
export function quotientAgainstPoolSizeFigure(
    rows: { poolSize: number; quotient: number; series: string }[],
    options: FigureOptions = {},
): FigureSpec {
    return lineFigure(
        rows.map(r => ({ x: r.poolSize, y: r.quotient, series: r.series })),
        { x: 'training pool size (matrices)', y: 'memorisation quotient: mse unseen / mse pool' },
        { title: 'memorisation against pool size', ...options },
    );
}

/** Singular values of a weight matrix or of E, largest first, on a log axis. */
export function singularValuesFigure(rows: { index: number; value: number; series: string }[], options: FigureOptions = {}): FigureSpec {
    return lineFigure(
        rows.map(r => ({ x: r.index, y: r.value, series: r.series })),
        { x: 'index (largest first)', y: 'singular value', logX: false },
        { title: 'singular values', ...options },
    );
}

/**
 * A learned map's singular values beside its target's (A for matvec), largest first, log y: a linear MLP's bottleneck of
 * width h shows as M's values falling to round-off after the h-th while the target's go on (Eckart-Young).
 */
export function learnedMapFigure(lm: LearnedMap, options: FigureOptions = {}): FigureSpec {
    const points = [
        ...lm.singularValues.map((y, k) => ({ x: k + 1, y, series: 'learned map M' })),
        ...lm.targetSingularValues.map((y, k) => ({ x: k + 1, y, series: 'target T (A for matvec)' })),
    ];
    // integer ticks: the i of sigma_i
    const xValues = lm.singularValues.map((_, k) => k + 1);
    return lineFigure(
        points,
        { x: 'i (largest first)', y: 'singular value σᵢ', logX: false, xValues },
        { title: `singular values: M (numerical rank ${lm.numericalRank}) and its target`, ...options },
    );
}

/** The litmus grid: one cell per (row, column) setting, its verdict as a mark and a colour (pass, fail, or anything else). */
export function litmusGridFigure(
    cells: { row: string; column: string; verdict: string; detail?: string }[],
    titles: { row: string; column: string },
    options: FigureOptions = {},
): FigureSpec {
    const theme = options.theme ?? PAPER_THEME;
    const rows = [...new Set(cells.map(c => c.row))],
        columns = [...new Set(cells.map(c => c.column))];
    const values = cells.map(c => ({ ...c, mark: c.verdict === 'pass' ? '✓' : c.verdict === 'fail' ? '✗' : '?' }));
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: options.title ?? 'litmus grid',
        width: 56 * columns.length,
        height: 40 * rows.length,
        config: figureConfig(theme),
        data: { values },
        encoding: {
            x: { field: 'column', type: 'ordinal', title: titles.column, sort: columns, axis: { labelAngle: 0 } },
            y: { field: 'row', type: 'ordinal', title: titles.row, sort: rows },
        },
        layer: [
            {
                mark: { type: 'rect', stroke: theme.background },
                encoding: {
                    color: {
                        field: 'verdict',
                        type: 'nominal',
                        title: 'verdict',
                        scale: { domain: ['pass', 'fail'], range: ['#59a14f', '#e15759'] },
                    },
                    tooltip: [
                        { field: 'row', title: titles.row },
                        { field: 'column', title: titles.column },
                        { field: 'verdict' },
                        { field: 'detail' },
                    ],
                },
            },
            { mark: { type: 'text', fontSize: 16, color: '#ffffff' }, encoding: { text: { field: 'mark' } } },
        ],
    };
}
