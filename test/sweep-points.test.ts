// Sweep points as jobs without a scheduler: --point/--point-from-env point files, collect (equal to a local sweep, refusals, exit 2), the
// batch script's quoting.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parsePointSelection, pointFromEnv } from '../cli/point-selection.js';
import { batchScript, shellQuote } from '../engine/slurm/batch-script.js';
import { formatPointRanges } from '../engine/format-numbers.js';
import { readResult, resultsOf, runEmn, useEmnCli, withoutClockTimes } from './emn-cli.js';
import { ROOT } from './fresh-dist.js';

// a test trains a local sweep and its points one by one (each `emn` child may take 120 s): more than vitest's default 60 s
vi.setConfig({ testTimeout: 300_000 });
const cli = useEmnCli('emn-points-', 120_000);

const SPEC = `
operation Op { matvec size 3 sparsity 0.5 }
network Net { width 2 depth 2 }
experiment Grid {
    learn Op with Net
    steps 60
    batch 16
    evaluate 100 samples
    sweep size [3, 4], sparsity [0.2, 0.6]
}
`;

function specIn(name: string, text = SPEC): string {
    const folder = join(cli.dir, name);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, 'grid.emn');
    writeFileSync(path, text);
    return path;
}

const store = resultsOf;
const numbers = withoutClockTimes;

describe('point selection', () => {
    it('reads K, lists, ranges and their mixtures; says what is wrong otherwise', () => {
        expect(parsePointSelection('3')).toEqual([3]);
        expect(parsePointSelection('3,7')).toEqual([3, 7]);
        expect(parsePointSelection('0-3,7,2')).toEqual([0, 1, 2, 3, 7]);
        expect(parsePointSelection('5-2')).toMatch(/empty/);
        expect(parsePointSelection('a')).toMatch(/K, K1,K2 or K1-K2/);
        expect(parsePointSelection('-1')).toMatch(/K, K1,K2 or K1-K2/);
    });

    it('takes the index from Slurm, Kubernetes Indexed Jobs or AWS Batch', () => {
        expect(pointFromEnv({ SLURM_ARRAY_TASK_ID: '4' })).toEqual({ indices: [4], variable: 'SLURM_ARRAY_TASK_ID' });
        expect(pointFromEnv({ JOB_COMPLETION_INDEX: '2' })).toEqual({ indices: [2], variable: 'JOB_COMPLETION_INDEX' });
        expect(pointFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ indices: [0], variable: 'AWS_BATCH_JOB_ARRAY_INDEX' });
        expect(pointFromEnv({})).toMatch(/none of SLURM_ARRAY_TASK_ID/);
        expect(pointFromEnv({ SLURM_ARRAY_TASK_ID: 'x' })).toMatch(/not a point number/);
    });
});

describe('batch script', () => {
    it('quotes every word so that a shell gives back exactly the path, whatever it holds', () => {
        const nasty = "/tmp/it's a $(touch pwned) `dir`/x y.emn";
        const echoed = execFileSync('bash', ['-c', `printf '%s\\n' ${shellQuote(nasty)} ${shellQuote('plain')}`], { encoding: 'utf8' });
        expect(echoed).toBe(`${nasty}\nplain\n`);
    });

    it('has one --array line numbered from 0 (throttled with %M), requeue said, per-task output files, and the emn command the node runs', () => {
        const input = {
            specPath: '/w/my sweep.emn',
            experiment: 'Grid',
            manifestPath: '/w/.emn-results/my_sweep.emn/Grid.slurm/manifest-1.json',
            arrayNumber: 1,
            tasks: 6,
            pointsHere: 12,
            points: 2000,
            throttle: 2,
            cpusPerTask: 2,
            requeue: true,
            emnCommand: ['/usr/bin/node', '/opt/emn/bin/emn.cjs'],
            trainOptions: ['--backend', 'cpu'],
            logFolder: '/w/.emn-results/my_sweep.emn/Grid.slurm/logs',
            workDir: '/w',
        };
        const text = batchScript(input);
        expect(text.match(/^#SBATCH --array=.*$/gm)).toEqual(['#SBATCH --array=0-5%2']);
        expect(text).toContain('#SBATCH --cpus-per-task=2\n');
        expect(text).toContain('#SBATCH --requeue\n');
        expect(batchScript({ ...input, requeue: false })).toContain('#SBATCH --no-requeue\n');
        expect(text).toContain('#SBATCH --output="/w/.emn-results/my_sweep.emn/Grid.slurm/logs/%A_%a.out"');
        expect(text).toContain(
            "exec /usr/bin/node /opt/emn/bin/emn.cjs train '/w/my sweep.emn' --experiment Grid" +
                ' --manifest /w/.emn-results/my_sweep.emn/Grid.slurm/manifest-1.json --manifest-array 1 --point-from-env --backend cpu',
        );
        expect(formatPointRanges([1, 4, 5, 6, 9])).toBe('1,4-6,9');
        expect(() => batchScript({ ...input, specPath: '/w/a"b.emn', logFolder: '/w/a"b/logs' })).toThrow(/double quote/);
    });
});

describe('emn train --point and emn sweep collect', () => {
    it('point files merge into exactly the numbers of the local sweep; a missing point makes collect exit 2 naming it', () => {
        const local = specIn('local');
        expect(runEmn(['train', local, '--backend', 'cpu'], cli.dir, 120_000).code).toBe(0);
        const file = specIn('points');
        const some = runEmn(['train', file, '--experiment', 'Grid', '--point', '0,2-3', '--backend', 'cpu'], cli.dir, 120_000);
        expect(some.code).toBe(0);
        expect(some.stdout).toMatch(/point 0 \(size 3, sparsity 0.2\): test mse/);
        for (const k of [0, 2, 3]) expect(JSON.parse(readFileSync(store(file, 'Grid.points', `${k}.json`), 'utf8')).point.index).toBe(k);

        const partial = runEmn(['sweep', 'collect', file, '--experiment', 'Grid'], cli.dir);
        expect(partial.code).toBe(2);
        expect(partial.stderr).toContain('missing point: 1');

        // the scheduler's way: the index from the environment
        const task = execFileSync(
            process.execPath,
            [join(ROOT, 'bin/emn.cjs'), 'train', file, '--experiment', 'Grid', '--point-from-env', '--backend', 'cpu'],
            { cwd: cli.dir, env: { ...process.env, SLURM_ARRAY_TASK_ID: '1' }, encoding: 'utf8' },
        );
        expect(task).toMatch(/^point 1 /);
        const done = runEmn(['sweep', 'collect', file, '--experiment', 'Grid'], cli.dir);
        expect(done.code).toBe(0);
        expect(numbers(readResult(store(file, 'Grid.json')))).toEqual(numbers(readResult(store(local, 'Grid.json'))));
    });

    it('refuses points trained from another version of the spec, and a point number outside the sweep', () => {
        const file = specIn('edited');
        expect(runEmn(['train', file, '--experiment', 'Grid', '--point', '0-3', '--backend', 'cpu'], cli.dir, 120_000).code).toBe(0);
        writeFileSync(file, SPEC.replace('steps 60', 'steps 40'));
        const r = runEmn(['sweep', 'collect', file, '--experiment', 'Grid'], cli.dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/point 0 refused: trained from another version of the spec/);
        rmSync(store(file, 'Grid.json'), { force: true });
        const outside = runEmn(['train', file, '--experiment', 'Grid', '--point', '4', '--backend', 'cpu'], cli.dir);
        expect(outside.code).toBe(1);
        expect(outside.stderr).toContain('experiment Grid has 4 points (0-3)');
    });
});
