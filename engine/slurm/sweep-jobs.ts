// A sweep's Slurm submissions (<experiment>.slurm/: manifests, batch scripts, jobs.json, task logs) and each point's state from its file,
// squeue and its task's log.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentPlan } from '../compiler/plan-types.js';
import { type PointsSummary, summarizePoints } from '../results/collect-points.js';
import { type LoadedPoint, loadPoints, type PointFileCache } from '../results/point-files.js';
import { type ResultsStore, sanitizeName, writeAtomically } from '../results/results-store.js';
import { taskLogPath } from './batch-script.js';
import { isActive, type JobTasks, squeueTasks, type TaskState } from './slurm-commands.js';
import { readManifest } from './sweep-manifest.js';
import { type PointMarker, readTaskLog } from './task-markers.js';

/** One job array of a submission. */
export interface SubmittedArray {
    jobId: string;
    script: string;
}

/** One `emn sweep slurm` (or Train on Slurm): its manifest and the arrays sbatch accepted, in manifest order. */
export interface Submission {
    /** The first array's job id: the name the user sees ("Slurm job 4711"). */
    jobId: string;
    planHash: string;
    submittedAt: string;
    /** The points submitted, over all arrays. */
    indices: number[];
    manifest?: string;
    arrays: SubmittedArray[];
}

export type PointState = 'done' | 'running' | 'pending' | 'failed' | 'missing';

export interface PointStatus {
    index: number;
    state: PointState;
    reason?: string;
    jobId?: string;
    /** The array task that holds the point (task index within its array). */
    task?: number;
    /** A failed point whose task ended without writing its file (a node lost, a time limit, SIGKILL). */
    lost?: boolean;
}

export interface SweepStatus {
    /** The point files as read for this status (collectPoints merges them when the sweep is complete). */
    loaded: Map<number, LoadedPoint>;
    summary: PointsSummary;
    points: PointStatus[];
    counts: Record<PointState, number>;
    /** The latest submission, if any. */
    job?: Submission;
    /** Job ids of every array with a task still pending or running. */
    activeJobs: string[];
}

export function slurmFolder(store: ResultsStore, specPath: string, experiment: string): string {
    return join(store.folder(specPath), `${sanitizeName(experiment)}.slurm`);
}

function jobsPath(store: ResultsStore, specPath: string, experiment: string): string {
    return join(slurmFolder(store, specPath, experiment), 'jobs.json');
}

/** A record of jobs.json: a submission, or one of the one-array, one-point-per-task jobs of earlier versions. */
function asSubmission(j: unknown): Submission | undefined {
    const r = j as (Partial<Submission> & { script?: string }) | null;
    if (typeof r?.jobId !== 'string' || !Array.isArray(r.indices)) return undefined;
    const arrays = Array.isArray(r.arrays)
        ? r.arrays.filter(a => typeof a?.jobId === 'string')
        : [{ jobId: r.jobId, script: r.script ?? '' }];
    return {
        jobId: r.jobId,
        planHash: String(r.planHash ?? ''),
        submittedAt: String(r.submittedAt ?? ''),
        indices: r.indices,
        manifest: r.manifest,
        arrays,
    };
}

export function loadSubmissions(store: ResultsStore, specPath: string, experiment: string): Submission[] {
    let jobs: unknown;
    try {
        jobs = JSON.parse(readFileSync(jobsPath(store, specPath, experiment), 'utf8'));
    } catch {
        return [];
    }
    return Array.isArray(jobs) ? jobs.map(asSubmission).filter((s): s is Submission => s !== undefined) : [];
}

export function recordSubmission(store: ResultsStore, specPath: string, experiment: string, submission: Submission): void {
    const all = [...loadSubmissions(store, specPath, experiment), submission];
    writeAtomically(jobsPath(store, specPath, experiment), JSON.stringify(all, null, 2) + '\n');
}

/** Where each point of a submission runs: its array's job id and its task index. */
function placements(s: Submission): Map<number, { jobId: string; task: number }> {
    const at = new Map<number, { jobId: string; task: number }>();
    if (!s.manifest) {
        // earlier versions: one array, task index = point index
        for (const k of s.indices) at.set(k, { jobId: s.jobId, task: k });
        return at;
    }
    const manifest = readManifest(s.manifest);
    if (typeof manifest === 'string') return at;
    s.arrays.forEach((array, a) =>
        manifest.arrays[a]?.tasks.forEach((points, task) => {
            for (const k of points) at.set(k, { jobId: array.jobId, task });
        }),
    );
    return at;
}

const ENDED: Record<string, string> = {
    TIMEOUT: "out of time (the job's time limit)",
    CANCELLED: 'cancelled (scancel)',
    OUT_OF_MEMORY: 'out of memory',
    NODE_FAIL: 'its node failed',
    PREEMPTED: 'preempted',
    BOOT_FAIL: 'its node failed to boot',
    DEADLINE: 'past its deadline',
};

/** How a task ended when it did not simply complete: Slurm's state (while squeue knows it), else what slurmstepd wrote in its log. */
function endedBadly(task: TaskState | undefined, log: { errorLine: string }): string | undefined {
    if (task && !isActive(task.state) && task.state !== 'COMPLETED')
        return `${task.state}, ${ENDED[task.state] ?? (task.reason || 'no result')}`;
    if (!task && /\*\*\*.*(CANCELLED|DUE TO)/.test(log.errorLine)) return log.errorLine;
    return undefined;
}

/** Why a point whose task ended has no usable file, and whether it was training then. */
function lostReason(
    task: TaskState | undefined,
    marker: PointMarker | undefined,
    log: { exists: boolean; errorLine: string },
    where: string,
): string {
    const when = marker === 'started' ? 'while training it' : 'before it started';
    const how = endedBadly(task, log) ?? (log.errorLine || 'without writing its point file');
    return `${where} ended ${when}: ${how}`;
}

/** The state of every point: its file first, then the latest submission that holds it (squeue, then its task's log). */
export async function sweepStatus(
    store: ResultsStore,
    specPath: string,
    experiment: string,
    plan: ExperimentPlan,
    cache?: PointFileCache,
): Promise<SweepStatus> {
    const loaded = loadPoints(store, specPath, experiment, cache);
    const summary = summarizePoints(plan, loaded);
    const submissions = loadSubmissions(store, specPath, experiment);
    const logs = join(slurmFolder(store, specPath, experiment), 'logs');
    // the latest submission that included each point, and squeue's view of those arrays (one call)
    const placed = new Map<number, { jobId: string; task: number }>();
    for (const s of submissions) for (const [k, p] of placements(s)) placed.set(k, p);
    const jobIds = [...new Set([...placed.values()].map(p => p.jobId))];
    const queues: JobTasks = await squeueTasks(jobIds);
    const taskLogs = new Map<string, ReturnType<typeof readTaskLog>>();
    const logOf = (jobId: string, task: number) => {
        const path = taskLogPath(logs, jobId, task);
        let read = taskLogs.get(path);
        if (!read) taskLogs.set(path, (read = readTaskLog(path)));
        return read;
    };
    const done = new Set([...summary.done, ...summary.diverged.map(p => p.index)]);
    const refused = new Set(summary.refused.map(p => p.index));
    const fileProblem = new Map([...summary.diverged, ...summary.failed, ...summary.refused].map(p => [p.index, p.reason]));
    const points: PointStatus[] = plan.points.map((_, index) => {
        const at = placed.get(index);
        const where = at ? { jobId: at.jobId, task: at.task } : {};
        if (done.has(index))
            return fileProblem.has(index)
                ? { index, state: 'failed', reason: fileProblem.get(index), ...where }
                : { index, state: 'done', ...where };
        const task = at ? queues.get(at.jobId)?.get(at.task) : undefined;
        if (at && task && isActive(task.state)) {
            const marker = task.state === 'RUNNING' ? logOf(at.jobId, at.task).markers.get(index) : undefined;
            if (marker === 'started') return { index, state: 'running', ...where };
            const queued = task.state === 'RUNNING' ? `waits in task ${at.task} of job ${at.jobId}` : task.reason;
            return { index, state: 'pending', reason: queued, ...where };
        }
        if (fileProblem.has(index)) {
            // a point stopped by its task's end (node lost, time limit) is lost with that task: say how the task ended
            const how = at && !refused.has(index) ? endedBadly(task, logOf(at.jobId, at.task)) : undefined;
            if (how)
                return {
                    index,
                    state: 'failed',
                    lost: true,
                    reason: `${fileProblem.get(index)}; task ${at!.task} of job ${at!.jobId}: ${how}`,
                    ...where,
                };
            return { index, state: 'failed', reason: fileProblem.get(index), ...where };
        }
        if (at) {
            const log = logOf(at.jobId, at.task);
            const marker = log.markers.get(index);
            // written (or found) by its task, and gone since: a missing point, not a lost one
            if (marker === 'ended' || marker === 'skipped')
                return { index, state: 'missing', reason: `its file, written by task ${at.task} of job ${at.jobId}, is gone`, ...where };
            if (task || log.exists) {
                return {
                    index,
                    state: 'failed',
                    lost: true,
                    reason: lostReason(task, log.markers.get(index), log, `task ${at.task} of job ${at.jobId}`),
                    ...where,
                };
            }
        }
        return { index, state: 'missing' };
    });
    const counts: Record<PointState, number> = { done: 0, running: 0, pending: 0, failed: 0, missing: 0 };
    for (const p of points) counts[p.state]++;
    const activeJobs = [...queues].filter(([, tasks]) => [...tasks.values()].some(t => isActive(t.state))).map(([id]) => id);
    return { loaded, summary, points, counts, job: submissions[submissions.length - 1], activeJobs };
}

/** Every array job id of the sweep's submissions (what `emn sweep cancel` asks squeue and scancel about). */
export function submittedJobIds(store: ResultsStore, specPath: string, experiment: string): string[] {
    return [...new Set(loadSubmissions(store, specPath, experiment).flatMap(s => s.arrays.map(a => a.jobId)))];
}
