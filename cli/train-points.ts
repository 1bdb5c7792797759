// `emn train --point`: trains chosen sweep points one by one and writes each point's file to the results store (a job array task's work).
import { hostname } from 'node:os';
import { compileExperimentPlan, failureReason, kernelPreference, pointFailure, type PointRecord, runPoints, savePoint } from '../engine/index.js';
import type { BackendChoice, ResultsStore } from '../engine/index.js';
import type { ExperimentSpec } from '../engine/view.js';
import { plural } from '../engine/view.js';
import { formatPointLine } from './sweep-format.js';
import { errorMessage } from '../engine/view.js';

export interface TrainPointsOptions {
    specPath: string;
    store: ResultsStore;
    backend: BackendChoice;
    json: boolean;
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
 * Trains `indices` of the experiment's sweep, one point at a time, each written to its own point file as soon as it
 * ends. SIGTERM (scancel, a time limit) and SIGINT stop the running point within a step; it is written as failed with
 * that reason, and the points not started are left missing. Exit code: 0 every point trained, 2 any failed, 1 usage.
 */
export async function trainPoints(spec: ExperimentSpec, indices: number[], opts: TrainPointsOptions): Promise<number> {
    const experimentPlan = compileExperimentPlan(spec);
    const compiled = experimentPlan.points;
    const outside = indices.filter(k => k >= compiled.length);
    if (outside.length > 0) {
        process.stderr.write(`emn train: --point ${outside.join(', ')}: experiment ${spec.name} has ${plural(compiled.length, 'point')} (0-${compiled.length - 1})\n`);
        return 1;
    }
    const planHash = experimentPlan.hash;
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
    let failed = false;
    try {
        for (const index of indices) {
            if (stopSignal) break;
            const startedAt = new Date();
            const base = { experiment: spec.name, index, points: compiled.length, planHash, host: hostname(), job: jobName(), startedAt: startedAt.toISOString() };
            let record: PointRecord;
            try {
                const run = await runPoints(experimentPlan, [index], { backend: opts.backend, kernels: kernelPreference(), signal: controller.signal });
                const trained = run.points[0]?.result;
                record = {
                    ...base, backend: run.backend, ...(run.fallbacks.length ? { backendFallbacks: run.fallbacks } : {}),
                    finishedAt: new Date().toISOString(),
                    ...(trained ? { result: trained } : { failure: 'no result' }),
                    ...(trained?.stopped === 'cancelled' && stopSignal ? { failure: `stopped by ${stopSignal} at step ${trained.steps} (scancel, or the job's time limit)` } : {}),
                };
                if (record.failure) delete record.result;
            } catch (err) {
                const message = errorMessage(err);
                record = { ...base, finishedAt: new Date().toISOString(), failure: message };
                if (failureReason(err) === 'backend-unavailable') {
                    process.stderr.write(`emn train: ${message}\n`);
                    return 2;
                }
            }
            const path = savePoint(opts.store, opts.specPath, record);
            const why = pointFailure(record);
            if (why !== undefined) failed = true;
            if (opts.json) lines.push({ point: index, params: compiled[index].params, path, ...(why !== undefined ? { failed: why } : { metrics: record.result!.metrics, stopped: record.result!.stopped }) });
            else process.stdout.write(formatPointLine(index, compiled[index].params, record, path) + '\n');
        }
    } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
    }
    if (opts.json) process.stdout.write(JSON.stringify(lines, null, 2) + '\n');
    return failed || stopSignal ? 2 : 0;
}
