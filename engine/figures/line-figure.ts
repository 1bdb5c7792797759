// A metric against one quantity, one named line per series, optionally a min-max band: the sweep plots and the study figures.
import { figureConfig, PAPER_SIZE, PAPER_THEME, positive, POWERS_OF_TEN, SERIES_COLOURS, type FigureSpec } from './figure-theme.js';
import { seriesStyle, type FigureOptions } from './loss-figure.js';

export interface LinePoint {
    x: number;
    y: number;
    series: string;
    /** The band's edges (seeds: the min and max over them). */
    min?: number;
    max?: number;
}

export interface LineAxes {
    x: string;
    y: string;
    /** Log x: by default when every x is positive and they span a decade or more. */
    logX?: boolean;
    /** Log y: by default (errors span decades). */
    logY?: boolean;
    /** Tick exactly these x values (a sweep's chosen values, not 3.1, 3.2, ...). */
    xValues?: number[];
    /** Legend title (the parameters that tell the lines apart). */
    legend?: string;
}

function spansDecade(values: number[]): boolean {
    const pos = values.filter(v => v > 0);
    return pos.length === values.length && pos.length > 1 && Math.max(...pos) / Math.min(...pos) >= 10;
}

export function lineFigure(points: LinePoint[], axes: LineAxes, options: FigureOptions = {}): FigureSpec {
    const theme = options.theme ?? PAPER_THEME;
    const size = options.size ?? PAPER_SIZE;
    const names = [...new Set(points.map(p => p.series))];
    const styles = names.map((_, k) => seriesStyle(k, names.length));
    const logX = axes.logX ?? spansDecade(points.map(p => p.x));
    const logY = axes.logY ?? true;
    const y = (v: number) => (logY ? positive(v) : v);
    const values = points.map(p => ({
        ...p,
        y: y(p.y),
        fill: styles[names.indexOf(p.series)].colour,
        ...(p.min !== undefined ? { min: y(p.min), max: y(p.max ?? p.min) } : {}),
    }));
    const x = {
        field: 'x',
        type: 'quantitative',
        title: axes.x,
        scale: logX ? { type: 'log', nice: !axes.xValues } : { type: 'linear', zero: false, nice: !axes.xValues },
        axis: { format: '~g', ...(axes.xValues ? { values: axes.xValues } : {}) },
    };
    const yEncoding = {
        field: 'y',
        type: 'quantitative',
        title: logY ? `${axes.y} (log scale)` : axes.y,
        scale: logY ? { type: 'log' } : { type: 'linear', zero: false },
        axis: logY ? { labelExpr: POWERS_OF_TEN } : { format: '.2~g' },
    };
    const single = names.length === 1;
    const colour = single
        ? { value: SERIES_COLOURS[0] }
        : {
              field: 'series',
              type: 'nominal',
              title: null,
              sort: names,
              scale: { domain: names, range: styles.map(s => s.colour) },
          };
    const dash = single
        ? { value: [1, 0] }
        : { field: 'series', type: 'nominal', title: null, sort: names, scale: { domain: names, range: styles.map(s => s.dash) } };
    const tooltip = [
        ...(single ? [] : [{ field: 'series', title: axes.legend ?? 'series' }]),
        { field: 'x', title: axes.x },
        { field: 'y', title: axes.y, format: '.3e' },
    ];
    const layers: object[] = [];
    if (points.some(p => p.min !== undefined)) {
        // the band's colour as is (no scale, so no legend entry of its own): the line's entry names it
        layers.push({
            transform: [{ filter: 'isValid(datum.min)' }],
            mark: { type: 'area', opacity: 0.22 },
            encoding: {
                x,
                y: { ...yEncoding, field: 'min' },
                y2: { field: 'max' },
                color: { field: 'fill', type: 'nominal', scale: null },
            },
        });
    }
    layers.push({
        mark: { type: 'line', strokeWidth: 1.6, point: { filled: true, size: 36 } },
        encoding: { x, y: yEncoding, color: colour, strokeDash: dash, tooltip },
    });
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        ...(options.title ? { title: options.title } : {}),
        width: size.width,
        height: size.height,
        config: figureConfig(theme),
        data: { values },
        layer: layers,
        resolve: { scale: { color: 'independent' } },
    } as FigureSpec;
}
