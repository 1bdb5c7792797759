// The look every figure shares (report and results view): colours, fonts, sizes, the Vega-Lite config built from them.
import type { Config, TopLevelSpec } from 'vega-lite';

/** One figure: a Vega-Lite spec with its data inline, drawn by the results view and by `emn report` alike. */
export type FigureSpec = TopLevelSpec;

/** Colours and font of a figure; the report uses PAPER_THEME, the results view the editor's theme colours. */
export interface FigureTheme {
    foreground: string;
    muted: string;
    grid: string;
    background: string;
    font: string;
}

export const PAPER_THEME: FigureTheme = {
    foreground: '#1a1a1a',
    muted: '#4d4d4d',
    grid: '#e3e3e3',
    background: '#ffffff',
    font: 'DejaVu Sans',
};

/** The plot area of one figure in pixels (axes, legend and colour bar come on top). */
export interface FigureSize {
    width: number;
    height: number;
}

export const PAPER_SIZE: FigureSize = { width: 560, height: 320 };

/**
 * Twenty colours far apart in hue and lightness (Tableau 10, then ten more that differ from all of them), readable
 * on white and on a dark editor background. A figure with more series encodes a second parameter as the dash.
 */
export const SERIES_COLOURS = [
    '#4e79a7',
    '#f28e2b',
    '#e15759',
    '#59a14f',
    '#b07aa1',
    '#76b7b2',
    '#edc948',
    '#9c755f',
    '#ff9da7',
    '#7f7f7f',
    '#1b3a8c',
    '#a6d854',
    '#8c1d40',
    '#00a2d9',
    '#6b4e00',
    '#d4a6ff',
    '#006d5b',
    '#ff5ad6',
    '#c9b400',
    '#3c3c3c',
];

/** Dash patterns told apart at a glance; a fifth value and beyond repeat, so dash carries at most five values. */
export const DASHES: number[][] = [
    [1, 0],
    [6, 3],
    [2, 2],
    [8, 3, 2, 3],
    [1, 3],
];

export const MAX_DASHES = DASHES.length;

export function figureConfig(theme: FigureTheme): Config {
    const text = { labelColor: theme.muted, titleColor: theme.foreground, labelFont: theme.font, titleFont: theme.font };
    return {
        background: theme.background,
        font: theme.font,
        view: { stroke: theme.grid },
        axis: {
            ...text,
            gridColor: theme.grid,
            domainColor: theme.muted,
            tickColor: theme.muted,
            labelFontSize: 11,
            titleFontSize: 12,
            titleFontWeight: 'normal',
        },
        legend: { ...text, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 260 },
        header: { labelColor: theme.foreground, titleColor: theme.foreground, labelFont: theme.font, labelFontSize: 11 },
        title: { color: theme.foreground, font: theme.font, fontSize: 13, fontWeight: 'normal', anchor: 'start' },
        text: { font: theme.font },
    };
}

/**
 * Tick labels of a log axis: the powers of ten only (1e-8, 1e-7, ...), so a reader sees at once that it is a log
 * scale; the axis title says so too.
 */
export const POWERS_OF_TEN = "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-6 ? format(datum.value, '.0e') : ''";

/** Loss and errors can be exactly 0 or below float precision; a log axis cannot show 0, so they are clamped for drawing. */
const LOG_FLOOR = 1e-16;
export const positive = (v: number) => Math.max(v, LOG_FLOOR);
