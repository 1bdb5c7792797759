// Faults on a real Slurm: the node lost mid-array (with and without requeue), a task past its time limit, a truncated point file; nothing
// is lost.
import { existsSync, readFileSync, truncateSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { markerLine } from '../engine/slurm/task-markers.js';
import { readResult, resultsOf, runEmnAsync, specInOwnFolder, useEmnCli, withoutClockTimes } from './emn-cli.js';
import { arrayTaskStates, nodeUp, setNodeState, slurmAvailable, slurmNode, waitUntil } from './slurm-cluster.js';

const WAIT = 240_000;
vi.setConfig({ testTimeout: 2 * WAIT });
const cli = useEmnCli('emn-slurm-faults-', WAIT);

/** Four points of a few seconds each: two tasks of two points run side by side on the test cluster's two CPUs. */
const SLOW = (name: string, points = 4) => `
operation Op${name} { matvec size 3 sparsity 0.5 }
network Net${name} { width 2 depth 2 }
experiment ${name} {
    learn Op${name} with Net${name}
    steps 150000
    batch 8
    evaluate 50 samples
    sweep seed [${Array.from({ length: points }, (_, k) => k + 1).join(', ')}]
}
`;

const ACTIVE = ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'REQUEUED', 'SUSPENDED'];
const taskLog = (file: string, experiment: string, job: string, task: number) =>
    resultsOf(file, `${experiment}.slurm`, 'logs', `${job}_${task}.out`);
const logHas = (path: string, line: string) => existsSync(path) && readFileSync(path, 'utf8').includes(line);

async function submit(file: string, experiment: string, ...options: string[]): Promise<string> {
    const r = await runEmnAsync(['sweep', 'slurm', file, '--experiment', experiment, '--backend', 'cpu', '--json', ...options], cli.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout).jobId as string;
}

async function status(file: string, experiment: string) {
    return JSON.parse((await runEmnAsync(['sweep', 'status', file, '--experiment', experiment, '--json'], cli.dir)).stdout);
}

/** The local sweep of the same spec text, for the numbers every Slurm run must give. */
async function localResult(name: string, text: string) {
    const local = specInOwnFolder(cli.dir, `local-${name}.emn`, text);
    expect((await runEmnAsync(['train', local, '--backend', 'cpu', '--workers', '2'], cli.dir, WAIT)).code).toBe(0);
    return withoutClockTimes(readResult(resultsOf(local, `${name}.json`)));
}

/** Downs the node once both tasks are in their second point, and waits until Slurm has taken the tasks off it. */
async function loseNodeMidArray(file: string, experiment: string, job: string, node: string): Promise<void> {
    await waitUntil(
        () =>
            logHas(taskLog(file, experiment, job, 0), markerLine(1, 'started')) &&
            logHas(taskLog(file, experiment, job, 1), markerLine(3, 'started')),
        'both tasks to start their second point',
        WAIT,
        100,
    );
    setNodeState(node, 'down');
    await waitUntil(
        () => [...arrayTaskStates(job).values()].every(s => s !== 'RUNNING' && s !== 'COMPLETING'),
        'the tasks to leave the downed node',
    );
}

async function resumeNode(node: string): Promise<void> {
    if (!nodeUp(node)) setNodeState(node, 'resume');
    await waitUntil(() => nodeUp(node), 'the node to take jobs again', 60_000);
}

describe.skipIf(!slurmAvailable)('faults on a real Slurm', () => {
    // a fault a test left behind (the node down, or drained after a requeue) must not hold up the next test
    afterEach(() => resumeNode(slurmNode()));

    it('a node lost mid-array without requeue: status names the lost points, --missing trains exactly those, collect equals the local sweep', async () => {
        const node = slurmNode();
        const file = specInOwnFolder(cli.dir, 'lost.emn', SLOW('Lost'));
        const job = await submit(file, 'Lost', '--points-per-task', '2', '--no-requeue');
        expect(readFileSync(resultsOf(file, 'Lost.slurm', 'job.sh'), 'utf8')).toContain('#SBATCH --no-requeue\n');
        try {
            await loseNodeMidArray(file, 'Lost', job, node);
        } finally {
            await resumeNode(node);
        }
        const s = await status(file, 'Lost');
        expect(s.done).toBe(2);
        expect(s.lost).toEqual([1, 3]);
        const text = (await runEmnAsync(['sweep', 'status', file, '--experiment', 'Lost'], cli.dir)).stdout;
        expect(text).toMatch(/point 1 lost: .*task 0 of job \d+: NODE_FAIL, its node failed/);
        expect(text).toContain('lost: 1,3');

        const again = await runEmnAsync(
            ['sweep', 'slurm', file, '--experiment', 'Lost', '--backend', 'cpu', '--missing', '--wait'],
            cli.dir,
            WAIT,
        );
        expect(again.stdout).toMatch(/Submitted Slurm job \d+: Lost, points 1,3 of 4/);
        expect(again.code).toBe(0);
        expect(withoutClockTimes(readResult(resultsOf(file, 'Lost.json')))).toEqual(await localResult('Lost', SLOW('Lost')));
    });

    it('a node lost mid-array with requeue (the default): the tasks run again once it is back, skip the points they wrote, and the sweep completes', async () => {
        const node = slurmNode();
        const file = specInOwnFolder(cli.dir, 'requeued.emn', SLOW('Requeued'));
        const job = await submit(file, 'Requeued', '--points-per-task', '2');
        expect(readFileSync(resultsOf(file, 'Requeued.slurm', 'job.sh'), 'utf8')).toContain('#SBATCH --requeue\n');
        try {
            await loseNodeMidArray(file, 'Requeued', job, node);
            // requeued, the tasks wait for a node: nothing is lost
            const s = await status(file, 'Requeued');
            expect(s.pending).toBe(2);
            expect(s.lost).toEqual([]);
        } finally {
            await resumeNode(node);
        }
        // Slurm holds a requeued job back for its requeue delay (two minutes): let it start now
        spawnSync('scontrol', ['update', `jobid=${job}`, 'StartTime=now']);
        await waitUntil(
            () => {
                const states = [...arrayTaskStates(job).values()];
                return states.length > 0 && !states.some(x => ACTIVE.includes(x));
            },
            'the requeued tasks to end',
            WAIT,
            500,
        );
        // each task skipped the point it had written before the node was lost
        expect(logHas(taskLog(file, 'Requeued', job, 0), markerLine(0, 'skipped'))).toBe(true);
        expect(logHas(taskLog(file, 'Requeued', job, 1), markerLine(2, 'skipped'))).toBe(true);
        const collect = await runEmnAsync(['sweep', 'collect', file, '--experiment', 'Requeued'], cli.dir);
        expect(collect.code).toBe(0);
        expect(withoutClockTimes(readResult(resultsOf(file, 'Requeued.json')))).toEqual(await localResult('Requeued', SLOW('Requeued')));
    });

    it('a task past its time limit: the points it did not finish are named lost, --missing submits exactly those, emn sweep cancel stops every array', async () => {
        const file = specInOwnFolder(cli.dir, 'late.emn', SLOW('Late', 40));
        const job = await submit(file, 'Late', '--points-per-task', '40');
        const log = taskLog(file, 'Late', job, 0);
        await waitUntil(() => logHas(log, markerLine(1, 'started')), 'the task to start its second point', WAIT, 100);
        // the task's time limit, lowered below what it has run: Slurm ends it (SIGTERM) at its next time-limit check
        spawnSync('scontrol', ['update', `jobid=${job}_0`, 'TimeLimit=0']);
        await waitUntil(() => arrayTaskStates(job).get(0) === 'TIMEOUT', 'the task to time out', 90_000, 500);
        const s = await status(file, 'Late');
        const unfinished = s.details.filter((p: { state: string }) => p.state !== 'done').map((p: { index: number }) => p.index);
        expect(unfinished.length).toBeGreaterThan(0);
        expect(s.lost).toEqual(unfinished);
        for (const p of s.details.filter((d: { lost?: boolean }) => d.lost)) expect(p.reason).toMatch(/TIMEOUT, out of time/);

        const again = await runEmnAsync(
            ['sweep', 'slurm', file, '--experiment', 'Late', '--backend', 'cpu', '--missing', '--json', '--points-per-task', '4'],
            cli.dir,
        );
        expect(again.code).toBe(0);
        const submitted = JSON.parse(again.stdout);
        const manifest = JSON.parse(readFileSync(submitted.manifest, 'utf8'));
        expect(manifest.arrays.flatMap((a: { tasks: number[][] }) => a.tasks.flat())).toEqual(unfinished);
        const cancel = await runEmnAsync(['sweep', 'cancel', file, '--experiment', 'Late'], cli.dir);
        expect(cancel.code).toBe(0);
        expect(cancel.stdout).toContain(`cancelled Slurm job ${submitted.jobId}`);
        await waitUntil(
            () => ![...arrayTaskStates(submitted.jobId).values()].some(x => ACTIVE.includes(x)),
            'the cancelled array to end',
            60_000,
            500,
        );
        expect((await runEmnAsync(['sweep', 'cancel', file, '--experiment', 'Late'], cli.dir)).stdout).toMatch(
            /no array of this sweep is pending or running/,
        );
    });

    it('a truncated point file: status names it, --missing trains that point alone, collect equals the sweep before', async () => {
        const text = SLOW('Cut', 3).replace('steps 150000', 'steps 200');
        const file = specInOwnFolder(cli.dir, 'cut.emn', text);
        expect((await runEmnAsync(['sweep', 'slurm', file, '--experiment', 'Cut', '--backend', 'cpu', '--wait'], cli.dir, WAIT)).code).toBe(
            0,
        );
        const before = withoutClockTimes(readResult(resultsOf(file, 'Cut.json')));
        const point = resultsOf(file, 'Cut.points', '1.json');
        truncateSync(point, Math.floor(statSync(point).size / 2));
        const s = await runEmnAsync(['sweep', 'status', file, '--experiment', 'Cut'], cli.dir);
        expect(s.stdout).toContain('Cut: 3 points: 2 done, 0 running, 0 pending, 1 failed, 0 missing');
        expect(s.stdout).toMatch(/point 1 failed: .*1\.json/);
        const again = await runEmnAsync(
            ['sweep', 'slurm', file, '--experiment', 'Cut', '--backend', 'cpu', '--missing', '--wait'],
            cli.dir,
            WAIT,
        );
        expect(again.stdout).toMatch(/Submitted Slurm job \d+: Cut, point 1 of 3 in 1 task/);
        expect(again.code).toBe(0);
        expect(withoutClockTimes(readResult(resultsOf(file, 'Cut.json')))).toEqual(before);
    });
});
