// A sweep's Slurm submissions (<experiment>.slurm/: batch script, jobs.json, task logs) and each point's state from its file and squeue.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentPlan } from '../compiler/plan-types.js';
import { type PointsSummary, summarizePoints } from '../results/collect-points.js';
import { type LoadedPoint, loadPoints, type PointFileCache } from '../results/point-files.js';
import { type ResultsStore, sanitizeName, writeAtomically } from '../results/results-store.js';
import { isActive, squeueTasks, type TaskState } from './slurm-commands.js';
import { taskLogPath } from './batch-script.js';

export interface SubmittedJob {
    jobId: string;
    indices: number[];
    planHash: string;
    submittedAt: string;
    script: string;
}

export type PointState = 'done' | 'running' | 'pending' | 'failed' | 'missing';

export interface PointStatus {
    index: number;
    state: PointState;
    reason?: string;
    jobId?: string;
}

export interface SweepStatus {
    /** The point files as read for this status (collectPoints merges them when the sweep is complete). */
    loaded: Map<number, LoadedPoint>;
    summary: PointsSummary;
    points: PointStatus[];
    counts: Record<PointState, number>;
    /** The latest submission, if any. */
    job?: SubmittedJob;
}

export function slurmFolder(store: ResultsStore, specPath: string, experiment: string): string {
    return join(store.folder(specPath), `${sanitizeName(experiment)}.slurm`);
}

function jobsPath(store: ResultsStore, specPath: string, experiment: string): string {
    return join(slurmFolder(store, specPath, experiment), 'jobs.json');
}

export function loadJobs(store: ResultsStore, specPath: string, experiment: string): SubmittedJob[] {
    try {
        const jobs: unknown = JSON.parse(readFileSync(jobsPath(store, specPath, experiment), 'utf8'));
        const isJob = (j: unknown): j is SubmittedJob => typeof (j as Partial<SubmittedJob> | null)?.jobId === 'string'
            && Array.isArray((j as Partial<SubmittedJob>).indices);
        return Array.isArray(jobs) ? jobs.filter(isJob) : [];
    } catch {
        return [];
    }
}

export function recordJob(store: ResultsStore, specPath: string, experiment: string, job: SubmittedJob): void {
    writeAtomically(jobsPath(store, specPath, experiment), JSON.stringify([...loadJobs(store, specPath, experiment), job], null, 2) + '\n');
}

/** Why a task that ended left no usable point file: Slurm's state, else the last line of its log that says so. */
function endedReason(task: TaskState | undefined, log: string): string {
    if (task && !isActive(task.state) && task.state !== 'COMPLETED') {
        const known: Record<string, string> = { TIMEOUT: 'out of time (the job\'s time limit)', CANCELLED: 'cancelled (scancel)', OUT_OF_MEMORY: 'out of memory', NODE_FAIL: 'its node failed', PREEMPTED: 'preempted' };
        return `task ${task.state}: ${known[task.state] ?? (task.reason || 'ended without a result')}`;
    }
    let text = '';
    try { text = readFileSync(log, 'utf8'); } catch { /* no log */ }
    const said = text.split('\n').map(l => l.trim()).filter(l => /error|cancel|time limit|killed|oom/i.test(l)).pop();
    return said ? `ended without a result: ${said.slice(0, 300)} (log ${log})` : `ended without writing its point file (log ${log})`;
}

/** The state of every point: point files first, then the latest submission's tasks in squeue, then their logs. */
export async function sweepStatus(store: ResultsStore, specPath: string, experiment: string, plan: ExperimentPlan,
    cache?: PointFileCache): Promise<SweepStatus> {
    const compiled = plan.points;
    const loaded = loadPoints(store, specPath, experiment, cache);
    const summary = summarizePoints(plan, loaded);
    const jobs = loadJobs(store, specPath, experiment);
    const logs = join(slurmFolder(store, specPath, experiment), 'logs');
    // the latest submission that included each point, and squeue's view of those jobs
    const lastJob = new Map<number, SubmittedJob>();
    for (const j of jobs) for (const k of j.indices) lastJob.set(k, j);
    const queues = new Map<string, Map<number, TaskState>>();
    for (const j of new Set(lastJob.values())) queues.set(j.jobId, await squeueTasks(j.jobId));
    const done = new Set([...summary.done, ...summary.diverged.map(p => p.index)]);
    const fileProblem = new Map([...summary.diverged, ...summary.failed, ...summary.refused].map(p => [p.index, p.reason]));
    const points: PointStatus[] = compiled.map((_, index) => {
        const job = lastJob.get(index);
        const task = job ? queues.get(job.jobId)?.get(index) : undefined;
        if (done.has(index)) return fileProblem.has(index) ? { index, state: 'failed', reason: fileProblem.get(index), jobId: job?.jobId } : { index, state: 'done', jobId: job?.jobId };
        if (task && isActive(task.state)) return { index, state: task.state === 'PENDING' ? 'pending' : 'running', reason: task.reason, jobId: job!.jobId };
        if (fileProblem.has(index)) return { index, state: 'failed', reason: fileProblem.get(index), jobId: job?.jobId };
        if (job) {
            const log = taskLogPath(logs, job.jobId, index);
            if (task || existsSync(log)) return { index, state: 'failed', reason: endedReason(task, log), jobId: job.jobId };
        }
        return { index, state: 'missing' };
    });
    const counts: Record<PointState, number> = { done: 0, running: 0, pending: 0, failed: 0, missing: 0 };
    for (const p of points) counts[p.state]++;
    return { loaded, summary, points, counts, job: jobs[jobs.length - 1] };
}
