// `emn sweep slurm|collect|status|cancel`: a sweep as Slurm job arrays, merging its point files, its progress, stopping it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
    cancelSlurmSweep,
    collectPoints,
    compileExperimentPlan,
    formatPointRanges,
    isComplete,
    loadPoints,
    openResults,
    pointsToTrain,
    ResultsStore,
    submitSlurmSweep,
    sweepStatus,
    waitForSubmission,
} from '../engine/index.js';
import type { ExperimentPlan, ExperimentSpec } from '../engine/view.js';
import type { BackendChoice } from '../engine/view.js';
import { loadExperiment } from './load-experiment.js';
import { formatProblems } from './sweep-format.js';
import { formatResult, resultForStdout } from './train-format.js';

export interface SweepArgs {
    file: string;
    experiment: string;
    out?: string;
    json: boolean;
}

export interface SlurmArgs extends SweepArgs {
    backend: BackendChoice;
    maxParallel?: string;
    sbatchArgs: string[];
    missing: boolean;
    wait: boolean;
    pointsPerTask?: string;
    cpusPerTask?: string;
    requeue: boolean;
}

interface Context {
    file: string;
    spec: ExperimentSpec;
    plan: ExperimentPlan;
    store: ResultsStore;
}

/** The experiment and its compiled points, or the exit code after saying why. */
async function load(command: string, args: SweepArgs): Promise<Context | number> {
    const spec = await loadExperiment(`emn sweep ${command}`, args.file, args.experiment);
    if (typeof spec === 'number') return spec;
    try {
        return {
            file: args.file,
            spec,
            plan: compileExperimentPlan(spec),
            store: new ResultsStore(args.out ? resolve(args.out) : undefined),
        };
    } catch (err) {
        process.stderr.write(`emn sweep ${command}: ${(err as Error).message}\n`);
        return 1;
    }
}

export async function runSweepCollect(args: SweepArgs): Promise<number> {
    const ctx = await load('collect', args);
    return typeof ctx === 'number' ? ctx : collect(ctx, args.json);
}

export async function runSweepStatus(args: SweepArgs): Promise<number> {
    const ctx = await load('status', args);
    return typeof ctx === 'number' ? ctx : status(ctx, args.json);
}

export async function runSweepCancel(args: SweepArgs): Promise<number> {
    const ctx = await load('cancel', args);
    if (typeof ctx === 'number') return ctx;
    let cancelled: string[];
    try {
        cancelled = await cancelSlurmSweep(ctx.store, ctx.file, ctx.spec.name);
    } catch (err) {
        process.stderr.write(`emn sweep cancel: ${(err as Error).message}\n`);
        return 2;
    }
    if (args.json) process.stdout.write(JSON.stringify({ experiment: ctx.spec.name, cancelled }) + '\n');
    else if (cancelled.length === 0) process.stdout.write(`${ctx.spec.name}: no array of this sweep is pending or running\n`);
    else process.stdout.write(`${ctx.spec.name}: cancelled Slurm job${cancelled.length === 1 ? '' : 's'} ${cancelled.join(', ')}\n`);
    return 0;
}

/** @param emnCommand how a node starts this same `emn`: the node binary and the CLI's file, absolute */
export async function runSweepSlurm(args: SlurmArgs, emnCommand: string[]): Promise<number> {
    // positive integers: the command table says so (positiveInteger), so parsing refused anything else
    const count = (text?: string) => (text === undefined ? undefined : Number(text));
    const ctx = await load('slurm', args);
    if (typeof ctx === 'number') return ctx;
    const trainOptions = ['--backend', args.backend, ...(args.out ? ['--out', resolve(args.out)] : [])];
    return slurm(ctx, {
        maxParallel: count(args.maxParallel),
        pointsPerTask: count(args.pointsPerTask),
        cpusPerTask: count(args.cpusPerTask),
        requeue: args.requeue,
        sbatchArgs: args.sbatchArgs,
        missing: args.missing,
        wait: args.wait,
        json: args.json,
        emnCommand,
        trainOptions,
    });
}

function collect(ctx: Context, json: boolean): number {
    const loaded = loadPoints(ctx.store, ctx.file, ctx.spec.name);
    const { summary, result, warnings } = collectPoints(ctx.plan, loaded);
    for (const w of warnings) process.stderr.write(`emn sweep collect: warning: ${w}\n`);
    if (result) {
        // the engine's one path after training: the failure policy and the history, as `emn train` and the editor keep a run
        const saved = openResults(ctx.store, ctx.file).keep(result, {
            advice: { lr: ctx.spec.optimizer.lr },
            specText: readFileSync(ctx.file, 'utf8'),
            plan: ctx.plan,
        });
        if (json) process.stdout.write(JSON.stringify(resultForStdout(result), null, 2) + '\n');
        else process.stdout.write(`${formatResult(result)}\n${saved.report.map(line => `  ${line}\n`).join('')}`);
    }
    if (isComplete(summary)) return 0;
    const have = summary.done.length;
    process.stderr.write(
        `emn sweep collect: ${ctx.spec.name}: ${have} of ${summary.points} points done${result ? '' : '; the result was not written'}\n`,
    );
    for (const line of formatProblems(summary)) process.stderr.write(line + '\n');
    const again = pointsToTrain(summary);
    if (again.length) process.stderr.write(`  to train them: emn sweep slurm ${ctx.file} --experiment ${ctx.spec.name} --missing\n`);
    return 2;
}

async function status(ctx: Context, json: boolean): Promise<number> {
    const s = await sweepStatus(ctx.store, ctx.file, ctx.spec.name, ctx.plan);
    const lost = s.points.filter(p => p.lost).map(p => p.index);
    if (json) {
        process.stdout.write(
            JSON.stringify(
                {
                    experiment: ctx.spec.name,
                    points: ctx.plan.points.length,
                    ...s.counts,
                    lost,
                    job: s.job?.jobId,
                    arrays: s.job?.arrays.map(a => a.jobId) ?? [],
                    details: s.points,
                },
                null,
                2,
            ) + '\n',
        );
        return 0;
    }
    const c = s.counts;
    const arrays =
        s.job && s.job.arrays.length > 1 ? ` in ${s.job.arrays.length} arrays: ${s.job.arrays.map(a => a.jobId).join(', ')}` : '';
    process.stdout.write(
        `${ctx.spec.name}: ${ctx.plan.points.length} points: ${c.done} done, ${c.running} running, ${c.pending} pending, ${c.failed} failed, ${c.missing} missing` +
            (s.job ? ` (latest Slurm job ${s.job.jobId}${arrays})` : '') +
            '\n',
    );
    for (const p of s.points)
        if (p.state === 'failed') process.stdout.write(`  point ${p.index} ${p.lost ? 'lost' : 'failed'}: ${p.reason}\n`);
    if (lost.length)
        process.stdout.write(`  lost: ${formatPointRanges(lost)} (their task ended without writing them; --missing submits them again)\n`);
    const missing = s.points.filter(p => p.state === 'missing').map(p => p.index);
    if (missing.length) process.stdout.write(`  missing: ${formatPointRanges(missing)}\n`);
    return 0;
}

interface SlurmRun {
    maxParallel?: number;
    pointsPerTask?: number;
    cpusPerTask?: number;
    requeue: boolean;
    sbatchArgs: string[];
    missing: boolean;
    wait: boolean;
    json: boolean;
    emnCommand: string[];
    trainOptions: string[];
}

async function slurm(ctx: Context, o: SlurmRun): Promise<number> {
    let outcome;
    try {
        outcome = await submitSlurmSweep({
            store: ctx.store,
            specPath: ctx.file,
            spec: ctx.spec,
            plan: ctx.plan,
            missing: o.missing,
            pointsPerTask: o.pointsPerTask,
            cpusPerTask: o.cpusPerTask,
            maxParallel: o.maxParallel,
            requeue: o.requeue,
            sbatchArgs: o.sbatchArgs,
            emnCommand: o.emnCommand,
            trainOptions: o.trainOptions,
        });
    } catch (err) {
        process.stderr.write(`emn sweep slurm: ${(err as Error).message}\n`);
        return 2;
    }
    if (outcome.kind === 'nothing') {
        const s = outcome.status;
        process.stdout.write(
            `${ctx.spec.name}: no point to submit (${s.counts.done} done, ${outcome.active} running or pending, ${s.summary.diverged.length} diverged)\n`,
        );
        return o.wait && outcome.active === 0 ? collect(ctx, o.json) : 0;
    }
    const { submission: job, pointsPerTask, tasks } = outcome;
    const jobs = job.arrays.map(a => a.jobId);
    if (o.json && !o.wait) {
        process.stdout.write(
            JSON.stringify({
                jobId: job.jobId,
                jobs,
                points: formatPointRanges(job.indices),
                pointsPerTask,
                tasks,
                manifest: job.manifest,
                scripts: job.arrays.map(a => a.script),
            }) + '\n',
        );
    } else if (!o.json) {
        const n = job.indices.length;
        process.stdout.write(
            `Submitted Slurm job ${jobs.join(', ')}: ${ctx.spec.name}, point${n === 1 ? '' : 's'} ${formatPointRanges(job.indices)} of ${ctx.plan.points.length}` +
                ` in ${tasks} task${tasks === 1 ? '' : 's'} (${pointsPerTask} point${pointsPerTask === 1 ? '' : 's'} per task)\n`,
        );
        process.stdout.write(
            `  batch script${jobs.length === 1 ? '' : 's'} ${job.arrays.map(a => a.script).join(', ')}; manifest ${job.manifest}\n`,
        );
    }
    if (!o.wait) return 0;
    if (!o.json)
        process.stdout.write(
            `  waiting for ${jobs.length === 1 ? `job ${jobs[0]}` : `jobs ${jobs.join(', ')}`} (emn sweep status ${ctx.file} --experiment ${ctx.spec.name} shows progress)\n`,
        );
    await waitForSubmission(job);
    return collect(ctx, o.json);
}
