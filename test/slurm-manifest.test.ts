// The Slurm manifest without a cluster: points per task, arrays split at MaxArraySize and numbered from 0, --max-parallel over arrays, task
// log markers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
    arrayThrottles,
    choosePointsPerTask,
    parseMarkers,
    planArrays,
    readManifest,
    taskPoints,
    TASK_SECONDS_TARGET,
} from '../engine/index.js';
import { markerLine } from '../engine/slurm/task-markers.js';
import { workerCount } from '../cli/train-points.js';

describe('Slurm manifest', () => {
    it('splits points into tasks of K and tasks into arrays of at most MaxArraySize, each numbered from 0', () => {
        const points = Array.from({ length: 2000 }, (_, k) => k);
        const arrays = planArrays(points, 1, 1001);
        expect(arrays.map(a => a.tasks.length)).toEqual([1001, 999]);
        // the largest index of each array is below MaxArraySize, whatever the point numbers
        expect(arrays[1].tasks[0]).toEqual([1001]);
        expect(planArrays(points, 7, 1001).map(a => a.tasks.length)).toEqual([286]);
        expect(planArrays(points, 7, 1001)[0].tasks[285]).toEqual([1995, 1996, 1997, 1998, 1999]);
        // point 1150 alone: task 0 of a one-task array
        expect(planArrays([1150], 3, 1001)).toEqual([{ tasks: [[1150]] }]);
        expect(planArrays([9, 3, 4, 3], 2, 1001)).toEqual([{ tasks: [[3, 4], [9]] }]);
    });

    it('chooses enough points per task for about a minute of training, and enough to fit one array', () => {
        // tiny points: the whole sweep in one task
        expect(choosePointsPerTask(2000, 0.001, 1, 1001)).toBe(2000);
        // an hour per point: one point per task
        expect(choosePointsPerTask(100, 3600, 1, 1001)).toBe(1);
        // 10 s points: six per task, twelve with two CPUs per task
        expect(choosePointsPerTask(100, 10, 1, 1001)).toBe(TASK_SECONDS_TARGET / 10);
        expect(choosePointsPerTask(100, 10, 2, 1001)).toBe((2 * TASK_SECONDS_TARGET) / 10);
        // long points but more of them than MaxArraySize: two per task, one array
        expect(choosePointsPerTask(1500, 3600, 1, 1001)).toBe(2);
        expect(choosePointsPerTask(0, 1, 1, 1001)).toBe(1);
    });

    it('bounds the whole submission by --max-parallel: shared out over few arrays, chained over many', () => {
        expect(arrayThrottles(2)).toEqual([{}, {}]);
        expect(arrayThrottles(1, 8)).toEqual([{ throttle: 8 }]);
        expect(arrayThrottles(3, 8)).toEqual([{ throttle: 3 }, { throttle: 3 }, { throttle: 2 }]);
        const chained = arrayThrottles(5, 2);
        expect(chained).toEqual([
            { throttle: 1 },
            { throttle: 1 },
            { throttle: 1, after: 0 },
            { throttle: 1, after: 1 },
            { throttle: 1, after: 2 },
        ]);
        // with no more arrays than M the throttles add up to exactly M
        for (const [arrays, m] of [
            [3, 8],
            [7, 8],
            [2, 3],
            [8, 8],
        ]) {
            expect(arrayThrottles(arrays, m).reduce((n, a) => n + a.throttle!, 0)).toBe(m);
        }
    });

    it('reads a manifest back, and says what is wrong with one that is not', () => {
        const dir = mkdtempSync(join(tmpdir(), 'emn-manifest-'));
        try {
            const path = join(dir, 'manifest-1.json');
            writeFileSync(
                path,
                JSON.stringify({
                    format: 'emn-slurm-manifest',
                    version: 1,
                    experiment: 'E',
                    planHash: 'h',
                    points: 5,
                    pointsPerTask: 2,
                    arrays: planArrays([0, 1, 2, 3, 4], 2, 2),
                }),
            );
            const manifest = readManifest(path);
            if (typeof manifest === 'string') throw new Error(manifest);
            expect(taskPoints(manifest, 1, 0)).toEqual([4]);
            expect(taskPoints(manifest, 0, 2)).toMatch(/array 0 of the manifest has 2 tasks \(0-1\), not task 2/);
            expect(taskPoints(manifest, 2, 0)).toMatch(/has 2 arrays \(0-1\), not array 2/);
            writeFileSync(path, '{"format": "emn-slurm-manifest", "arrays": [{"tasks": [[1, -2]]}]}');
            expect(readManifest(path)).toMatch(/is not an emn Slurm manifest/);
            expect(readManifest(join(dir, 'none.json'))).toMatch(/cannot read the manifest/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('reads the last marker of each point from a task log; workers come from SLURM_CPUS_PER_TASK, not the machine', () => {
        const log = [
            markerLine(3, 'skipped'),
            markerLine(4, 'started'),
            'point 4 (seed 5): test mse ...',
            markerLine(4, 'ended'),
            markerLine(5, 'started'),
            'slurmstepd: error: *** JOB 12 ON vm CANCELLED DUE TO NODE FAILURE ***',
            markerLine(5, 'started'),
        ].join('\n');
        expect([...parseMarkers(log)]).toEqual([
            [3, 'skipped'],
            [4, 'ended'],
            [5, 'started'],
        ]);
        expect(workerCount(8, { SLURM_JOB_ID: '1', SLURM_CPUS_PER_TASK: '3' })).toBe(3);
        expect(workerCount(8, { SLURM_JOB_ID: '1' })).toBe(1);
        expect(workerCount(8, {})).toBe(8);
    });
});
