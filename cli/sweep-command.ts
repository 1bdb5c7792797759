// `emn sweep slurm|collect|status`: a sweep as a Slurm job array, merging its point files, and its progress.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectPoints, compileExperimentPlan, formatPointRanges, isComplete, loadPoints, openResults, pointsToTrain, ResultsStore, submitSweep, sweepStatus, waitForJob } from '../engine/index.js';
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
        return { file: args.file, spec, plan: compileExperimentPlan(spec), store: new ResultsStore(args.out ? resolve(args.out) : undefined) };
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

/** @param emnCommand how a node starts this same `emn`: the node binary and the CLI's file, absolute */
export async function runSweepSlurm(args: SlurmArgs, emnCommand: string[]): Promise<number> {
    // a positive integer: the command table says so (positiveInteger), so parsing refused anything else
    const maxParallel = args.maxParallel === undefined ? undefined : Number(args.maxParallel);
    const ctx = await load('slurm', args);
    if (typeof ctx === 'number') return ctx;
    const trainOptions = ['--backend', args.backend, ...(args.out ? ['--out', resolve(args.out)] : [])];
    return slurm(ctx, { maxParallel, sbatchArgs: args.sbatchArgs, missing: args.missing, wait: args.wait, json: args.json, emnCommand, trainOptions });
}

function collect(ctx: Context, json: boolean): number {
    const loaded = loadPoints(ctx.store, ctx.file, ctx.spec.name);
    const { summary, result, warnings } = collectPoints(ctx.plan, loaded);
    for (const w of warnings) process.stderr.write(`emn sweep collect: warning: ${w}\n`);
    if (result) {
        // the engine's one path after training: the failure policy and the history, as `emn train` and the editor keep a run
        const saved = openResults(ctx.store, ctx.file).keep(result, {
            advice: { lr: ctx.spec.optimizer.lr }, specText: readFileSync(ctx.file, 'utf8'), plan: ctx.plan,
        });
        if (json) process.stdout.write(JSON.stringify(resultForStdout(result), null, 2) + '\n');
        else process.stdout.write(`${formatResult(result)}\n${saved.report.map(line => `  ${line}\n`).join('')}`);
    }
    if (isComplete(summary)) return 0;
    const have = summary.done.length;
    process.stderr.write(`emn sweep collect: ${ctx.spec.name}: ${have} of ${summary.points} points done${result ? '' : '; the result was not written'}\n`);
    for (const line of formatProblems(summary)) process.stderr.write(line + '\n');
    const again = pointsToTrain(summary);
    if (again.length) process.stderr.write(`  to train them: emn sweep slurm ${ctx.file} --experiment ${ctx.spec.name} --missing\n`);
    return 2;
}

async function status(ctx: Context, json: boolean): Promise<number> {
    const s = await sweepStatus(ctx.store, ctx.file, ctx.spec.name, ctx.plan);
    if (json) {
        process.stdout.write(JSON.stringify({ experiment: ctx.spec.name, points: ctx.plan.points.length, ...s.counts, job: s.job?.jobId, details: s.points }, null, 2) + '\n');
        return 0;
    }
    const c = s.counts;
    process.stdout.write(`${ctx.spec.name}: ${ctx.plan.points.length} points: ${c.done} done, ${c.running} running, ${c.pending} pending, ${c.failed} failed, ${c.missing} missing`
        + (s.job ? ` (latest Slurm job ${s.job.jobId})` : '') + '\n');
    for (const p of s.points) if (p.state === 'failed') process.stdout.write(`  point ${p.index} failed: ${p.reason}\n`);
    const missing = s.points.filter(p => p.state === 'missing').map(p => p.index);
    if (missing.length) process.stdout.write(`  missing: ${formatPointRanges(missing)}\n`);
    return 0;
}

async function slurm(ctx: Context, o: { maxParallel?: number; sbatchArgs: string[]; missing: boolean; wait: boolean; json: boolean; emnCommand: string[]; trainOptions: string[] }): Promise<number> {
    let indices = ctx.plan.points.map((_, k) => k);
    if (o.missing) {
        const s = await sweepStatus(ctx.store, ctx.file, ctx.spec.name, ctx.plan);
        // points a task is still training or waiting for are not submitted twice
        const active = new Set(s.points.filter(p => p.state === 'running' || p.state === 'pending').map(p => p.index));
        indices = pointsToTrain(s.summary).filter(k => !active.has(k));
        if (indices.length === 0) {
            process.stdout.write(`${ctx.spec.name}: no point to submit (${s.counts.done} done, ${active.size} running or pending, ${s.summary.diverged.length} diverged)\n`);
            return o.wait && active.size === 0 ? collect(ctx, o.json) : 0;
        }
    }
    let job;
    try {
        job = await submitSweep({
            store: ctx.store, specPath: ctx.file, experiment: ctx.spec.name, planHash: ctx.plan.hash,
            points: ctx.plan.points.length, indices, maxParallel: o.maxParallel, sbatchArgs: o.sbatchArgs,
            emnCommand: o.emnCommand, trainOptions: o.trainOptions,
        });
    } catch (err) {
        process.stderr.write(`emn sweep slurm: ${(err as Error).message}\n`);
        return 2;
    }
    if (o.json && !o.wait) process.stdout.write(JSON.stringify({ jobId: job.jobId, points: formatPointRanges(job.indices), script: job.script }) + '\n');
    else if (!o.json) {
        process.stdout.write(`Submitted Slurm job ${job.jobId}: ${ctx.spec.name}, point${job.indices.length === 1 ? '' : 's'} ${formatPointRanges(job.indices)} of ${ctx.plan.points.length}\n`);
        process.stdout.write(`  batch script ${job.script}\n`);
    }
    if (!o.wait) return 0;
    if (!o.json) process.stdout.write(`  waiting for job ${job.jobId} (emn sweep status ${ctx.file} --experiment ${ctx.spec.name} shows progress)\n`);
    await waitForJob(job.jobId);
    return collect(ctx, o.json);
}
