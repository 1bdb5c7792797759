// Sweeps of any size on a real Slurm: 2,000 tiny points (beyond MaxArraySize) run to the end and equal the local sweep; --missing for point
// 1150 alone works.
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { readResult, resultsOf, runEmnAsync, specInOwnFolder, useEmnCli, withoutClockTimes } from './emn-cli.js';
import { slurmAvailable } from './slurm-cluster.js';

const WAIT = 300_000;
vi.setConfig({ testTimeout: 2 * WAIT });
const cli = useEmnCli('emn-slurm-scale-', WAIT);

const TINY = (points: number) => `
operation Op { matvec size 3 sparsity 0.5 }
network Net { width 2 depth 2 }
experiment Seeds {
    learn Op with Net
    steps 10
    batch 4
    evaluate 20 samples
    sweep seed [${Array.from({ length: points }, (_, k) => k + 1).join(', ')}]
}
`;

describe.skipIf(!slurmAvailable)('sweeps of any size on a real Slurm', () => {
    it('2,000 tiny points: a few tasks of many points each, the same numbers as the local sweep; point 1150 alone again with --missing', async () => {
        const text = TINY(2000);
        const local = specInOwnFolder(cli.dir, 'local.emn', text);
        expect((await runEmnAsync(['train', local, '--backend', 'cpu', '--workers', '2'], cli.dir, WAIT)).code).toBe(0);
        const fromLocal = withoutClockTimes(readResult(resultsOf(local, 'Seeds.json')));

        const file = specInOwnFolder(cli.dir, 'seeds.emn', text);
        const r = await runEmnAsync(
            ['sweep', 'slurm', file, '--experiment', 'Seeds', '--backend', 'cpu', '--cpus-per-task', '2', '--wait'],
            cli.dir,
            WAIT,
        );
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        // the cost model puts tiny points together: far fewer tasks than points
        const submitted = /points 0-1999 of 2000 in (\d+) tasks? \((\d+) points? per task\)/.exec(r.stdout);
        expect(submitted).not.toBeNull();
        expect(Number(submitted![1])).toBeLessThan(20);
        expect(readFileSync(resultsOf(file, 'Seeds.slurm', 'job.sh'), 'utf8')).toContain('#SBATCH --cpus-per-task=2\n');
        expect(withoutClockTimes(readResult(resultsOf(file, 'Seeds.json')))).toEqual(fromLocal);

        // one point beyond MaxArraySize's default 1001, alone: task 0 of a one-task array
        rmSync(resultsOf(file, 'Seeds.points', '1150.json'));
        const status = await runEmnAsync(['sweep', 'status', file, '--experiment', 'Seeds'], cli.dir);
        expect(status.stdout).toContain('Seeds: 2000 points: 1999 done, 0 running, 0 pending, 0 failed, 1 missing');
        const again = await runEmnAsync(
            ['sweep', 'slurm', file, '--experiment', 'Seeds', '--backend', 'cpu', '--missing', '--wait'],
            cli.dir,
            WAIT,
        );
        expect(again.stderr).toBe('');
        expect(again.stdout).toMatch(/Submitted Slurm job \d+: Seeds, point 1150 of 2000 in 1 task/);
        expect(again.code).toBe(0);
        expect(readFileSync(resultsOf(file, 'Seeds.slurm', 'job.sh'), 'utf8')).toContain('#SBATCH --array=0-0\n');
        expect(withoutClockTimes(readResult(resultsOf(file, 'Seeds.json')))).toEqual(fromLocal);
    });
});
