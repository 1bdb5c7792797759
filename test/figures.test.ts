// The figure layer (engine/figures): every loss curve named and told apart, sweep and study figures, heatmaps with a colour bar, drawn
// headless to SVG.
import { describe, expect, it } from 'vitest';
import { figureSvg } from '../cli/figure-svg.js';
import { SERIES_COLOURS } from '../engine/figures/figure-theme.js';
import { rowClusterFigure, tensorHeatmapFigure } from '../engine/figures/heatmap-figures.js';
import { lossFigure, seriesStyle, type LossSeries } from '../engine/figures/loss-figure.js';
import {
    errorAgainstEvaluationSizeFigure,
    litmusGridFigure,
    quotientAgainstPoolSizeFigure,
    singularValuesFigure,
} from '../engine/figures/study-figures.js';
import { errorAgainstParameterFigure, seedBandsAgainstParameterFigure, sweepGridFigure } from '../engine/figures/sweep-figures.js';
import type { PointResult } from '../engine/results/result-types.js';

const curve = (k: number): [number, number][] => Array.from({ length: 30 }, (_, s) => [s * 10, Math.exp(-s / (3 + k))]);

/** The lines Vega drew: one SVG path per series of a line mark, with its stroke and dash. */
function linePaths(svg: string): { stroke: string; dash: string }[] {
    const group = svg
        .split('role-mark')
        .filter(part => part.includes('aria-roledescription="line mark container"') || /^[^>]*line/.test(part));
    const paths = [...group.join('').matchAll(/<path[^>]*aria-roledescription="line mark"[^>]*>/g)].map(m => m[0]);
    return paths.map(p => ({ stroke: /stroke="([^"]+)"/.exec(p)?.[1] ?? '', dash: /stroke-dasharray="([^"]+)"/.exec(p)?.[1] ?? '' }));
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(m => m[1]);

/** A 4 × 3 sweep's 12 points, as the 12-point examples/sweep.emn has them. */
const GRID: LossSeries[] = [5, 10, 15, 20].flatMap((size, i) =>
    [0.2, 0.5, 0.8].map((sparsity, j) => ({
        label: `size ${size}, sparsity ${sparsity}`,
        curve: curve(i * 3 + j),
        params: { size, sparsity },
    })),
);

function point(params: Record<string, number>, mse: number): PointResult {
    return {
        params,
        metrics: { mse, rmse: Math.sqrt(mse), maxAbsError: mse * 10, relError: mse },
        evaluations: [],
        steps: 10,
        stopped: 'steps',
        wallMs: 1,
        stepsPerSecond: 1,
        lossCurve: curve(1),
    };
}

describe('loss figure', () => {
    it('tells 12 sweep points apart: size by colour, sparsity by dash, each with a legend of its own', async () => {
        const svg = await figureSvg(lossFigure(GRID));
        const lines = linePaths(svg);
        expect(lines).toHaveLength(12);
        expect(new Set(lines.map(l => `${l.stroke} ${l.dash}`)).size).toBe(12);
        expect(new Set(lines.map(l => l.stroke)).size).toBe(4);
        const labels = texts(svg);
        for (const name of [
            'size',
            'sparsity',
            '5',
            '10',
            '15',
            '20',
            '0.2',
            '0.5',
            '0.8',
            'training step',
            'training loss, mse (log scale)',
        ]) {
            expect(labels).toContain(name);
        }
        // a log axis labelled at the powers of ten
        expect(labels).toContain('1e-2');
    });

    it('names every one of 25 curves in the legend, no two drawn alike', async () => {
        const series = Array.from({ length: 25 }, (_, k) => ({ label: `run ${k}`, curve: curve(k) }));
        const svg = await figureSvg(lossFigure(series));
        const lines = linePaths(svg);
        expect(lines).toHaveLength(25);
        expect(new Set(lines.map(l => `${l.stroke} ${l.dash}`)).size).toBe(25);
        const labels = texts(svg);
        for (const s of series) expect(labels).toContain(s.label);
    });

    it('has twenty distinct colours before a dash repeats one', () => {
        expect(new Set(SERIES_COLOURS).size).toBe(20);
        const styles = Array.from({ length: 20 }, (_, k) => seriesStyle(k, 20));
        expect(new Set(styles.map(s => s.colour)).size).toBe(20);
    });

    it('draws seeds as a median line over a min-max band, named in the legend', async () => {
        const band: [number, number, number, number][] = curve(2).map(([s, l]) => [s, l, l / 2, l * 2]);
        const svg = await figureSvg(lossFigure([{ label: 'seed 3', curve: curve(2), dashed: true }], [{ label: '4 seeds', band }]));
        expect(svg).toContain('aria-roledescription="area mark"');
        expect(linePaths(svg)).toHaveLength(2);
        expect(texts(svg)).toEqual(expect.arrayContaining(['4 seeds: median, min–max band', 'seed 3']));
    });
});

describe('sweep figures', () => {
    const runs = [5, 10, 20].flatMap(size => [0.2, 0.8].map(sparsity => point({ size, sparsity }, size * sparsity * 1e-6)));

    it('error against each swept parameter: one line per value of the other', async () => {
        const bySize = await figureSvg(errorAgainstParameterFigure(runs, 'size', 'mse')!);
        expect(linePaths(bySize)).toHaveLength(2);
        expect(texts(bySize)).toEqual(expect.arrayContaining(['sparsity 0.2', 'sparsity 0.8', 'size', 'test mse (log scale)']));
        const bySparsity = await figureSvg(errorAgainstParameterFigure(runs, 'sparsity', 'mse')!);
        expect(linePaths(bySparsity)).toHaveLength(3);
        expect(errorAgainstParameterFigure(runs, 'size', 'pathWeightError')).toBeUndefined();
    });

    it('the two-parameter grid: a cell per point with its value, and a colour bar', async () => {
        const svg = await figureSvg(sweepGridFigure(runs, ['size', 'sparsity'])!);
        expect(svg.match(/aria-roledescription="rect mark"/g)?.length).toBe(6);
        expect(svg).toContain('<linearGradient'); // the colour bar
        expect(texts(svg)).toContain('1.6e-5'); // size 20 × sparsity 0.8
    });

    it('seeds over a sweep: the median with its band per setting', async () => {
        const groups = [0.01, 0.1].map(lr => ({
            params: { lr },
            seeds: [1, 2],
            runs: [0, 1],
            lossBand: [],
            metrics: { mse: { median: lr, min: lr / 2, max: lr * 2 } },
        }));
        const svg = await figureSvg(seedBandsAgainstParameterFigure(groups, 'lr', 'mse')!);
        expect(svg).toContain('aria-roledescription="area mark"');
        expect(texts(svg)).toContain('test mse against lr: median and min–max over seeds');
    });
});

describe('heatmaps', () => {
    const e = { name: 'E', shape: [3, 3], values: [1, 1.001, 1, 0.5, 1, 1, 1, 1, 1 + 1e-7] };

    it('E as |E − 1| on a log colour bar, with axes', async () => {
        const svg = await figureSvg(tensorHeatmapFigure(e, { kind: 'pathError', target: 1 }, { axes: { x: 'input j', y: 'output i' } }));
        expect(svg.match(/aria-roledescription="rect mark"/g)?.length).toBe(9);
        expect(svg).toContain('<linearGradient');
        expect(texts(svg)).toEqual(expect.arrayContaining(['input j', 'output i', '1e-8', '1e+0']));
    });

    it('a layer on a diverging scale symmetric about 0, and the row-cluster view of W1[i] over E[i]', async () => {
        const w1 = { name: 'mask1.W', shape: [3, 2, 3], values: Array.from({ length: 18 }, (_, k) => k - 9) };
        const layer = tensorHeatmapFigure(w1, { kind: 'weights' }) as { encoding: { color: { scale: { domain: number[] } } } };
        expect(layer.encoding.color.scale.domain).toEqual([-9, 9]);
        const svg = await figureSvg(rowClusterFigure(w1, e, 1));
        expect(texts(svg)).toEqual(expect.arrayContaining(["W1[1]: cluster 1's 2 units × 3 inputs", 'E[1]: row 1 of the path weights']));
        expect(svg.match(/<linearGradient/g)?.length).toBe(2);
    });
});

describe('study figures', () => {
    it('draw their rows: evaluation size, pool size, singular values, the litmus grid with verdict marks', async () => {
        const sizes = await figureSvg(
            errorAgainstEvaluationSizeFigure(
                [10, 20, 100].flatMap(n => ['A', 'B'].map(series => ({ n, relError: 1e-7 * n, series }))),
                5,
            ),
        );
        expect(linePaths(sizes)).toHaveLength(2);
        expect(texts(sizes).join(' ')).toContain('trained at n = 5');
        const quotient = await figureSvg(
            quotientAgainstPoolSizeFigure([8, 64, 512].map(poolSize => ({ poolSize, quotient: 1 + 10 / poolSize, series: 'n 8' }))),
        );
        expect(texts(quotient)).toContain('training pool size (matrices)');
        const singular = await figureSvg(singularValuesFigure([3, 1, 0.01].map((value, index) => ({ index, value, series: 'E' }))));
        expect(linePaths(singular)).toHaveLength(1);
        const grid = await figureSvg(
            litmusGridFigure(
                [
                    { row: 'n 8', column: 'relu', verdict: 'pass' },
                    { row: 'n 8', column: 'none', verdict: 'fail' },
                ],
                { row: 'size', column: 'activation' },
            ),
        );
        expect(texts(grid)).toEqual(expect.arrayContaining(['✓', '✗']));
    });
});
