// `emn train`: checks the spec, compiles its experiments and trains them in a pool of worker threads; prints a table or JSON, saves
// results.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import {
    calibrate,
    chooseWorkers,
    estimatePointSeconds,
    failureReason,
    kernelPreference,
    type Calibration,
    compileExperimentPlan,
    openResults,
    previewSweep,
    previewText,
    rateText,
    ResultsStore,
    trainAndSave,
    type TrainedRun,
    TrainingWorkerClient,
} from '../engine/index.js';
import { renderPlan } from '../engine/view.js';
import type { ExperimentPlan, ExperimentResult, ExperimentSpec } from '../engine/view.js';
import type { BackendChoice } from '../engine/view.js';
import { Interrupts } from './interrupt.js';
import { describeFsError } from './load-specs.js';
import { ProgressBar } from './progress-bar.js';
import { formatResult, resultForStdout } from './train-format.js';
import { loadExperiment, loadExperiments } from './load-experiment.js';
import { parsePointSelection, pointFromEnv } from './point-selection.js';
import { trainPoints, workerCount } from './train-points.js';
import { readManifest, taskPoints } from '../engine/index.js';
import { errorMessage } from '../engine/view.js';

/** The options of `emn train`, parsed (cli/commands.ts declares them). */
export interface TrainArgs {
    /** Runs kept per experiment in the history (default 20). */
    history?: number;
    file: string;
    experiment?: string;
    backend: BackendChoice;
    json: boolean;
    out?: string;
    plan: boolean;
    /** --point K|K1,K2|K1-K2: train only these sweep points, one point file each. */
    point?: string;
    pointFromEnv?: boolean;
    /** A Slurm submission's manifest and array number: the environment's array index is then a task of that array. */
    manifest?: string;
    manifestArray?: number;
    /** Threads for a sweep's points; undefined: chosen by the calibrated cost model (chooseWorkers). */
    workers?: number;
    /** Threads for one run, split by rows; undefined: chosen by the cost model (chooseSplitThreads). */
    split?: number;
}

const NOTHING_TRAINED = 'nothing was trained';

export async function runTrainCommand(parsed: TrainArgs): Promise<number> {
    if (parsed.point !== undefined || parsed.pointFromEnv) return runPointsCommand(parsed);
    const loaded = await loadExperiments('emn train', parsed.file, parsed.experiment, NOTHING_TRAINED, { tooBigIsFine: parsed.plan });
    if (typeof loaded === 'number') return loaded;
    const specs = loaded.chosen;

    if (parsed.plan) {
        // every experiment of the file with a result of its current plan calibrates the time estimate
        const store = new ResultsStore(parsed.out ? resolve(parsed.out) : undefined);
        const trained = loaded.all.flatMap(spec => {
            const result = store.load(parsed.file, spec.name).result;
            try {
                return result && result.planHash === compileExperimentPlan(spec).hash ? [{ spec, result }] : [];
            } catch {
                return [];
            }
        });
        return printPlans(specs, parsed.json, calibrate(trained));
    }
    // a spec too big to train stopped above, at its error (the validator's, which `emn check` prints alike)

    const store = new ResultsStore(parsed.out ? resolve(parsed.out) : undefined);
    // before anything trains: results that cannot be written would be lost after the whole run
    const unwritable = unwritableFolder(store.folder(parsed.file));
    if (unwritable) {
        process.stderr.write(`emn train: cannot write results to ${store.folder(parsed.file)}: ${unwritable}; nothing was trained\n`);
        return 1;
    }
    const bar = ProgressBar.enabled(process.stderr, parsed.json) ? new ProgressBar(process.stderr) : undefined;
    const interrupts = new Interrupts(line => {
        bar?.clear();
        process.stderr.write(`emn train: ${line}\n`);
    });
    const finished: ExperimentResult[] = [];
    const repository = openResults(store, parsed.file);
    let failed = false;
    // one pool for every experiment of the file: its workers stay warm between them (loading tfjs takes a while)
    const workers = new TrainingWorkerClient();
    try {
        for (const spec of specs) {
            process.stderr.write(`emn train: training ${spec.name}\n`);
            let trained: TrainedRun;
            try {
                const plan = compileExperimentPlan(spec);
                const threads =
                    parsed.workers ??
                    chooseWorkers(
                        plan.points.map(p => estimatePointSeconds(p.plan)),
                        availableParallelism(),
                    );
                trained = await trainAndSave(plan, repository, {
                    pool: workers,
                    train: {
                        backend: parsed.backend,
                        kernels: kernelPreference(),
                        workers: threads,
                        split: parsed.split,
                        hostTrains: true,
                        signal: interrupts.signalled,
                        onProgress: p => bar?.update(p),
                    },
                    keep: { advice: { lr: spec.optimizer.lr }, specText: readFileSync(parsed.file, 'utf8'), historyLimit: parsed.history },
                    whileSaving: write => interrupts.whileSaving(write),
                });
            } catch (err) {
                bar?.clear();
                process.stderr.write(`emn train: ${spec.name}: ${errorMessage(err)}\n`);
                failed = true;
                if (failureReason(err) === 'backend-unavailable') break;
                continue;
            }
            bar?.clear();
            const result = trained.result;
            finished.push(result);
            let report: string[];
            if ('kept' in trained) {
                if (trained.kept.outcome !== 'completed') failed = true;
                report = trained.kept.report;
            } else {
                failed = true;
                report = [`results NOT saved: ${trained.notSaved}`];
                process.stderr.write(`emn train: ${spec.name}: ${report[0]}\n`);
            }
            if (!parsed.json) process.stdout.write(`${formatResult(result)}\n${report.map(l => `  ${l}\n`).join('')}\n`);
            if (interrupts.signalled.aborted) break;
        }
    } finally {
        interrupts.dispose();
        await workers.dispose();
    }
    if (parsed.json && finished.length > 0) {
        const out = finished.length === 1 ? resultForStdout(finished[0]) : finished.map(resultForStdout);
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    }
    return failed ? 2 : 0;
}

/** `--point` / `--point-from-env` (with `--manifest`, a task's points): the chosen points of one experiment, each to its own point file. */
async function runPointsCommand(parsed: TrainArgs): Promise<number> {
    const fail = (message: string) => {
        process.stderr.write(`emn train: ${message}\nrun 'emn train --help' for options and exit codes\n`);
        return 1;
    };
    if (!parsed.experiment) return fail('--point needs --experiment NAME (the sweep whose points to train)');
    if (parsed.plan) return fail('--plan trains nothing; it takes no --point');
    if (parsed.point !== undefined && parsed.pointFromEnv) return fail('give --point or --point-from-env, not both');
    if (
        (parsed.manifest === undefined) !== (parsed.manifestArray === undefined) ||
        (parsed.manifest !== undefined && !parsed.pointFromEnv)
    ) {
        return fail('--manifest FILE goes with --manifest-array A and --point-from-env (the array index is a task of the manifest)');
    }
    if (parsed.manifestArray !== undefined && !(Number.isInteger(parsed.manifestArray) && parsed.manifestArray >= 0)) {
        return fail('--manifest-array takes an array number (0, 1, ...)');
    }
    const selection = parsed.pointFromEnv ? pointFromEnv() : parsePointSelection(parsed.point!);
    if (typeof selection === 'string') return fail(selection);
    let indices = Array.isArray(selection) ? selection : selection.indices;
    if (parsed.manifest !== undefined) {
        const manifest = readManifest(parsed.manifest);
        if (typeof manifest === 'string') return fail(manifest);
        if (manifest.experiment !== parsed.experiment)
            return fail(`the manifest ${parsed.manifest} is of experiment ${manifest.experiment}, not ${parsed.experiment}`);
        const points = taskPoints(manifest, parsed.manifestArray!, indices[0]);
        if (typeof points === 'string') return fail(points);
        indices = points;
    }
    const spec = await loadExperiment('emn train', parsed.file, parsed.experiment);
    if (typeof spec === 'number') return spec;
    const store = new ResultsStore(parsed.out ? resolve(parsed.out) : undefined);
    return trainPoints(spec, indices, {
        specPath: parsed.file,
        store,
        backend: parsed.backend,
        json: parsed.json,
        workers: workerCount(parsed.workers ?? availableParallelism()),
        split: parsed.split,
        // an array task (perhaps requeued) does not redo the points it wrote; --point by hand trains what it is told
        skipTrained: parsed.pointFromEnv,
    });
}

/** Why results cannot go into `folder` (a file in the way, no permission), or undefined when they can. */
function unwritableFolder(folder: string): string | undefined {
    for (let at = folder; ; at = dirname(at)) {
        let isDirectory: boolean;
        try {
            isDirectory = statSync(at).isDirectory();
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT' && dirname(at) !== at) continue;
            return describeFsError(err);
        }
        if (!isDirectory) return `${at} is a file, not a folder`;
        try {
            accessSync(at, constants.W_OK);
        } catch {
            return `${at} is not writable`;
        }
        return undefined;
    }
}

/** `--plan`: the ExperimentPlan of each experiment, as the editor's Show Compiled Graph renders it (or its JSON). */
function printPlans(specs: ExperimentSpec[], json: boolean, calibration: Calibration): number {
    const plans: ExperimentPlan[] = [];
    try {
        for (const spec of specs) plans.push(compileExperimentPlan(spec));
    } catch (err) {
        process.stderr.write(`emn train: ${errorMessage(err)}\n`);
        return 1;
    }
    const previews = specs.map(spec => previewSweep(spec, calibration));
    if (json) {
        const withPreview = plans.map((plan, k) => ({
            ...plan,
            preview: {
                points: previews[k].points,
                seconds: previews[k].seconds,
                flopsPerSecond: calibration.flopsPerSecond,
                calibration: calibration.basis,
            },
        }));
        process.stdout.write(JSON.stringify(withPreview.length === 1 ? withPreview[0] : withPreview, null, 2) + '\n');
        return 0;
    }
    const headline = (k: number) => `${specs[k].name}: ${previewText(previews[k])} (at ${rateText(calibration)}, ${calibration.basis})\n\n`;
    process.stdout.write(plans.map((plan, k) => headline(k) + renderPlan(plan)).join('\n'));
    return 0;
}
