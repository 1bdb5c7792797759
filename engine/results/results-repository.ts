// One experiment store behind one interface: load, keep (save + history by the failure policy), history, failure
// state and file stamps. The language server reaches results only through this, so a test can swap it for memory.
import { statSync } from 'node:fs';
import type { ExperimentPlan } from '../compiler/plan-types.js';
import type { ComparedRun } from './compare-runs.js';
import { type CurrentSettings, loadComparedRun } from './compared-run.js';
import { type Advice, type SavedRun, saveRun, type StandingFailure, standingFailure, verdictOf } from './failure-policy.js';
import type { ExperimentResult } from './result-types.js';
import { type LoadedResult, ResultsStore } from './results-store.js';
import { findRun, type HistoryEntry, listRuns, recordRun } from './run-history.js';
import { errorMessage } from '../error-message.js';

/** What a finished run needs to be kept: the advice for a divergence verdict, and what the history records. */
export interface KeepOptions {
    advice: Advice;
    /** The spec's text as trained (the history keeps it). */
    specText: string;
    plan: ExperimentPlan;
    /** Runs kept per experiment (default 20). */
    historyLimit?: number;
}

/** A kept run: how it was saved (failure policy), and its number in the history or why the history was not written. */
export interface KeptRun extends SavedRun {
    historyRun?: number;
    historyError?: string;
}

export interface ResultsRepository {
    /** The spec whose results these are, and the folder they live in (for messages). */
    readonly specPath: string;
    folder(): string;
    load(experiment: string): LoadedResult;
    /** A last-failure file's result (a diverged or cancelled run). */
    loadFailure(experiment: string): LoadedResult;
    /**
     * The one path after training (CLI, editor, Slurm collection): keeps the run in the history, then saves it by the
     * failure policy. A history that cannot be written is reported, not fatal; a result that cannot be saved throws
     * (the run is in the history then).
     */
    keep(result: ExperimentResult, options: KeepOptions): KeptRun;
    history(experiment: string): HistoryEntry[];
    /** A history run by reference (`7`, `latest`, `~1`), or why there is none. */
    findRun(experiment: string, ref: string): HistoryEntry | string;
    /** One side of a comparison: a history run, or (run undefined) the latest result with its settings. */
    compared(experiment: string, run: string | undefined, showFile: boolean, current: CurrentSettings): Promise<ComparedRun | string>;
    standingFailure(experiment: string): StandingFailure | undefined;
    /** The state (time and size, or absence) of the result and last-failure files: changes when a run writes them. */
    stamp(experiment: string): string;
    /** The store itself, for the Slurm code that writes point files and job records beside the results. */
    readonly store: ResultsStore;
}

/** The repository of a spec's results in `store` (the results folder of the spec, or `--out`). */
export function openResults(store: ResultsStore, specPath: string): ResultsRepository {
    return {
        specPath,
        store,
        folder: () => store.folder(specPath),
        load: experiment => store.load(specPath, experiment),
        loadFailure: experiment => store.loadFailure(specPath, experiment),
        keep: (result, options) => keepRun(store, specPath, result, options),
        history: experiment => listRuns(store, specPath, experiment),
        findRun: (experiment, ref) => findRun(store, specPath, experiment, ref),
        compared: (experiment, run, showFile, current) => loadComparedRun(store, specPath, experiment, run, showFile, current),
        standingFailure: experiment => standingFailure(store, specPath, experiment),
        stamp: experiment => [store.resultPath(specPath, experiment), store.failurePath(specPath, experiment)].map(fileStamp).join('|'),
    };
}

function keepRun(store: ResultsStore, specPath: string, result: ExperimentResult, options: KeepOptions): KeptRun {
    // the history first, with the verdict the policy will give: a result that cannot be saved is still not lost
    const verdict = verdictOf(result, options.advice);
    if (verdict) result.verdict = verdict;
    let historyRun: number | undefined;
    let historyError: string | undefined;
    try {
        historyRun = recordRun(store, specPath, result, {
            specText: options.specText,
            plan: options.plan,
            limit: options.historyLimit,
        })?.run;
    } catch (err) {
        historyError = errorMessage(err);
    }
    const saved: KeptRun = saveRun(store, specPath, result, options.advice);
    if (historyRun !== undefined) {
        saved.historyRun = historyRun;
        saved.report.push(`run ${historyRun} kept in the history (${result.experiment}@${historyRun})`);
    }
    if (historyError !== undefined) {
        saved.historyError = historyError;
        saved.report.push(`run history not written: ${historyError}`);
    }
    return saved;
}

function fileStamp(path: string): string {
    try {
        const st = statSync(path);
        return `${st.mtimeMs}:${st.size}`;
    } catch {
        return '-';
    }
}
