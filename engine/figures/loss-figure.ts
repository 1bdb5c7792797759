// The loss figure: training loss against step on a log axis, every curve named; seeds as a median line over a min-max band.
import { formatNumber } from '../format-numbers.js';
import {
    DASHES,
    figureConfig,
    MAX_DASHES,
    PAPER_SIZE,
    PAPER_THEME,
    positive,
    POWERS_OF_TEN,
    SERIES_COLOURS,
    type FigureSize,
    type FigureSpec,
    type FigureTheme,
} from './figure-theme.js';

/** One loss curve: [step, loss] pairs; `params` (a sweep point's values) lets two parameters be told by colour and dash. */
export interface LossSeries {
    label: string;
    curve: [number, number][];
    params?: Record<string, number | string | undefined>;
    /** Drawn dashed and thin (one seed over its group's band). */
    dashed?: boolean;
}

/** Runs of one setting over seeds: [step, median, min, max] (results/seed-spread.ts lossBand). */
export interface LossBand {
    label: string;
    band: [number, number, number, number][];
}

export interface FigureOptions {
    title?: string;
    theme?: FigureTheme;
    size?: FigureSize;
}

const LOSS_AXIS = 'training loss, mse (log scale)';
const STEP_AXIS = 'training step';

/**
 * Two swept parameters read best as colour (the one with more values) and dash (at most MAX_DASHES values), each with
 * its own legend; anything else gets one legend entry per curve, colour and dash from the same list of distinct pairs.
 */
function twoParameterEncoding(series: LossSeries[]): [string, string] | undefined {
    const keys = [...new Set(series.flatMap(s => Object.keys(s.params ?? {})))];
    if (keys.length !== 2 || series.some(s => s.dashed || Object.keys(s.params ?? {}).length !== 2)) return undefined;
    const count = (k: string) => new Set(series.map(s => s.params![k])).size;
    const [colour, dash] = count(keys[0]) >= count(keys[1]) ? keys : [keys[1], keys[0]];
    return count(dash) <= MAX_DASHES && count(colour) <= SERIES_COLOURS.length ? [colour, dash] : undefined;
}

/** The colour and dash of the k-th of `count` series: distinct colours first, then the colours again with a dash. */
export function seriesStyle(k: number, count: number): { colour: string; dash: number[] } {
    const colours = count <= SERIES_COLOURS.length ? SERIES_COLOURS : SERIES_COLOURS.slice(0, 10);
    return { colour: colours[k % colours.length], dash: DASHES[Math.floor(k / colours.length) % DASHES.length] };
}

const sortedValues = (series: LossSeries[], key: string) =>
    [...new Set(series.map(s => s.params![key]!))].sort((a, b) =>
        typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
    );
/** A sweep value in a legend: numbers as the CLI writes them, names (activation, order...) as they are. */
const valueText = (v: number | string) => (typeof v === 'number' ? formatNumber(v) : v);

export function lossFigure(series: LossSeries[], bands: LossBand[] = [], options: FigureOptions = {}): FigureSpec {
    const theme = options.theme ?? PAPER_THEME;
    const size = options.size ?? PAPER_SIZE;
    const x = { field: 'step', type: 'quantitative' as const, title: STEP_AXIS, axis: { tickCount: 8 } };
    const y = {
        field: 'loss',
        type: 'quantitative' as const,
        title: LOSS_AXIS,
        scale: { type: 'log' as const },
        axis: { labelExpr: POWERS_OF_TEN },
    };
    const byParams = bands.length === 0 ? twoParameterEncoding(series) : undefined;
    const layers: object[] = [];
    if (byParams) {
        const [colourKey, dashKey] = byParams;
        const colourValues = sortedValues(series, colourKey),
            dashValues = sortedValues(series, dashKey);
        layers.push({
            data: {
                values: series.flatMap(s =>
                    s.curve.map(([step, loss]) => ({
                        series: s.label,
                        step,
                        loss: positive(loss),
                        [colourKey]: valueText(s.params![colourKey]!),
                        [dashKey]: valueText(s.params![dashKey]!),
                    })),
                ),
            },
            mark: { type: 'line', strokeWidth: 1.6, clip: true },
            encoding: {
                x,
                y,
                color: {
                    field: colourKey,
                    type: 'nominal',
                    title: colourKey,
                    sort: colourValues.map(valueText),
                    scale: { domain: colourValues.map(valueText), range: SERIES_COLOURS.slice(0, colourValues.length) },
                },
                strokeDash: {
                    field: dashKey,
                    type: 'nominal',
                    title: dashKey,
                    sort: dashValues.map(valueText),
                    scale: { domain: dashValues.map(valueText), range: DASHES.slice(0, dashValues.length) },
                },
                detail: { field: 'series' },
                tooltip: [{ field: 'series', title: 'point' }, { field: 'step' }, { field: 'loss', format: '.3e' }],
            },
        });
    } else {
        // one domain over the bands' medians and the curves, so every line has its own legend entry
        const names = [...bands.map(b => `${b.label}: median, min–max band`), ...series.map(s => s.label)];
        const styles = names.map((_, k) => seriesStyle(k, names.length));
        const colour = {
            field: 'series',
            type: 'nominal',
            title: null,
            sort: names,
            scale: { domain: names, range: styles.map(s => s.colour) },
        };
        const dashOf = (k: number) => (series[k - bands.length]?.dashed ? [4, 3] : styles[k].dash);
        const strokeDash = {
            field: 'series',
            type: 'nominal',
            title: null,
            sort: names,
            scale: { domain: names, range: names.map((_, k) => dashOf(k)) },
        };
        const tooltip = [{ field: 'series' }, { field: 'step' }, { field: 'loss', format: '.3e' }];
        if (bands.length > 0) {
            layers.push({
                // the band's colour as is (no scale, so no legend entry of its own): the median's entry names it
                data: {
                    values: bands.flatMap((b, k) =>
                        b.band.map(([step, , min, max]) => ({
                            series: names[k],
                            fill: styles[k].colour,
                            step,
                            min: positive(min),
                            max: positive(max),
                        })),
                    ),
                },
                mark: { type: 'area', opacity: 0.22, clip: true },
                encoding: { x, y: { ...y, field: 'min' }, y2: { field: 'max' }, color: { field: 'fill', type: 'nominal', scale: null } },
            });
        }
        layers.push({
            data: {
                values: [
                    ...bands.flatMap((b, k) => b.band.map(([step, median]) => ({ series: names[k], step, loss: positive(median) }))),
                    ...series.flatMap((s, k) =>
                        s.curve.map(([step, loss]) => ({ series: names[bands.length + k], step, loss: positive(loss) })),
                    ),
                ],
            },
            mark: { type: 'line', strokeWidth: 1.6, clip: true },
            encoding: { x, y, color: colour, strokeDash, tooltip },
        });
    }
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        ...(options.title ? { title: options.title } : {}),
        width: size.width,
        height: size.height,
        config: figureConfig(theme),
        layer: layers,
        resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
    } as FigureSpec;
}

/** The loss of one run that may still grow: the results view appends points to the data set named here as training streams them. */
export const LIVE_LOSS_DATA = 'live';

export function liveLossFigure(label: string, curve: [number, number][] = [], options: FigureOptions = {}): FigureSpec {
    const theme = options.theme ?? PAPER_THEME;
    const size = options.size ?? PAPER_SIZE;
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        ...(options.title ? { title: options.title } : {}),
        description: label,
        width: size.width,
        height: size.height,
        config: figureConfig(theme),
        data: { name: LIVE_LOSS_DATA, values: curve.map(([step, loss]) => ({ step, loss: positive(loss) })) },
        mark: { type: 'line', strokeWidth: 1.6, color: SERIES_COLOURS[0] },
        encoding: {
            x: { field: 'step', type: 'quantitative', title: STEP_AXIS },
            y: { field: 'loss', type: 'quantitative', title: LOSS_AXIS, scale: { type: 'log' }, axis: { labelExpr: POWERS_OF_TEN } },
            tooltip: [{ field: 'step' }, { field: 'loss', format: '.3e' }],
        },
    };
}
