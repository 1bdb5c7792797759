// `emn train` end to end (the built CLI, bin/emn.cjs): exit codes 0/1/2, JSON shape, tables, --plan, --out, the store.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsOf, specInOwnFolder, useEmnCli } from './emn-cli.js';

const cli = useEmnCli('emn-cli-', 120_000);
const { emn } = cli;

const spec = (name: string, text: string) => specInOwnFolder(cli.dir, name, text);

const results = resultsOf;

const COMMON = `
operation Small { matvec size 4 sparsity 0.5 }
network Net { width 3 depth 2 }
`;

describe('emn train', () => {
    it('trains, prints the JSON contract and writes the results store (exit 0)', () => {
        const file = spec(
            'good.emn',
            COMMON + 'experiment Quick { learn Small with Net steps 300 batch 16 seed 3 evaluate 200 samples }\n',
        );
        const r = emn('train', file, '--json', '--backend', 'cpu');
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({
            experiment: 'Quick',
            operation: 'Small',
            network: 'Net',
            backend: 'cpu',
            steps: 300,
            stopped: 'steps',
        });
        for (const k of ['wallMs', 'stepsPerSecond']) expect(typeof out[k]).toBe('number');
        expect(Object.keys(out.metrics).sort()).toEqual(['maxAbsError', 'mse', 'pathWeightError', 'relError', 'rmse']);
        expect(out.evaluations[0]).toMatchObject({ on: 'Small', samples: 200 });
        for (const k of ['mse', 'maxAbsError', 'relError']) expect(typeof out.evaluations[0][k]).toBe('number');
        // bulky data stays in the results file
        expect(out.weights).toBeUndefined();
        const stored = JSON.parse(readFileSync(results(file, 'Quick.json'), 'utf8'));
        expect(stored.result.weights.length).toBe(3);
        expect(stored.result.planHash).toBe(out.planHash);
        // no progress bar when stderr is not a terminal
        expect(r.stderr).not.toContain('\r');
    });

    it('a copied spec trains beside its original, the imported file loaded though not named', () => {
        const ops = spec('ops.emn', COMMON);
        const folder = dirname(ops);
        const text = 'import "ops.emn"\nexperiment Copied { learn Small with Net steps 50 batch 8 seed 2 evaluate 50 samples }\n';
        writeFileSync(join(folder, 'variant.emn'), text);
        writeFileSync(join(folder, 'variant-lr.emn'), text.replace('seed 2', 'seed 2 optimizer sgd(lr 0.02)'));
        for (const name of ['variant.emn', 'variant-lr.emn']) {
            const r = emn('train', join(folder, name), '--json', '--backend', 'cpu');
            expect(r.stderr).not.toContain('error');
            expect(r.code).toBe(0);
            expect(JSON.parse(r.stdout)).toMatchObject({ experiment: 'Copied', operation: 'Small', network: 'Net', steps: 50 });
            expect(existsSync(results(join(folder, name), 'Copied.json'))).toBe(true);
        }
    });

    it('reports spec errors like emn check and trains nothing (exit 1)', () => {
        const file = spec('bad.emn', COMMON + 'experiment Broken { learn Missing with Net steps 10 }\n');
        const r = emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(1);
        const check = emn('check', file);
        expect(check.code).toBe(1);
        const diagnostics = check.stdout
            .trim()
            .split('\n')
            .filter(l => l.includes(': error: '));
        expect(diagnostics.length).toBeGreaterThan(0);
        for (const d of diagnostics) expect(r.stderr).toContain(d);
        expect(existsSync(results(file))).toBe(false);
    });

    it('exits 2 on divergence and keeps the last good result', () => {
        const file = spec('lr.emn', COMMON + 'experiment Lr { learn Small with Net steps 200 batch 16 }\n');
        expect(emn('train', file, '--backend', 'cpu').code).toBe(0);
        const good = readFileSync(results(file, 'Lr.json'), 'utf8');
        spec('lr.emn', COMMON + 'experiment Lr { learn Small with Net optimizer sgd(lr 80, momentum 0.9) steps 200 batch 16 }\n');
        const r = emn('train', file, '--backend', 'cpu', '--json');
        expect(r.code).toBe(2);
        const out = JSON.parse(r.stdout);
        expect(out.stopped).toBe('diverged');
        expect(out.divergedAt.step).toBeGreaterThan(0);
        expect(readFileSync(results(file, 'Lr.json'), 'utf8')).toBe(good);
        expect(existsSync(results(file, 'Lr.last-failure.json'))).toBe(true);
        const human = emn('train', file, '--backend', 'cpu');
        expect(human.stdout).toMatch(/training diverged at step \d+ \(loss .+\): lower lr \(now 80\), e\.g\. to 8/);
        expect(human.stdout).toMatch(/the last good result \(trained \d{4}-\d\d-\d\d \d\d:\d\d UTC\) was kept/);
        // a diverged run has nothing evaluated: no empty evaluation table
        expect(human.stdout).not.toContain('evaluated on');
        // a later good run removes the failure file, which would otherwise still warn
        spec('lr.emn', COMMON + 'experiment Lr { learn Small with Net steps 200 batch 16 }\n');
        const again = emn('train', file, '--backend', 'cpu');
        expect(again.code).toBe(0);
        expect(again.stdout).toContain('an older last-failure file was removed');
        expect(existsSync(results(file, 'Lr.last-failure.json'))).toBe(false);
    });

    it('never claims a last good result that does not exist', () => {
        const file = spec(
            'first.emn',
            COMMON + 'experiment F { learn Small with Net optimizer sgd(lr 80, momentum 0.9) steps 200 batch 16 }\n',
        );
        const r = emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(2);
        expect(r.stdout).toContain('there is no earlier good result');
        expect(r.stdout).not.toMatch(/last good result.*kept/);
    });

    it('a diverged sweep point: the headline names it, the good points are the saved result with the point marked', () => {
        const file = spec('dsweep.emn', COMMON + 'experiment D { learn Small with Net steps 100 batch 8 sweep lr [0.05, 80] }\n');
        const r = emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(2);
        expect(r.stdout).toMatch(/^D: Small learned by Net on cpu, 2 points: 1 ran 100 steps, 1 diverged$/m);
        expect(r.stdout).toMatch(
            /training diverged in point 1 of 2 \(lr 80\) at step \d+ \(loss .+\): lower lr \(now 80\), e\.g\. to 8; the other 1 point trained/,
        );
        const stored = JSON.parse(readFileSync(results(file, 'D.json'), 'utf8'));
        expect(stored.result.runs.map((p: { stopped: string }) => p.stopped)).toEqual(['steps', 'diverged']);
        expect(existsSync(results(file, 'D.last-failure.json'))).toBe(true);
    });

    it('--out naming a file is a usage error before anything trains (exit 1)', () => {
        const file = spec('o.emn', COMMON + 'experiment O { learn Small with Net steps 20000 batch 8 }\n');
        const target = join(cli.dir, 'o', 'a-file');
        writeFileSync(target, 'not a folder');
        const r = emn('train', file, '--out', target, '--backend', 'cpu');
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`cannot write results to ${target}: ${target} is a file, not a folder; nothing was trained`);
        expect(r.stderr).not.toContain('internal error');
        expect(r.stderr).not.toContain('training O');
    });

    it('labels: "ran 1 step"; a swept steps column apart from the steps a point ran; what E is compared with', () => {
        const file = spec(
            'labels.emn',
            COMMON +
                `
operation Twice { polynomial [0, 2] size 4 sparsity 0.5 }
experiment One { learn Small with Net steps 1 batch 8 }
experiment Steps { learn Small with Net batch 8 sweep steps [1, 20] }
experiment P { learn Twice with Net steps 50 batch 8 }
`,
        );
        const r = emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^One: .*, ran 1 step$/m);
        expect(r.stdout).toMatch(/^Steps: .*, 2 points: 2 ran 1-20 steps$/m);
        expect(r.stdout).toMatch(/^\s+point\s+steps\s+ran\s+stopped\s+test mse/m);
        expect(r.stdout).toMatch(/^\s+\d+\s+20\s+20\s+steps\s/m);
        const twice = r.stdout.split('\n\n').find(block => block.startsWith('P: '))!;
        expect(twice).toMatch(/path weights: mean \|E - 2\| = /);
        expect(twice).not.toMatch(/E - 1/);
    });

    it('prints an array for several experiments and selects one with --experiment', () => {
        const file = spec(
            'two.emn',
            COMMON +
                `
experiment A { learn Small with Net steps 20 batch 8 }
experiment B { learn Small with Net steps 30 batch 8 }
`,
        );
        const both = emn('train', file, '--json', '--backend', 'cpu', '--out', join(cli.dir, 'out'));
        expect(both.code).toBe(0);
        expect(JSON.parse(both.stdout).map((r: { experiment: string; steps: number }) => [r.experiment, r.steps])).toEqual([
            ['A', 20],
            ['B', 30],
        ]);
        expect(existsSync(join(cli.dir, 'out', 'A.json')) && existsSync(join(cli.dir, 'out', 'B.json'))).toBe(true);
        const one = emn('train', file, '--json', '--backend', 'cpu', '--experiment', 'B');
        expect(JSON.parse(one.stdout).experiment).toBe('B');
        const none = emn('train', file, '--experiment', 'C');
        expect(none.code).toBe(1);
        expect(none.stderr).toMatch(/no experiment C .*experiments: A, B/);
    });

    it('prints a human table, one row per sweep point', () => {
        const file = spec(
            'sweep.emn',
            COMMON + 'experiment S { learn Small with Net steps 40 batch 8 sweep size [3, 4], sparsity [0.2, 0.5] }\n',
        );
        const r = emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(0);
        const lines = r.stdout.split('\n');
        // the headline says what the points did, never the sum of their steps
        expect(lines[0]).toMatch(/^S: Small learned by Net on cpu, 4 points: 4 ran 40 steps$/);
        expect(lines.find(l => l.includes('size') && l.includes('sparsity') && l.includes('test mse'))).toBeDefined();
        // rows numbered by the 0-based point index that the JSON's worstRun, --point and Slurm's task ids use
        expect(lines.filter(l => /^\s+[0-3]\s+[34]\s+0\.[25]\s+40\s+steps\s/.test(l)).map(l => l.trim()[0])).toEqual(['0', '1', '2', '3']);
        const json = JSON.parse(emn('train', file, '--backend', 'cpu', '--json').stdout) as { worstRun: number };
        expect(r.stdout).toMatch(
            new RegExp(`worst point \\(top-level metrics\\): point ${json.worstRun} \\(size [34], sparsity 0\\.[25]\\)`),
        );
        expect(r.stdout).toMatch(/saved .*\.emn-results\/sweep\.emn\/S\.json/);
    });

    it('a sweep evaluated only on another operation names its mse column by that operation, not "test mse"', () => {
        // a swept size with another operation evaluated at its own size needs shared weights (one set for any n)
        const file = spec(
            'other-set.emn',
            COMMON +
                'operation Weighted { matvec size 4 entries uniform(0, 1) }\nnetwork SharedNet { width 2 weights shared }\n' +
                'experiment S { learn Small with SharedNet steps 20 batch 8 evaluate 50 samples on Weighted sweep size [3, 4] }\n',
        );
        const r = emn('train', file, '--backend', 'cpu');
        expect(r.code).toBe(0);
        const header = r.stdout.split('\n').find(l => /^\s+point\s+size/.test(l))!;
        expect(header).toMatch(/\smse on Weighted\s/);
        expect(header).not.toMatch(/test mse/);
        expect(r.stdout).toMatch(/worst point \(top-level metrics\): point [01] \(size [34]\), mse on Weighted /);
    });

    it('--plan prints the compiled plan and trains nothing', () => {
        const file = spec('plan.emn', COMMON + 'experiment P { learn Small with Net }\n');
        const r = emn('train', file, '--plan');
        expect(r.code).toBe(0);
        // the editor's Show Compiled Graph text (compiler/plan-markdown.ts), aligned for a terminal
        expect(r.stdout).toMatch(/\| mask1 +\| masked \(gated by A\) +\| \[4\] +\| \[4, 3\] +\| \[4, 3, 4\] +\|/);
        expect(r.stdout).toContain('- parameters (emn): **96**');
        expect(r.stdout).toMatch(/- memory per step ≈ \d+ kB/);
        // one byte unit everywhere (format-numbers.ts: SI, as check's warnings), and a legend for the less obvious columns
        expect(r.stdout).not.toMatch(/KiB|MiB|GiB/);
        expect(r.stdout).toMatch(/^structural density: .*; active density: /m);
        const json = JSON.parse(emn('train', file, '--plan', '--json').stdout);
        expect(json).toMatchObject({ format: 'emn-experiment', experiment: 'P', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
        expect(json.points).toHaveLength(1);
        expect(json.points[0]).toMatchObject({ params: {}, plan: { format: 'emn-plan', parameterCount: 4 * 3 * 4 + 4 * 3 * 3 + 4 * 3 } });
        expect(existsSync(results(file))).toBe(false);
        const sweep = spec('plan-sweep.emn', COMMON + 'experiment Q { learn Small with Net sweep width [2, 3] }\n');
        const swept = emn('train', sweep, '--plan');
        expect(swept.stdout.match(/^#+ .*/gm)?.filter(h => !/Layers|Connectivity/.test(h))).toEqual([
            '# Q: 2 sweep points of Small learned by Net',
            '## width 2',
            '### Q: Small (y = A x) learned by Net',
            '## width 3',
            '### Q: Small (y = A x) learned by Net',
        ]);
    });

    it('rejects bad usage and unavailable backends', () => {
        const file = spec('u.emn', COMMON + 'experiment U { learn Small with Net steps 5 }\n');
        expect(emn('train').code).toBe(1);
        expect(emn('train', file, '--backend', 'gpu').stderr).toMatch(/--backend must be one of/);
        const r = emn('train', file, '--backend', 'tensorflow');
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/backend tensorflow is not available: @tensorflow\/tfjs-node/);
    });
});
