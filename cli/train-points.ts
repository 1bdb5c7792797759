// `emn train --point`: trains chosen sweep points in one process (threads from the task's CPUs) and writes each point's file (a job array
// task's work).
import { hostname } from 'node:os';
import {
    compileExperimentPlan,
    kernelPreference,
    type LoadedPoint,
    loadPoints,
    markerLine,
    pointFailure,
    type PointRecord,
    savePoint,
    TrainingWorkerClient,
} from '../engine/index.js';
import type { BackendChoice, ResultsStore } from '../engine/index.js';
import type { ExperimentSpec } from '../engine/view.js';
import { plural } from '../engine/view.js';
import { formatPointLine } from './sweep-format.js';

export interface TrainPointsOptions {
    specPath: string;
    store: ResultsStore;
    backend: BackendChoice;
    json: boolean;
    /** Points trained at once (threads); see workerCount. */
    workers: number;
    /** Threads of one run (--split); undefined: the cost model's pick on the task's `workers` cores. */
    split?: number;
    /** Leave out points whose file of this plan has a result (an array task, perhaps requeued, does not redo them). */
    skipTrained?: boolean;
}

/** The scheduler's name for this task, where there is one (it goes into the point file). */
function jobName(env = process.env): string | undefined {
    if (env.SLURM_ARRAY_JOB_ID) return `slurm ${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID ?? ''}`;
    if (env.SLURM_JOB_ID) return `slurm ${env.SLURM_JOB_ID}`;
    if (env.JOB_COMPLETION_INDEX !== undefined) return `indexed job ${env.HOSTNAME ?? ''}`.trim();
    if (env.AWS_BATCH_JOB_ID) return `aws batch ${env.AWS_BATCH_JOB_ID}`;
    return undefined;
}

/**
 * Threads for a task's points: under Slurm the CPUs it was given (SLURM_CPUS_PER_TASK, 1 when it says nothing: the
 * machine's core count is not the task's, as a task is not always confined to its CPUs), else `--workers`.
 */
export function workerCount(workersOption: number, env = process.env): number {
    const cpus = env.SLURM_CPUS_PER_TASK;
    if (cpus !== undefined && /^\d+$/.test(cpus.trim()) && Number(cpus) > 0) return Number(cpus);
    return env.SLURM_JOB_ID ? 1 : workersOption;
}

/** Whether a point file already holds this plan's result for the point (done or diverged: training again gives the same). */
function alreadyTrained(loaded: LoadedPoint | undefined, planHash: string, points: number): boolean {
    const record = loaded?.record;
    if (!record || record.planHash !== planHash || record.points !== points) return false;
    return pointFailure(record) === undefined || record.result?.stopped === 'diverged';
}

/**
 * Trains `indices` of the experiment's sweep, `workers` points at a time, each written to its own point file as soon
 * as it ends, with a marker line on stderr when a point starts and ends (the task log's per-point state). SIGTERM
 * (scancel, a time limit) and SIGINT stop the running points within a step; they are written as failed with that
 * reason, and the points not started are left missing. Exit code: 0 every point trained, 2 any failed, 1 usage.
 */
export async function trainPoints(spec: ExperimentSpec, indices: number[], opts: TrainPointsOptions): Promise<number> {
    const experimentPlan = compileExperimentPlan(spec);
    const compiled = experimentPlan.points;
    const outside = indices.filter(k => k >= compiled.length);
    if (outside.length > 0) {
        process.stderr.write(
            `emn train: --point ${outside.join(', ')}: experiment ${spec.name} has ${plural(compiled.length, 'point')} (0-${compiled.length - 1})\n`,
        );
        return 1;
    }
    const planHash = experimentPlan.hash;
    let todo = indices;
    if (opts.skipTrained) {
        const files = loadPoints(opts.store, opts.specPath, spec.name);
        todo = indices.filter(k => {
            const trained = alreadyTrained(files.get(k), planHash, compiled.length);
            if (trained) process.stderr.write(markerLine(k, 'skipped') + '\n');
            return !trained;
        });
    }
    const controller = new AbortController();
    let stopSignal: string | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
        if (stopSignal) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
        stopSignal = signal;
        controller.abort();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const lines: unknown[] = [];
    const started = new Map<number, Date>();
    let failed = false;
    const base = (index: number) => ({
        experiment: spec.name,
        index,
        points: compiled.length,
        planHash,
        host: hostname(),
        job: jobName(),
        startedAt: (started.get(index) ?? new Date()).toISOString(),
    });
    const write = (record: PointRecord) => {
        started.delete(record.index);
        const path = savePoint(opts.store, opts.specPath, record);
        process.stderr.write(markerLine(record.index, 'ended') + '\n');
        const why = pointFailure(record);
        if (why !== undefined) failed = true;
        const params = compiled[record.index].params;
        if (opts.json)
            lines.push({
                point: record.index,
                params,
                path,
                ...(why !== undefined ? { failed: why } : { metrics: record.result!.metrics, stopped: record.result!.stopped }),
            });
        else process.stdout.write(formatPointLine(record.index, params, record, path) + '\n');
    };
    const pool = new TrainingWorkerClient();
    try {
        if (todo.length === 0) return 0;
        const outcome = await pool.run(experimentPlan, {
            backend: opts.backend,
            kernels: kernelPreference(),
            workers: opts.workers,
            cores: opts.workers,
            split: opts.split,
            hostTrains: true,
            signal: controller.signal,
            indices: todo,
            onStart: index => {
                started.set(index, new Date());
                process.stderr.write(markerLine(index, 'started') + '\n');
            },
            onPoint: ({ index, result }, backend, fallbacks) => {
                const record: PointRecord = {
                    ...base(index),
                    backend,
                    ...(fallbacks.length ? { backendFallbacks: fallbacks } : {}),
                    finishedAt: new Date().toISOString(),
                    result,
                };
                if (result.stopped === 'cancelled' && stopSignal) {
                    record.failure = `stopped by ${stopSignal} at step ${result.steps} (scancel, or the job's time limit)`;
                    delete record.result;
                }
                write(record);
            },
        });
        if (!outcome.ok) {
            if (outcome.reason === 'backend-unavailable') {
                process.stderr.write(`emn train: ${outcome.error}\n`);
                return 2;
            }
            // the points a failing thread held: failed with its reason (the others were never started: missing)
            for (const index of [...started.keys()])
                write({ ...base(index), finishedAt: new Date().toISOString(), failure: outcome.error });
        }
    } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        await pool.dispose();
        if (opts.json) process.stdout.write(JSON.stringify(lines, null, 2) + '\n');
    }
    return failed || stopSignal ? 2 : 0;
}
