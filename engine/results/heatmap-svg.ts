// Draws a weight tensor (or E as |E - 1|) as a small SVG heatmap (at most 20 x 20 cells) for hovers, as a base64 data URI.
import { interpolateRdBu } from 'd3-scale-chromatic';
import type { WeightTensor } from './result-types.js';
import { pathErrorColourFor } from './path-error-scale.js';

const MAX_CELLS = 20;
/** The picture's longer side in pixels: small enough that a hover shows it without scrolling. */
const SIDE_PX = 120;

/** Views a tensor as rows x columns: the last axis is the columns, every other axis folds into the rows. */
function asMatrix(t: WeightTensor): { rows: number; cols: number; at: (r: number, c: number) => number } {
    const cols = t.shape.length > 0 ? t.shape[t.shape.length - 1] : 1;
    const rows = Math.max(1, Math.floor(t.values.length / Math.max(1, cols)));
    return { rows, cols, at: (r, c) => t.values[r * cols + c] };
}

/** Averages blocks so neither side exceeds MAX_CELLS: a hover has room for the pattern, not every weight. */
export function downsample(t: WeightTensor, max = MAX_CELLS): number[][] {
    const m = asMatrix(t);
    const rows = Math.min(m.rows, max);
    const cols = Math.min(m.cols, max);
    const grid: number[][] = [];
    for (let r = 0; r < rows; r++) {
        const r0 = Math.floor((r * m.rows) / rows),
            r1 = Math.floor(((r + 1) * m.rows) / rows);
        const row: number[] = [];
        for (let c = 0; c < cols; c++) {
            const c0 = Math.floor((c * m.cols) / cols),
                c1 = Math.floor(((c + 1) * m.cols) / cols);
            let sum = 0,
                count = 0;
            for (let i = r0; i < r1; i++)
                for (let j = c0; j < c1; j++) {
                    sum += m.at(i, j);
                    count++;
                }
            row.push(count > 0 ? sum / count : 0);
        }
        grid.push(row);
    }
    return grid;
}

/** Colours of weights: RdBu symmetric about 0 (blue above, red below), spanning the largest |value|. */
function weightColours(grid: number[][]): (v: number) => string {
    const finite = grid.flat().filter(Number.isFinite);
    const spread = Math.max(1e-12, ...finite.map(v => Math.abs(v)));
    return v => (Number.isFinite(v) ? interpolateRdBu(0.5 + v / (2 * spread)) : '#000');
}

/** The SVG text of a heatmap with the given colours (weights: weightColours; path weights E: pathErrorColour). */
export function heatmapSvg(t: WeightTensor, colour?: (v: number) => string): string {
    const grid = downsample(t);
    const fill = colour ?? weightColours(grid);
    const rows = grid.length,
        cols = grid[0]?.length ?? 0;
    const cell = Math.max(4, Math.min(16, Math.floor(SIDE_PX / Math.max(1, rows, cols))));
    const rects = grid.flatMap((row, r) =>
        row.map((v, c) => `<rect x="${c * cell}" y="${r * cell}" width="${cell}" height="${cell}" fill="${fill(v)}"/>`),
    );
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * cell}" height="${rows * cell}" shape-rendering="crispEdges">${rects.join('')}</svg>`;
}

export function heatmapDataUri(t: WeightTensor, colour?: (v: number) => string): string {
    return `data:image/svg+xml;base64,${Buffer.from(heatmapSvg(t, colour), 'utf8').toString('base64')}`;
}

/** E as |E - 1| on the log scale 1e-8 .. 1 (pale = exact, dark red = wrong). */
export function pathErrorDataUri(e: WeightTensor, target = 1): string {
    return heatmapDataUri(e, pathErrorColourFor(target));
}
