// A Slurm submission's manifest: which points each array task trains, arrays numbered from 0, split at the cluster's MaxArraySize.
import { readFileSync } from 'node:fs';
import { writeAtomically } from '../results/results-store.js';

/*
 * Rules (ours):
 * - A submission is one or more job arrays; task T of array A trains manifest.arrays[A].tasks[T], in that order.
 *   Indices start at 0 in every array, so the largest index is (tasks - 1) whatever the point numbers are: point 1150
 *   alone is task 0 of a one-task array, which any MaxArraySize allows.
 * - Points go to tasks in runs of consecutive points (a task's log then reads as a range of the sweep).
 * - The manifest is written before sbatch runs and never changes afterwards: a requeued task reads the same points.
 */

export interface SweepManifest {
    format: 'emn-slurm-manifest';
    version: 1;
    experiment: string;
    planHash: string;
    /** Points of the whole sweep (the manifest may hold fewer: a --missing submission). */
    points: number;
    pointsPerTask: number;
    arrays: { tasks: number[][] }[];
}

/** Tasks of K points each (the last may hold fewer), in arrays of at most maxArraySize tasks. */
export function planArrays(indices: number[], pointsPerTask: number, maxArraySize: number): { tasks: number[][] }[] {
    const sorted = [...new Set(indices)].sort((a, b) => a - b);
    const tasks: number[][] = [];
    for (let k = 0; k < sorted.length; k += pointsPerTask) tasks.push(sorted.slice(k, k + pointsPerTask));
    const arrays: { tasks: number[][] }[] = [];
    for (let k = 0; k < tasks.length; k += maxArraySize) arrays.push({ tasks: tasks.slice(k, k + maxArraySize) });
    return arrays;
}

/** Training seconds a task should hold at least, so that its start-up (about a second: node, tfjs, plan) stays small beside it. */
export const TASK_SECONDS_TARGET = 60;

/**
 * Points per task when the user gave none: enough that a task trains for about TASK_SECONDS_TARGET on its CPUs (by
 * the cost model's estimate), and enough that the sweep fits in one array when it can; never more than the points.
 */
export function choosePointsPerTask(points: number, secondsPerPoint: number, cpusPerTask: number, maxArraySize: number): number {
    if (points <= 0) return 1;
    const forTime = secondsPerPoint > 0 ? Math.ceil((TASK_SECONDS_TARGET * cpusPerTask) / secondsPerPoint) : points;
    const forArray = Math.ceil(points / maxArraySize);
    return Math.max(1, Math.min(points, Math.max(forTime, forArray)));
}

/**
 * How `--max-parallel M` bounds the whole submission: each array's %throttle, and the array it waits for (afterany).
 * With no more arrays than M, M is shared out (at least 1 each) and all arrays start at once; with more, the arrays
 * form M chains, each array running one task at a time after the one M places before it has ended.
 */
export function arrayThrottles(arrayCount: number, maxParallel?: number): { throttle?: number; after?: number }[] {
    if (!maxParallel) return Array.from({ length: arrayCount }, () => ({}));
    if (arrayCount <= maxParallel) {
        const base = Math.floor(maxParallel / arrayCount);
        const extra = maxParallel % arrayCount;
        return Array.from({ length: arrayCount }, (_, a) => ({ throttle: base + (a < extra ? 1 : 0) }));
    }
    return Array.from({ length: arrayCount }, (_, a) => ({ throttle: 1, ...(a >= maxParallel ? { after: a - maxParallel } : {}) }));
}

export function writeManifest(path: string, manifest: SweepManifest): void {
    writeAtomically(path, JSON.stringify(manifest) + '\n');
}

/** The manifest at `path`, or why it cannot be used (a task says so in its log and trains nothing). */
export function readManifest(path: string): SweepManifest | string {
    let parsed: Partial<SweepManifest>;
    try {
        parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SweepManifest>;
    } catch (err) {
        return `cannot read the manifest ${path}: ${err instanceof Error ? err.message : String(err)}`;
    }
    const tasksOk =
        Array.isArray(parsed.arrays) &&
        parsed.arrays.every(
            a => Array.isArray(a?.tasks) && a.tasks.every(t => Array.isArray(t) && t.every(k => Number.isInteger(k) && k >= 0)),
        );
    if (
        parsed.format !== 'emn-slurm-manifest' ||
        typeof parsed.experiment !== 'string' ||
        typeof parsed.planHash !== 'string' ||
        !tasksOk
    ) {
        return `${path} is not an emn Slurm manifest (format emn-slurm-manifest, version 1)`;
    }
    if (parsed.version !== 1) return `${path} is manifest version ${parsed.version}; this emn reads version 1`;
    return parsed as SweepManifest;
}

/** The points of task `task` of array `array`, or why there are none. */
export function taskPoints(manifest: SweepManifest, array: number, task: number): number[] | string {
    const tasks = manifest.arrays[array]?.tasks;
    if (!tasks)
        return `the manifest has ${manifest.arrays.length} array${manifest.arrays.length === 1 ? '' : 's'} (0-${manifest.arrays.length - 1}), not array ${array}`;
    const points = tasks[task];
    if (!points)
        return `array ${array} of the manifest has ${tasks.length} task${tasks.length === 1 ? '' : 's'} (0-${tasks.length - 1}), not task ${task}`;
    return points;
}
