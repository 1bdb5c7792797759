// Sweeps on a real Slurm (slurmctld + slurmd on this machine): `emn sweep slurm --wait` equals the local sweep, --missing completes, a
// diverged or killed point is a failed point.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readResult, resultsOf, runEmnAsync, useEmnCli, withoutClockTimes } from './emn-cli.js';
import { slurmAvailable, slurmExpected, waitUntil } from './slurm-cluster.js';

const WAIT = 240_000;
// a test waits for whole job arrays (each `emn` child may take WAIT): vitest's default 60 s would cut it short
vi.setConfig({ testTimeout: 2 * WAIT });
const cli = useEmnCli('emn-slurm-', WAIT);

const COMMON = `
operation Op { matvec size 3 sparsity 0.5 }
network Net { width 2 depth 2 }
`;
const GRID =
    COMMON +
    `
experiment Grid {
    learn Op with Net
    steps 80
    batch 16
    evaluate 100 samples
    sweep size [3, 4], sparsity [0.2, 0.5, 0.7]
}
`;

/** A spec in a folder whose name a shell would split and unquote: the batch script must quote it. */
function specIn(name: string, text: string): string {
    const folder = join(cli.dir, `${name} it's here`);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, 'my sweep.emn');
    writeFileSync(path, text);
    return path;
}

const store = resultsOf;
const numbers = withoutClockTimes;
const runEmn = runEmnAsync;
const jobId = (stdout: string) => /Submitted Slurm job (\d+)/.exec(stdout)?.[1];

if (slurmExpected) {
    describe('Slurm is here when npm test brought it up', () => {
        it('sinfo answers', () => expect(slurmAvailable).toBe(true));
    });
}

describe.skipIf(!slurmAvailable)('sweeps on a real Slurm', () => {
    it('a 6-point sweep through emn sweep slurm --wait equals the local emn train point by point', async () => {
        const local = specIn('local', GRID);
        expect((await runEmn(['train', local, '--backend', 'cpu'], cli.dir, WAIT)).code).toBe(0);

        const file = specIn('slurm', GRID);
        const r = await runEmn(
            ['sweep', 'slurm', file, '--experiment', 'Grid', '--backend', 'cpu', '--max-parallel', '2', '--points-per-task', '1', '--wait'],
            cli.dir,
            WAIT,
        );
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(jobId(r.stdout)).toMatch(/^\d+$/);
        const script = readFileSync(store(file, 'Grid.slurm', 'job.sh'), 'utf8');
        expect(script.match(/^#SBATCH --array=.*$/gm)).toEqual(['#SBATCH --array=0-5%2']);
        expect(script).toContain(`'${file.replace(/'/g, `'\\''`)}'`);
        expect(existsSync(store(file, 'Grid.slurm', 'logs', `${jobId(r.stdout)}_5.out`))).toBe(true);

        const fromSlurm = readResult(store(file, 'Grid.json'));
        const fromLocal = readResult(store(local, 'Grid.json'));
        expect(fromSlurm.runs).toHaveLength(6);
        expect(numbers(fromSlurm)).toEqual(numbers(fromLocal));
        // every point ran as its own array task
        const jobs = new Set(
            [0, 1, 2, 3, 4, 5].map(k => JSON.parse(readFileSync(store(file, 'Grid.points', `${k}.json`), 'utf8')).point.job),
        );
        expect(jobs.size).toBe(6);

        const status = await runEmn(['sweep', 'status', file, '--experiment', 'Grid'], cli.dir);
        expect(status.stdout).toContain('Grid: 6 points: 6 done, 0 running, 0 pending, 0 failed, 0 missing');
    });

    it('a deleted point file: collect exits 2 naming it, and --missing --wait trains only that point and completes', async () => {
        const file = specIn('missing', GRID);
        expect((await runEmn(['sweep', 'slurm', file, '--experiment', 'Grid', '--backend', 'cpu', '--wait'], cli.dir, WAIT)).code).toBe(0);
        const before = readResult(store(file, 'Grid.json'));
        rmSync(store(file, 'Grid.points', '4.json'));

        const collect = await runEmn(['sweep', 'collect', file, '--experiment', 'Grid'], cli.dir);
        expect(collect.code).toBe(2);
        expect(collect.stderr).toContain('missing point: 4');

        const again = await runEmn(
            ['sweep', 'slurm', file, '--experiment', 'Grid', '--backend', 'cpu', '--missing', '--wait'],
            cli.dir,
            WAIT,
        );
        expect(again.code).toBe(0);
        expect(again.stdout).toMatch(/Submitted Slurm job \d+: Grid, point 4 of 6 in 1 task/);
        // array indices start at 0 in every submission; the manifest says task 0 holds point 4
        expect(readFileSync(store(file, 'Grid.slurm', 'job.sh'), 'utf8')).toContain('#SBATCH --array=0-0\n');
        expect(JSON.parse(readFileSync(store(file, 'Grid.slurm', 'manifest-2.json'), 'utf8')).arrays).toEqual([{ tasks: [[4]] }]);
        expect(numbers(readResult(store(file, 'Grid.json')))).toEqual(numbers(before));
    });

    it('a point that diverges on its node is a failed point with its reason; the other points are kept', async () => {
        const file = specIn(
            'diverge',
            COMMON +
                `
experiment Rates {
    learn Op with Net
    steps 200
    batch 16
    evaluate 100 samples
    sweep lr [0.05, 80]
}
`,
        );
        const r = await runEmn(['sweep', 'slurm', file, '--experiment', 'Rates', '--backend', 'cpu', '--wait'], cli.dir, WAIT);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/point 1 failed: diverged at step \d+ \(loss /);
        const status = await runEmn(['sweep', 'status', file, '--experiment', 'Rates'], cli.dir);
        expect(status.stdout).toContain('Rates: 2 points: 1 done, 0 running, 0 pending, 1 failed, 0 missing');
        expect(status.stdout).toMatch(/point 1 failed: diverged at step/);
        // as a local sweep: the diverged sweep goes to the failure file, never over a good result
        expect(readResult(store(file, 'Rates.last-failure.json')).runs.map((p: { stopped: string }) => p.stopped)).toEqual([
            'steps',
            'diverged',
        ]);
        // the failure policy keeps the trained points of a partly diverged sweep, the diverged one marked (as emn train does)
        expect(readResult(store(file, 'Rates.json')).runs.map((p: { stopped: string }) => p.stopped)).toEqual(['steps', 'diverged']);
        // --sbatch-arg reaches sbatch: a partition the cluster does not have is sbatch's own refusal, exit 2
        const refused = await runEmn(
            ['sweep', 'slurm', file, '--experiment', 'Rates', '--sbatch-arg=--partition=no-such-partition'],
            cli.dir,
        );
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/sbatch refused the job: .*partition/i);
        // nothing to resubmit: training a diverged point again gives the same numbers
        const missing = await runEmn(['sweep', 'slurm', file, '--experiment', 'Rates', '--backend', 'cpu', '--missing'], cli.dir);
        expect(missing.stdout).toMatch(/no point to submit/);
    });

    it('a point killed on its node (scancel; a time limit sends the same SIGTERM) is a failed point that says so', async () => {
        const file = specIn(
            'killed',
            COMMON +
                `
experiment Long {
    learn Op with Net
    steps 1000000
    sweep seed [1, 2]
}
`,
        );
        const r = await runEmn(['sweep', 'slurm', file, '--experiment', 'Long', '--backend', 'cpu'], cli.dir);
        expect(r.code).toBe(0);
        const job = jobId(r.stdout)!;
        const status = async () => JSON.parse((await runEmn(['sweep', 'status', file, '--experiment', 'Long', '--json'], cli.dir)).stdout);
        // a point runs once its task's log says it started
        await waitUntil(async () => (await status()).running >= 1, 'a point to start', WAIT, 500);
        spawnSync('scancel', [job]);
        const s = await waitUntil(
            async () => {
                const now = await status();
                return now.running + now.pending === 0 ? now : undefined;
            },
            'the tasks to end',
            WAIT,
            500,
        );
        expect(s.done).toBe(0);
        expect(s.failed + s.missing).toBe(2);
        const reasons = s.details.filter((p: { state: string }) => p.state === 'failed').map((p: { reason: string }) => p.reason);
        expect(reasons.length).toBeGreaterThan(0);
        for (const reason of reasons) expect(reason).toMatch(/SIGTERM|CANCELLED|cancel/);
        const collect = await runEmn(['sweep', 'collect', file, '--experiment', 'Long'], cli.dir);
        expect(collect.code).toBe(2);
    });
});
