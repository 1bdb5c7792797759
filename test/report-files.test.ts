// `emn report` end to end on the built CLI: every figure as SVG and PNG, every evaluation in the tables, and a notebook that executes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resultsOf, runEmnAsync, specInOwnFolder, useEmnCli } from './emn-cli.js';

vi.setConfig({ testTimeout: 240_000 });
const cli = useEmnCli('emn-report-', 120_000);
const emn = (...args: string[]) => runEmnAsync(args, cli.dir, 120_000);

const SPEC = `
operation Small { matvec size 4 sparsity 0.5 }
operation Other { matvec size 4 sparsity 0.2 entries uniform(0, 1) }
network Net { width 2 depth 1 }
experiment Grid { learn Small with Net optimizer adam(lr 0.01) steps 60 batch 8 seed 3 pool 16
    evaluate 100 samples evaluate 50 samples on pool sweep lr [0.01, 0.03], batch [8, 16] }
experiment One { learn Small with Net optimizer adam(lr 0.01) steps 60 batch 8 seed 3 pool 16
    evaluate 100 samples evaluate 50 samples on pool evaluate 60 samples on Other }
`;

const isPng = (path: string) => readFileSync(path).subarray(1, 4).toString() === 'PNG';

/** Debian's nbconvert (`python3 -m nbconvert`), or why it cannot run here (scripts/setup-report-tools.sh installs it). */
function nbconvertMissing(): string | undefined {
    if (process.env.EMN_NOTEBOOK_UNAVAILABLE) return process.env.EMN_NOTEBOOK_UNAVAILABLE;
    const r = spawnSync('/usr/bin/python3', ['-c', 'import nbconvert, pandas, matplotlib, ipykernel'], { encoding: 'utf8' });
    return r.status === 0
        ? undefined
        : 'no /usr/bin/python3 with nbconvert, pandas, matplotlib and ipykernel (bash scripts/setup-report-tools.sh)';
}
const missing = nbconvertMissing();

describe('emn report', () => {
    it('writes every figure of a sweep as SVG and PNG, and tables with every evaluation', async () => {
        const file = specInOwnFolder(cli.dir, 'grid.emn', SPEC);
        expect((await emn('train', file, '--experiment', 'Grid', '--backend', 'cpu')).code).toBe(0);
        const r = await emn('report', file, '--experiment', 'Grid', '--md', '--csv');
        expect(r.code, r.stderr).toBe(0);
        const folder = resultsOf(file, 'Grid.report');
        for (const name of ['Grid-loss', 'Grid-mse-vs-lr', 'Grid-mse-vs-batch', 'Grid-grid', 'Grid-E', 'Grid-cluster-0']) {
            expect(readFileSync(join(folder, `${name}.svg`), 'utf8'), name).toMatch(/^<svg[^>]*xmlns/);
            expect(isPng(join(folder, `${name}.png`)), name).toBe(true);
        }
        const md = readFileSync(join(folder, 'Grid.md'), 'utf8');
        expect(md).toMatch(/\| point \|\s+lr \|\s+batch \|.*\| mse on pool \|/);
        expect(md).toContain('](Grid-grid.svg)');
        const csv = readFileSync(join(folder, 'Grid.csv'), 'utf8').trim().split('\n');
        expect(csv).toHaveLength(5);
        expect(csv[0]).toContain('mse on pool');
    });

    it("a single run's CSV and Markdown carry every evaluation set, not only the first", async () => {
        const file = specInOwnFolder(cli.dir, 'one.emn', SPEC);
        expect((await emn('train', file, '--experiment', 'One', '--backend', 'cpu')).code).toBe(0);
        expect((await emn('report', file, '--experiment', 'One', '--md', '--csv')).code).toBe(0);
        const folder = resultsOf(file, 'One.report');
        const [header, row] = readFileSync(join(folder, 'One.csv'), 'utf8')
            .trim()
            .split('\n')
            .map(l => l.split(','));
        for (const on of ['pool', 'Other']) {
            expect(header).toContain(`mse on ${on}`);
            expect(Number(row[header.indexOf(`mse on ${on}`)])).toBeGreaterThan(0);
        }
        expect(row[header.indexOf('samples on Other')]).toBe('60');
        expect(readFileSync(join(folder, 'One.md'), 'utf8')).toMatch(/\| Other +\| +60 \|/);
    });

    it.skipIf(missing !== undefined)(
        `--notebook writes a notebook that loads the results and executes${missing ? ` (skipped: ${missing})` : ''}`,
        async () => {
            const file = specInOwnFolder(cli.dir, 'nb.emn', SPEC);
            expect((await emn('train', file, '--experiment', 'Grid', '--backend', 'cpu')).code).toBe(0);
            const r = await emn('report', file, '--experiment', 'Grid', '--notebook');
            expect(r.code, r.stderr).toBe(0);
            const folder = resultsOf(file, 'Grid.report');
            const notebook = join(folder, 'Grid.ipynb');
            // the results file by a path relative to the notebook, so the folder can move as a whole
            expect(readFileSync(notebook, 'utf8')).toContain('Path(\\"../Grid.json\\")');
            const run = spawnSync(
                '/usr/bin/python3',
                ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--output', 'Grid.executed.ipynb', notebook],
                { cwd: folder, encoding: 'utf8', timeout: 180_000 },
            );
            expect(run.status, run.stderr).toBe(0);
            const executed = JSON.parse(readFileSync(join(folder, 'Grid.executed.ipynb'), 'utf8')) as {
                cells: { outputs?: { output_type: string; data?: Record<string, unknown> }[] }[];
            };
            const outputs = executed.cells.flatMap(c => c.outputs ?? []);
            expect(outputs.some(o => o.output_type === 'error')).toBe(false);
            // the loss, one plot per swept parameter, and E: drawn as images
            expect(outputs.filter(o => o.data?.['image/png'] !== undefined).length).toBeGreaterThanOrEqual(4);
            expect(existsSync(join(folder, 'Grid.md'))).toBe(false);
        },
    );
});
