// A two-parameter sweep's grid as an SVG heatmap for reports: log10 test mse (viridis), the verdict marked in each cell, a colour bar.
import { interpolateViridis } from 'd3-scale-chromatic';
import { num } from '../format-numbers.js';
import { type SweepGrid, VERDICT_LEGEND, VERDICT_MARKS } from './sweep-grid.js';

const CELL = 56;
const LEFT = 90;
const TOP = 40;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The grid as SVG text: rows = the first parameter, columns = the second; a cell not trained stays grey. */
export function sweepGridSvg(grid: SweepGrid): string {
    const logs = grid.cells.flat().map(c => (c && Number.isFinite(c.mse) ? Math.log10(Math.max(c.mse, 1e-16)) : NaN));
    const finite = logs.filter(Number.isFinite);
    const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 1;
    const t = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
    const width = LEFT + grid.columns.length * CELL + 20, height = TOP + grid.rows.length * CELL + 70;
    const parts: string[] = [
        `<text x="${LEFT}" y="16" font-size="12">log10 test mse: ${escape(grid.rowParameter)} (rows) x ${escape(grid.columnParameter)} (columns)</text>`,
    ];
    grid.columns.forEach((v, c) => parts.push(`<text x="${LEFT + c * CELL + CELL / 2}" y="${TOP - 6}" font-size="11" text-anchor="middle">${escape(`${grid.columnParameter} ${v}`)}</text>`));
    grid.rows.forEach((v, r) => {
        parts.push(`<text x="${LEFT - 6}" y="${TOP + r * CELL + CELL / 2 + 4}" font-size="11" text-anchor="end">${escape(`${grid.rowParameter} ${v}`)}</text>`);
        grid.columns.forEach((_, c) => {
            const cell = grid.cells[r][c];
            const v = logs[r * grid.columns.length + c];
            const fill = Number.isFinite(v) ? interpolateViridis(t(v)) : '#bbb';
            // light text on the dark (low-error) end of viridis, dark text on the light end
            const ink = Number.isFinite(v) && t(v) > 0.6 ? '#000' : '#fff';
            const x = LEFT + c * CELL, y = TOP + r * CELL;
            parts.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${fill}"/>`);
            if (cell) {
                const mark = cell.convergence ? ` ${VERDICT_MARKS[cell.convergence]}` : '';
                parts.push(`<text x="${x + CELL / 2}" y="${y + CELL / 2 + 4}" font-size="11" text-anchor="middle" fill="${ink}">${escape(num(cell.mse) + mark)}</text>`);
            }
        });
    });
    const barY = TOP + grid.rows.length * CELL + 16;
    const barWidth = Math.max(120, grid.columns.length * CELL);
    for (let k = 0; k < 40; k++) {
        parts.push(`<rect x="${LEFT + (k * barWidth) / 40}" y="${barY}" width="${barWidth / 40 + 0.5}" height="10" fill="${interpolateViridis(k / 39)}"/>`);
    }
    parts.push(`<text x="${LEFT - 6}" y="${barY + 9}" font-size="10" text-anchor="end">${escape(num(10 ** lo))}</text>`,
        `<text x="${LEFT + barWidth + 4}" y="${barY + 9}" font-size="10">${escape(num(10 ** hi))}</text>`,
        `<text x="${LEFT}" y="${barY + 30}" font-size="10">${escape(VERDICT_LEGEND)}</text>`);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, LEFT + 360)}" height="${height}" font-family="sans-serif">${parts.join('')}</svg>`;
}
