// Draws a weight tensor as a small SVG heatmap (at most 20 x 20 cells) for hovers, as a base64 data URI.
import { interpolateRdBu } from 'd3-scale-chromatic';
import type { WeightTensor } from '../../results/result-types.js';

const MAX_CELLS = 20;
const CELL_PX = 8;

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
        const r0 = Math.floor(r * m.rows / rows), r1 = Math.floor((r + 1) * m.rows / rows);
        const row: number[] = [];
        for (let c = 0; c < cols; c++) {
            const c0 = Math.floor(c * m.cols / cols), c1 = Math.floor((c + 1) * m.cols / cols);
            let sum = 0, count = 0;
            for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) { sum += m.at(i, j); count++; }
            row.push(count > 0 ? sum / count : 0);
        }
        grid.push(row);
    }
    return grid;
}

/**
 * The SVG text of a heatmap. Colours are symmetric about `centre` (0 for weights, 1 for path weights E):
 * blue above the centre, red below. `minSpread` keeps tiny deviations pale: for E the scale spans at least
 * [0, 2], so a learned E (all ones up to 1e-5) is flat white instead of amplified noise.
 */
export function heatmapSvg(t: WeightTensor, centre = 0, minSpread = 1e-12): string {
    const grid = downsample(t);
    const finite = grid.flat().filter(Number.isFinite);
    const spread = Math.max(minSpread, ...finite.map(v => Math.abs(v - centre)));
    const rows = grid.length, cols = grid[0]?.length ?? 0;
    const rects = grid.flatMap((row, r) => row.map((v, c) => {
        const colour = Number.isFinite(v) ? interpolateRdBu(0.5 + (v - centre) / (2 * spread)) : '#000';
        return `<rect x="${c * CELL_PX}" y="${r * CELL_PX}" width="${CELL_PX}" height="${CELL_PX}" fill="${colour}"/>`;
    }));
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * CELL_PX}" height="${rows * CELL_PX}" shape-rendering="crispEdges">${rects.join('')}</svg>`;
}

export function heatmapDataUri(t: WeightTensor, centre = 0, minSpread?: number): string {
    return `data:image/svg+xml;base64,${Buffer.from(heatmapSvg(t, centre, minSpread), 'utf8').toString('base64')}`;
}
