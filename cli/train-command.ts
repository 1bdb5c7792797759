// `emn train`: checks the spec, compiles its experiments and trains them in a pool of worker threads; prints a table or JSON, saves results.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LangiumDocument } from 'langium';
import { compileExperimentPlan } from '../language-server/compiler/compile-sweep.js';
import { renderPlan } from '../language-server/compiler/plan-markdown.js';
import type { ExperimentPlan } from '../language-server/compiler/plan-types.js';
import { isExperiment, type Spec } from '../language-server/generated/ast.js';
import type { ExperimentResult } from '../language-server/results/result-types.js';
import { saveRun } from '../language-server/results/failure-policy.js';
import { ResultsStore } from '../language-server/results/results-store.js';
import { resolveExperiment } from '../language-server/spec/resolve-spec.js';
import type { ExperimentSpec } from '../language-server/spec/spec-types.js';
import type { BackendChoice } from '../language-server/training/backend.js';
import { TrainingWorkerClient } from '../language-server/training/worker-client.js';
import { memoryRefusal } from '../language-server/validation/training-limits.js';
import { printDiagnostics } from './check-command.js';
import { Interrupts } from './interrupt.js';
import { describeFsError, loadSpecs } from './load-specs.js';
import { ProgressBar } from './progress-bar.js';
import { formatResult } from './train-format.js';

/** The options of `emn train`, parsed (cli/commands.ts declares them). */
export interface TrainArgs {
    file: string;
    experiment?: string;
    backend: BackendChoice;
    json: boolean;
    out?: string;
    plan: boolean;
    /** Worker threads that train a sweep's points at once. */
    workers: number;
}

/** JSON for stdout: the design's fields; weights, path weights and loss curves stay in the results file. */
function forStdout(r: ExperimentResult): unknown {
    const { weights: _w, pathWeights: _p, lossCurve: _l, ...rest } = r;
    void _w; void _p; void _l;
    return {
        ...rest,
        ...(r.runs ? { runs: r.runs.map(({ weights: _a, pathWeights: _b, lossCurve: _c, ...p }) => { void _a; void _b; void _c; return p; }) } : {}),
    };
}

export async function runTrainCommand(parsed: TrainArgs): Promise<number> {
    const loaded = await loadSpecs([parsed.file]);
    const errors = printDiagnostics(loaded, line => process.stderr.write(line + '\n'));
    if (errors > 0 || loaded.documents.length === 0) {
        process.stderr.write(`emn train: ${parsed.file} has errors; nothing was trained\n`);
        return 1;
    }
    const doc = loaded.documents[0].document as LangiumDocument<Spec>;
    const all = doc.parseResult.value.declarations.filter(isExperiment);
    const chosen = parsed.experiment ? all.filter(e => e.name === parsed.experiment) : all;
    if (chosen.length === 0) {
        process.stderr.write(parsed.experiment
            ? `emn train: no experiment ${parsed.experiment} in ${parsed.file}; experiments: ${all.map(e => e.name).join(', ') || 'none'}\n`
            : `emn train: ${parsed.file} declares no experiment\n`);
        return 1;
    }
    const specs: ExperimentSpec[] = [];
    for (const e of chosen) {
        const spec = resolveExperiment(e);
        if (!spec) {
            process.stderr.write(`emn train: experiment ${e.name} cannot be resolved (missing learn)\n`);
            return 1;
        }
        specs.push(spec);
    }

    if (parsed.plan) return printPlans(specs, parsed.json);
    // before anything trains: a run that exhausts memory would be killed without a word
    for (const spec of specs) {
        const tooBig = memoryRefusal(spec);
        if (tooBig) {
            process.stderr.write(`emn train: ${spec.name} cannot train: ${tooBig}; nothing was trained\n`);
            return 1;
        }
    }

    const store = new ResultsStore(parsed.out ? resolve(parsed.out) : undefined);
    // before anything trains: results that cannot be written would be lost after the whole run
    const unwritable = unwritableFolder(store.folder(parsed.file));
    if (unwritable) {
        process.stderr.write(`emn train: cannot write results to ${store.folder(parsed.file)}: ${unwritable}; nothing was trained\n`);
        return 1;
    }
    const bar = ProgressBar.enabled(process.stderr, parsed.json) ? new ProgressBar(process.stderr) : undefined;
    const interrupts = new Interrupts(line => { bar?.clear(); process.stderr.write(`emn train: ${line}\n`); });
    const results: ExperimentResult[] = [];
    let failed = false;
    // one pool for every experiment of the file: its workers stay warm between them (loading tfjs takes a while)
    const workers = new TrainingWorkerClient();
    try {
        for (const spec of specs) {
            process.stderr.write(`emn train: training ${spec.name}\n`);
            let result: ExperimentResult;
            try {
                result = await workers.train(compileExperimentPlan(spec), {
                    backend: parsed.backend, workers: parsed.workers, signal: interrupts.signalled, onProgress: p => bar?.update(p),
                });
            } catch (err) {
                bar?.clear();
                process.stderr.write(`emn train: ${spec.name}: ${err instanceof Error ? err.message : String(err)}\n`);
                failed = true;
                if (/backend .* is not available/.test(String(err))) break;
                continue;
            }
            bar?.clear();
            results.push(result);
            let report: string[];
            try {
                const saved = interrupts.whileSaving(() => saveRun(store, parsed.file, result, { lr: spec.optimizer.lr }));
                if (saved.outcome !== 'completed') failed = true;
                report = saved.report;
            } catch (err) {
                failed = true;
                report = [`results NOT saved: ${err instanceof Error ? err.message : String(err)}`];
                process.stderr.write(`emn train: ${spec.name}: ${report[0]}\n`);
            }
            if (!parsed.json) process.stdout.write(`${formatResult(result)}\n${report.map(l => `  ${l}\n`).join('')}\n`);
            if (interrupts.signalled.aborted) break;
        }
    } finally {
        interrupts.dispose();
        await workers.dispose();
    }
    if (parsed.json && results.length > 0) {
        const out = results.length === 1 ? forStdout(results[0]) : results.map(forStdout);
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    }
    return failed ? 2 : 0;
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
function printPlans(specs: ExperimentSpec[], json: boolean): number {
    const plans: ExperimentPlan[] = [];
    try {
        for (const spec of specs) plans.push(compileExperimentPlan(spec));
    } catch (err) {
        process.stderr.write(`emn train: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
    }
    if (json) {
        process.stdout.write(JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2) + '\n');
        return 0;
    }
    process.stdout.write(plans.map(renderPlan).join('\n'));
    return 0;
}
