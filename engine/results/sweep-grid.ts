// A two-parameter sweep as a grid (rows: the first parameter's values, columns: the second's), the litmus summary,
// and their text for the CLI and the report; pure, so the results view draws the same grid.
import { num } from '../format-numbers.js';
import { stepsToThreshold } from '../training/convergence.js';
import type { Convergence, ExperimentResult, PointResult } from './result-types.js';

export interface GridCell {
    /** Test mse (the median over seeds when the sweep has them); NaN for a diverged point. */
    mse: number;
    /** The verdict of the run with that median mse. */
    convergence?: Convergence;
    /** Steps to the threshold's decade (median over the seeds that got there). */
    stepsTo?: number;
}

export interface SweepGrid {
    rowParameter: string;
    columnParameter: string;
    rows: number[];
    columns: number[];
    /** cells[row][column]; undefined where the point was not trained. */
    cells: (GridCell | undefined)[][];
}

/** One character per verdict, for grid cells: the legend line says what each means. */
export const VERDICT_MARKS: Record<Convergence, string> = {
    target: '*',
    floor: '=',
    improving: 'v',
    'too-short': '?',
    diverged: '!',
    cancelled: 'x',
};
export const VERDICT_LEGEND = '* target · = floor · v improving · ? too short · ! diverged · x cancelled';

const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The sweep's axes in spec order: a `seeds N` replicate is not an axis. */
function axesOf(r: ExperimentResult): string[] {
    const keys = Object.keys(r.runs?.[0]?.params ?? {});
    return r.seedGroups?.length && !(keys.length === 1 && keys[0] === 'seed') ? keys.filter(k => k !== 'seed') : keys;
}

/** The grid of a sweep over exactly two parameters (undefined otherwise). */
export function sweepGridOf(r: ExperimentResult, threshold: number): SweepGrid | undefined {
    const axes = axesOf(r);
    const runs = r.runs ?? [];
    if (axes.length !== 2 || runs.length === 0) return undefined;
    const [rowParameter, columnParameter] = axes;
    const value = (p: PointResult, k: string) => (p.params as Record<string, number>)[k];
    const rows = [...new Set(runs.map(p => value(p, rowParameter)))].sort((a, b) => a - b);
    const columns = [...new Set(runs.map(p => value(p, columnParameter)))].sort((a, b) => a - b);
    const cells = rows.map(rv =>
        columns.map((cv): GridCell | undefined => {
            const members = runs.filter(p => value(p, rowParameter) === rv && value(p, columnParameter) === cv);
            if (members.length === 0) return undefined;
            const mseOf = (p: PointResult) => (p.stopped === 'diverged' || !Number.isFinite(p.metrics.mse) ? Infinity : p.metrics.mse);
            const sorted = [...members].sort((a, b) => mseOf(a) - mseOf(b));
            const middle = sorted[(sorted.length - 1) >> 1];
            const steps = members.map(p => stepsToThreshold(p.stepsBelow, threshold)).filter((s): s is number => s !== undefined);
            return {
                mse: Number.isFinite(mseOf(middle)) ? middle.metrics.mse : NaN,
                ...(middle.convergence ? { convergence: middle.convergence } : {}),
                ...(steps.length ? { stepsTo: median(steps) } : {}),
            };
        }),
    );
    return { rowParameter, columnParameter, rows, columns, cells };
}

/** Plain-text grid lines: a header naming rows and columns, then one row per value of the first parameter. */
function gridLines(grid: SweepGrid, what: string, cell: (c: GridCell) => string): string[] {
    const corner = `${grid.rowParameter} \\ ${grid.columnParameter}`;
    const body = grid.cells.map(row => row.map(c => (c ? cell(c) : 'not run')));
    const widths = grid.columns.map((v, k) => Math.max(String(v).length, ...body.map(r => r[k].length)));
    const first = Math.max(corner.length, ...grid.rows.map(v => String(v).length));
    const line = (label: string, cells: string[]) =>
        [label.padEnd(first), ...cells.map((c, k) => c.padStart(widths[k]))].join('  ').trimEnd();
    return [
        `${what}: ${grid.rowParameter} (rows) x ${grid.columnParameter} (columns)`,
        line(corner, grid.columns.map(String)),
        ...grid.rows.map((v, r) => line(String(v), body[r])),
    ];
}

/** A test-mse cell with its verdict mark: "4.01 =". */
const mseCell = (c: GridCell) => `${num(c.mse)} ${c.convergence ? VERDICT_MARKS[c.convergence] : ' '}`;

/** A steps-to-threshold cell ('-': never got there). */
const stepsCell = (c: GridCell) => (c.stepsTo === undefined ? '-' : String(c.stepsTo));

/**
 * The litmus summary of a power x masking grid: for each power, the smallest masking that reached the threshold
 * ("power 2: masking 2"), or that none did. Reached: the stop rule fired (the training loss went below it), or the test
 * mse is below it; the test mse of a run stopped at 1e-6 is often a little above (1.09e-6), which is no floor.
 */
export function litmusSummary(grid: SweepGrid, threshold: number): string | undefined {
    const params = [grid.rowParameter, grid.columnParameter];
    if (!params.includes('power') || !params.includes('masking')) return undefined;
    const powerRows = grid.rowParameter === 'power';
    const powers = powerRows ? grid.rows : grid.columns;
    const maskings = powerRows ? grid.columns : grid.rows;
    const cellAt = (pi: number, mi: number) => (powerRows ? grid.cells[pi][mi] : grid.cells[mi][pi]);
    const parts = powers.map((power, pi) => {
        const mi = maskings.findIndex((_, k) => {
            const c = cellAt(pi, k);
            return c !== undefined && (c.convergence === 'target' || c.mse < threshold);
        });
        return `power ${power}: ${mi < 0 ? `none of masking ${maskings.join(', ')}` : `masking ${maskings[mi]}`}`;
    });
    return `smallest masking reaching mse < ${num(threshold)} (the stop rule fired, or test mse below): ${parts.join('; ')}`;
}

/** Every grid text of a two-parameter sweep, for the CLI and the report: test mse with verdicts, the litmus line, steps. */
export function sweepGridText(r: ExperimentResult, threshold: number): string[] {
    const grid = sweepGridOf(r, threshold);
    if (!grid) return [];
    const out = [...gridLines(grid, 'test mse', mseCell), `(${VERDICT_LEGEND})`];
    const litmus = litmusSummary(grid, threshold);
    if (litmus) out.push(litmus);
    if (grid.cells.some(row => row.some(c => c?.stepsTo !== undefined))) {
        out.push(...gridLines(grid, `steps to training mse < ${num(threshold)}`, stepsCell));
    }
    return out;
}
