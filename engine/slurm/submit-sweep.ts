// Slurm submit and cancel of a sweep, shared by `emn sweep slurm|cancel` and the editor: manifest, one batch script per array, sbatch,
// jobs.json.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ExperimentPlan } from '../compiler/plan-types.js';
import { pointsToTrain } from '../results/collect-points.js';
import type { ResultsStore } from '../results/results-store.js';
import { writeAtomically } from '../results/results-store.js';
import type { ExperimentSpec } from '../spec/spec-types.js';
import { calibrate, previewSweep } from '../cost/sweep-preview.js';
import { batchScript } from './batch-script.js';
import { isActive, maxArraySize, sbatch, scancel, squeueTasks, waitForJobs } from './slurm-commands.js';
import { arrayThrottles, choosePointsPerTask, planArrays, writeManifest, type SweepManifest } from './sweep-manifest.js';
import {
    loadSubmissions,
    recordSubmission,
    slurmFolder,
    type Submission,
    submittedJobIds,
    sweepStatus,
    type SweepStatus,
} from './sweep-jobs.js';

export interface SlurmSubmitOptions {
    store: ResultsStore;
    specPath: string;
    spec: ExperimentSpec;
    plan: ExperimentPlan;
    /** Submit only the points with no usable result that no task holds now (else every point). */
    missing: boolean;
    /** Points per array task; default: from the cost model, the CPUs per task and the cluster's MaxArraySize. */
    pointsPerTask?: number;
    /** CPUs of each task (the task trains that many points at once); default 1. */
    cpusPerTask?: number;
    /** At most this many tasks of the whole submission at once. */
    maxParallel?: number;
    /** Put a task whose node fails back in the queue (default true: a task skips the points it already wrote). */
    requeue?: boolean;
    sbatchArgs?: string[];
    /** How the node starts `emn` (absolute node binary and CLI path), and options of its `emn train`. */
    emnCommand: string[];
    trainOptions: string[];
    environment?: Record<string, string>;
}

export type SubmitOutcome =
    | { kind: 'submitted'; submission: Submission; pointsPerTask: number; tasks: number }
    | { kind: 'nothing'; status: SweepStatus; active: number };

/** The cost model's seconds for one point of the sweep, calibrated on the experiment's stored result when it is of this spec. */
function secondsPerPoint(o: SlurmSubmitOptions): number {
    const stored = o.store.load(o.specPath, o.spec.name).result;
    const calibration = calibrate(stored && stored.planHash === o.plan.hash ? [{ spec: o.spec, result: stored }] : []);
    return previewSweep(o.spec, calibration).seconds / Math.max(1, o.plan.points.length);
}

/**
 * Submits the sweep's points (all, or with `missing` those that need training) as one or more job arrays of one
 * manifest. Rejects with sbatch's refusal; when a later array is refused, the arrays already accepted are recorded
 * (they run) and the message names them.
 */
export async function submitSlurmSweep(o: SlurmSubmitOptions): Promise<SubmitOutcome> {
    const escape = o.store.escape(o.specPath);
    if (escape) throw new Error(`refusing to write results: ${escape}`);
    let indices = o.plan.points.map((_, k) => k);
    if (o.missing) {
        const status = await sweepStatus(o.store, o.specPath, o.spec.name, o.plan);
        // points a task is still training or waiting for are not submitted twice
        const active = new Set(status.points.filter(p => p.state === 'running' || p.state === 'pending').map(p => p.index));
        indices = pointsToTrain(status.summary).filter(k => !active.has(k));
        if (indices.length === 0) return { kind: 'nothing', status, active: active.size };
    }
    const cpusPerTask = o.cpusPerTask ?? 1;
    const arraySize = await maxArraySize();
    const pointsPerTask = o.pointsPerTask ?? choosePointsPerTask(indices.length, secondsPerPoint(o), cpusPerTask, arraySize);
    const arrays = planArrays(indices, pointsPerTask, arraySize);
    const folder = slurmFolder(o.store, o.specPath, o.spec.name);
    const logs = join(folder, 'logs');
    mkdirSync(logs, { recursive: true });
    const number = loadSubmissions(o.store, o.specPath, o.spec.name).length + 1;
    const manifestPath = join(folder, `manifest-${number}.json`);
    const manifest: SweepManifest = {
        format: 'emn-slurm-manifest',
        version: 1,
        experiment: o.spec.name,
        planHash: o.plan.hash,
        points: o.plan.points.length,
        pointsPerTask,
        arrays,
    };
    writeManifest(manifestPath, manifest);
    const specPath = resolve(o.specPath);
    const throttles = arrayThrottles(arrays.length, o.maxParallel);
    const submitted: Submission['arrays'] = [];
    const record = () =>
        recordSubmission(o.store, o.specPath, o.spec.name, {
            jobId: submitted[0].jobId,
            planHash: o.plan.hash,
            submittedAt: new Date().toISOString(),
            manifest: manifestPath,
            arrays: submitted,
            indices: arrays.slice(0, submitted.length).flatMap(a => a.tasks.flat()),
        });
    for (let a = 0; a < arrays.length; a++) {
        const tasks = arrays[a].tasks;
        const script = join(folder, arrays.length === 1 ? 'job.sh' : `job-${a}.sh`);
        writeAtomically(
            script,
            batchScript({
                specPath,
                experiment: o.spec.name,
                manifestPath,
                arrayNumber: a,
                tasks: tasks.length,
                pointsHere: tasks.flat().length,
                points: o.plan.points.length,
                throttle: throttles[a].throttle,
                cpusPerTask,
                requeue: o.requeue ?? true,
                emnCommand: o.emnCommand,
                trainOptions: o.trainOptions,
                environment: o.environment,
                logFolder: logs,
                workDir: dirname(specPath),
            }),
        );
        const after = throttles[a].after;
        const dependency = after === undefined ? [] : [`--dependency=afterany:${submitted[after].jobId}`];
        let jobId: string;
        try {
            jobId = await sbatch(script, [...dependency, ...(o.sbatchArgs ?? [])], dirname(specPath));
        } catch (err) {
            if (submitted.length === 0) throw err;
            record();
            const message = err instanceof Error ? err.message : String(err);
            throw new Error(
                `${message}; arrays 1-${submitted.length} of ${arrays.length} were submitted (job${submitted.length === 1 ? '' : 's'} ` +
                    `${submitted.map(s => s.jobId).join(', ')}) and run; --missing submits the rest once they are done`,
            );
        }
        submitted.push({ jobId, script });
    }
    record();
    const submission = loadSubmissions(o.store, o.specPath, o.spec.name).pop()!;
    return { kind: 'submitted', submission, pointsPerTask, tasks: arrays.reduce((n, a) => n + a.tasks.length, 0) };
}

/** Resolves when no task of any array of the submission is pending or running. */
export function waitForSubmission(submission: Submission, signal?: AbortSignal): Promise<void> {
    return waitForJobs(
        submission.arrays.map(a => a.jobId),
        { signal },
    );
}

/** scancel of every array of the sweep that still has a task pending or running; resolves with their job ids. */
export async function cancelSlurmSweep(store: ResultsStore, specPath: string, experiment: string): Promise<string[]> {
    const ids = submittedJobIds(store, specPath, experiment);
    const tasks = await squeueTasks(ids);
    const active = ids.filter(id => [...(tasks.get(id)?.values() ?? [])].some(t => isActive(t.state)));
    await scancel(active);
    return active;
}
