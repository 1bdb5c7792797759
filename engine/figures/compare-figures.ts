// A comparison's figures: both loss curves, the test mse of each shared sweep point, and B − A of E and of every layer.
import type { RunComparison } from '../results/compare-runs.js';
import type { FigureSpec } from './figure-theme.js';
import { MAX_HEATMAP_CELLS, PATH_WEIGHT_AXES, tensorHeatmapFigure } from './heatmap-figures.js';
import { lineFigure } from './line-figure.js';
import { lossFigure, type FigureOptions } from './loss-figure.js';

/** A's and B's loss (a seeded setting: the median over its seeds); undefined when neither has one (sweeps). */
export function compareLossFigure(c: RunComparison, options: FigureOptions = {}): FigureSpec | undefined {
    if (c.lossCurves.a.length === 0 && c.lossCurves.b.length === 0) return undefined;
    return lossFigure(
        [
            { label: `A: ${c.a.label}`, curve: c.lossCurves.a },
            { label: `B: ${c.b.label}`, curve: c.lossCurves.b },
        ],
        [],
        { title: options.title ?? 'training loss: A and B', ...options },
    );
}

/** Sweeps: each point both sides trained, A's and B's test mse over the point's index (0-based, as in the JSON). */
export function comparePointsFigure(c: RunComparison, options: FigureOptions = {}): FigureSpec | undefined {
    if (c.points.length === 0) return undefined;
    const points = c.points.flatMap((p, k) => [
        { x: k, y: p.a, series: `A: ${c.a.label}` },
        { x: k, y: p.b, series: `B: ${c.b.label}` },
    ]);
    return lineFigure(
        points,
        {
            x: `sweep point (${c.points
                .map(p => p.point)
                .slice(0, 2)
                .join('; ')}; …)`,
            y: 'test mse',
            logX: false,
            xValues: c.points.map((_, k) => k),
        },
        { title: options.title ?? 'test mse of each sweep point both runs trained', ...options },
    );
}

/** B − A of E and of each layer of the same shape, as diverging heatmaps (white = equal); none past MAX_HEATMAP_CELLS. */
export function differenceFigures(c: RunComparison, options: FigureOptions = {}): { name: string; spec: FigureSpec }[] {
    const tensors = [...(c.pathWeights ? [{ ...c.pathWeights, name: 'E' }] : []), ...c.weights].filter(
        t => t.difference.values.length <= MAX_HEATMAP_CELLS,
    );
    return tensors.map(t => ({
        name: t.name,
        spec: tensorHeatmapFigure(
            t.difference,
            { kind: 'difference' },
            {
                ...options,
                title: `${t.name === 'E' ? 'E (path weights)' : t.name} difference B − A [${t.shape.join(' × ')}]`,
                ...(t.name === 'E' ? { axes: PATH_WEIGHT_AXES } : {}),
            },
        ),
    }));
}
