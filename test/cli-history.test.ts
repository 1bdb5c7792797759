// Reading results as a researcher does, end to end on the built CLI: run history and its bound, emn diff, seeds, emn report, the sweep
// preview.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { resultsOf, specInOwnFolder, useEmnCli, type EmnRun } from './emn-cli.js';
import { ROOT } from './fresh-dist.js';

// each test trains several times on a 2-core machine shared with other work
vi.setConfig({ testTimeout: 240_000 });
const cli = useEmnCli('emn-history-', 120_000);

/** The CLI as a child process, awaited: a synchronous spawn would block the test worker (and vitest's RPC) for minutes here. */
function emn(...args: string[]): Promise<EmnRun> {
    return new Promise(done => {
        const child = spawn(process.execPath, [join(ROOT, 'bin/emn.cjs'), ...args], { cwd: cli.dir });
        let stdout = '',
            stderr = '';
        child.stdout.on('data', d => {
            stdout += d;
        });
        child.stderr.on('data', d => {
            stderr += d;
        });
        child.on('close', code => done({ code, stdout, stderr }));
    });
}

const spec = (name: string, text: string) => specInOwnFolder(cli.dir, name, text);

const results = resultsOf;

const COMMON = `
operation Small { matvec size 4 sparsity 0.5 }
network Net { width 2 depth 1 }
`;
const quick = (lr: number, extra = '') =>
    `${COMMON}experiment Quick { learn Small with Net optimizer adam(lr ${lr}) steps 40 batch 8 seed 3 evaluate 100 samples ${extra} }\n`;

describe('run history', () => {
    it('keeps every run, numbered, bounded by --history (the oldest go); the result file stays the latest', async () => {
        const file = spec('hist.emn', quick(0.01));
        for (let k = 0; k < 3; k++) expect((await emn('train', file, '--backend', 'cpu', '--history', '2')).code).toBe(0);
        const runs = readdirSync(results(file, 'Quick.history')).sort();
        expect(runs).toEqual(['run-0002.json', 'run-0003.json']);
        const kept = JSON.parse(readFileSync(results(file, 'Quick.history', 'run-0003.json'), 'utf8'));
        expect(kept).toMatchObject({ format: 'emn-run', run: 3, experiment: 'Quick', specText: quick(0.01), backend: 'cpu' });
        expect(kept.settings.lr).toBe('0.01');
        const latest = JSON.parse(readFileSync(results(file, 'Quick.json'), 'utf8'));
        expect(latest.result.finishedAt).toBe(kept.result.finishedAt);
        // a bad bound is a usage error
        expect((await emn('train', file, '--history', '0')).code).toBe(1);
    });
});

describe('emn diff', () => {
    it('train, diff and report head the metrics with the same labels (max |err|, rel err), never the JSON keys', async () => {
        const file = spec('labels.emn', quick(0.01));
        const train = await emn('train', file, '--backend', 'cpu');
        expect(train.code).toBe(0);
        writeFileSync(file, quick(0.02));
        expect((await emn('train', file, '--backend', 'cpu')).code).toBe(0);
        const diff = await emn('diff', file, 'Quick@1', 'Quick');
        const report = await emn('report', file, '--experiment', 'Quick', '--md', '--to', join(cli.dir, 'labels-report'));
        expect(report.code).toBe(0);
        // a `|` in a Markdown cell is written `\|`: what a reader sees is the label
        const md = readFileSync(join(cli.dir, 'labels-report', 'Quick.md'), 'utf8').replace(/\\\|/g, '|');
        for (const [what, text] of [
            ['train', train.stdout],
            ['diff', diff.stdout],
            ['report', md],
        ]) {
            expect(text, what).toContain('max |err|');
            expect(text, what).toContain('rel err');
            expect(text, what).not.toMatch(/maxAbsError|relError|pathWeightError|relative error/);
        }
    });

    it("says what changed in the spec's words, metrics side by side, and the difference of E and each layer", async () => {
        const file = spec('diff.emn', quick(0.01));
        expect((await emn('train', file, '--backend', 'cpu')).code).toBe(0);
        writeFileSync(file, quick(0.05));
        expect((await emn('train', file, '--backend', 'cpu')).code).toBe(0);
        const text = await emn('diff', file, 'Quick@1', 'Quick');
        expect(text.code).toBe(0);
        expect(text.stdout).toContain('changed: lr 0.01 -> 0.05');
        expect(text.stdout).toMatch(/E \(path weights\)\s+4x4/);
        const json = JSON.parse((await emn('diff', file, 'Quick@1', 'Quick@latest', '--json')).stdout);
        // only the settings that differ
        expect(json.settings).toEqual([{ setting: 'lr', before: '0.01', after: '0.05' }]);
        expect(json.samePlan).toBe(false);
        const a = JSON.parse(readFileSync(results(file, 'Quick.history', 'run-0001.json'), 'utf8')).result;
        const mse = json.metrics.find((m: { metric: string }) => m.metric === 'mse');
        expect(mse.a).toBe(a.metrics.mse);
        expect(json.weights.map((w: { name: string }) => w.name)).toEqual(['mask1.W', 'output.W']);
        expect(json.pathWeights.maxAbs).toBeGreaterThan(0);
        // the same run against itself: nothing differs, every difference is zero
        const same = JSON.parse((await emn('diff', file, 'Quick@2', 'Quick', '--json')).stdout);
        expect(same.settings).toEqual([]);
        expect(same.pathWeights.maxAbs).toBe(0);
        const md = (await emn('diff', file, 'Quick@~1', 'Quick', '--md')).stdout;
        expect(md).toMatch(/^\| lr +\| +0\.01 \| +0\.05 \|$/m);
        const missing = await emn('diff', file, 'Quick@9', 'Quick');
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain('no run 9 of Quick (kept: 1-2)');
        // nothing stored under a misspelt name or a missing spec: the spec's words, not "train it first"
        const misspelt = await emn('diff', file, 'Quikc', 'Quick');
        expect(misspelt.code).toBe(1);
        expect(misspelt.stderr).toContain(`emn diff: no experiment Quikc in ${file}; experiments: Quick`);
        const gone = await emn('diff', file.replace(/diff\.emn$/, 'gone.emn'), 'Quick', 'Quick');
        expect(gone.code).toBe(1);
        expect(gone.stderr).toMatch(/^emn diff: cannot read \S+gone\.emn: no such file$/m);
        // --out names where results are: a file there is a usage error in words, not node's ENOTDIR
        const notFolder = await emn('diff', file, 'Quick@1', 'Quick', '--out', file);
        expect(notFolder.code).toBe(1);
        expect(notFolder.stderr).toContain(`emn diff: --out ${file} is a file, not a folder of results`);
    });

    it('compares experiments of two files; different shapes get no weight difference, with the reason', async () => {
        const a = spec('left.emn', quick(0.01));
        const b = spec('right.emn', quick(0.01).replace('width 2', 'width 3'));
        expect((await emn('train', a, '--backend', 'cpu')).code).toBe(0);
        expect((await emn('train', b, '--backend', 'cpu')).code).toBe(0);
        const json = JSON.parse((await emn('diff', a, 'Quick', b, 'Quick', '--json')).stdout);
        expect(json.settings).toEqual([{ setting: 'width', before: '2', after: '3' }]);
        expect(json.weights).toEqual([]);
        expect(json.weightsNote).toContain('differ in shape');
    });
});

describe('seeds', () => {
    it("trains the setting once per derived seed and reports the spread; the first seed is the spec's own", async () => {
        const file = spec('seeds.emn', quick(0.01, 'seeds 4 stop when mse < 0.5'));
        const r = await emn('train', file, '--backend', 'cpu', '--json');
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out.runs.map((p: { params: { seed: number } }) => p.params.seed)[0]).toBe(3);
        expect(new Set(out.runs.map((p: { params: { seed: number } }) => p.params.seed)).size).toBe(4);
        expect(out.seedGroups).toHaveLength(1);
        const g = out.seedGroups[0];
        const mses = out.runs.map((p: { metrics: { mse: number } }) => p.metrics.mse).sort((x: number, y: number) => x - y);
        expect(g.metrics.mse).toEqual({ median: (mses[1] + mses[2]) / 2, min: mses[0], max: mses[3] });
        expect(g.reachedTarget).toBe(out.runs.filter((p: { stopped: string }) => p.stopped === 'target').length);
        expect(g.lossBand.length).toBeGreaterThan(0);
        for (const [, median, min, max] of g.lossBand) expect(min <= median && median <= max).toBe(true);
        // one seed alone trains exactly as before: seed 3's numbers
        const single = spec('single.emn', quick(0.01, 'stop when mse < 0.5'));
        const one = JSON.parse((await emn('train', single, '--backend', 'cpu', '--json')).stdout);
        expect(one.metrics.mse).toBe(out.runs[0].metrics.mse);
        const table = (await emn('train', file, '--backend', 'cpu')).stdout;
        expect(table).toContain('spread over seeds:');
        // the headline counts seeds, not points
        expect(table).toMatch(/^Quick: .*, 4 seeds: /m);
        expect(table).toMatch(/reached < 0\.5/);
    });

    it('is checked: a count from 1 to 1000, not with sweep seed', async () => {
        const bad = spec('bad-seeds.emn', quick(0.01, 'seeds 0'));
        const r = await emn('check', bad);
        expect(r.code).toBe(1);
        expect(r.stdout + r.stderr).toMatch(/seeds.*an integer from 1 to 1000/);
        const both = spec('both-seeds.emn', quick(0.01, 'seeds 3 sweep seed [1, 2]'));
        const s = await emn('check', both);
        expect(s.code).toBe(1);
        expect(s.stdout + s.stderr).toContain('seeds 3 and sweep seed both choose the seeds');
    });
});

describe('sweep preview and emn report', () => {
    it('--plan says the points and about how long, calibrated on earlier runs of the file once there are some', async () => {
        const file = spec('preview.emn', quick(0.01) + 'experiment Grid { learn Small with Net steps 40 sweep lr [0.01, 0.02] seeds 3 }\n');
        const before = await emn('train', file, '--plan', '--experiment', 'Grid');
        expect(before.code).toBe(0);
        expect(before.stdout).toMatch(
            /^Grid: 6 points, (about .*|under a second) here \(at the step rates measured per kernel, no earlier run here/,
        );
        expect((await emn('train', file, '--backend', 'cpu', '--experiment', 'Quick')).code).toBe(0);
        const after = JSON.parse((await emn('train', file, '--plan', '--experiment', 'Grid', '--json')).stdout);
        expect(after.preview).toMatchObject({ points: 6, calibration: 'measured on 1 earlier run here' });
        expect(after.preview.flopsPerSecond).toBeGreaterThan(0);
    });

    it('writes Markdown and CSV with SVG figures beside them, for a seeded experiment and for a comparison', async () => {
        const file = spec('report.emn', quick(0.01, 'seeds 3'));
        expect((await emn('train', file, '--backend', 'cpu')).code).toBe(0);
        const r = await emn('report', file, '--experiment', 'Quick', '--md', '--csv');
        expect(r.code).toBe(0);
        const folder = results(file, 'Quick.report');
        const md = readFileSync(join(folder, 'Quick.md'), 'utf8');
        expect(md).toContain('## Spread over seeds');
        expect(md).toContain('](Quick-loss.svg)');
        expect(md).toContain('](Quick-E.svg)');
        const svg = readFileSync(join(folder, 'Quick-loss.svg'), 'utf8');
        expect(svg).toMatch(/^<svg[^>]*xmlns/);
        expect(svg).toContain('opacity="0.22"'); // the seed band
        expect(readFileSync(join(folder, 'Quick-loss.png')).subarray(1, 4).toString()).toBe('PNG');
        const csv = readFileSync(join(folder, 'Quick.csv'), 'utf8').trim().split('\n');
        expect(csv[0]).toBe(
            'seed,stopped,steps,evaluated on,samples,mse,rmse,maxAbsError,relError,pathWeightError,convergence,' +
                ['2', '3', '4', '5', '6', '7', '8', '9', '10'].map(d => `steps to 1e-${d}`).join(','),
        );
        expect(csv[1].split(',')[10]).toMatch(/^(target|floor|improving|too-short)$/);
        expect(csv).toHaveLength(4);
        writeFileSync(file, quick(0.02));
        expect((await emn('train', file, '--backend', 'cpu')).code).toBe(0);
        // a single run's report tables every evaluation set
        expect((await emn('report', file, '--experiment', 'Quick', '--md', '--to', join(cli.dir, 'single'))).code).toBe(0);
        expect(readFileSync(join(cli.dir, 'single', 'Quick.md'), 'utf8')).toMatch(/## Evaluations[\s\S]*\| Small +\| +100 \|/);
        const c = await emn('report', file, '--experiment', 'Quick@1', '--compare', 'Quick', '--md', '--to', join(cli.dir, 'cmp'));
        expect(c.code).toBe(0);
        expect(readFileSync(join(cli.dir, 'cmp', 'Quick-1-compare.md'), 'utf8')).toContain('changed: lr 0.01 -> 0.02, seeds 3 -> 1');
        expect(existsSync(join(cli.dir, 'cmp', 'Quick-1-loss.svg'))).toBe(true);
        expect((await emn('report', file, '--experiment', 'Quick')).code).toBe(1);
        // a comparison that cannot be made writes nothing, not even its folder
        const bad = await emn('report', file, '--experiment', 'Quick', '--compare', 'Quick@9', '--md', '--to', join(cli.dir, 'none'));
        expect(bad.code).toBe(1);
        expect(bad.stderr).toContain('no run 9 of Quick (kept: 1-2)');
        expect(existsSync(join(cli.dir, 'none'))).toBe(false);
    });
});
