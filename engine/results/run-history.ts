// Every run of an experiment, kept in the results store beside its latest result: .emn-results/<spec>/<experiment>.history/run-NNNN.json.
import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentPlan } from '../compiler/plan-types.js';
import type { ExperimentResult } from './result-types.js';
import {
    decodeResult,
    encodeResult,
    readStoreFile,
    sanitizeName,
    writeAtomically,
    type FileKind,
    type ResultsStore,
} from './results-store.js';
import { planSettings, type RunSettings } from './run-settings.js';

/*
 * Rules (ours):
 * - One file per finished run (completed or diverged; a cancelled run is not kept: the user asked for it to stop),
 *   numbered 1, 2, 3, ... per experiment; a number is never reused, so `EXP@7` names the same run for as long as it is kept.
 * - At most `limit` runs are kept (the setting emn.results.history, `emn train --history N`; default 20): the oldest go.
 * - The experiment's result file (<experiment>.json) stays what the lens, hints and hover read; history is beside it.
 * - A run file holds the result (weights included), the spec text it trained on, its plan hash and its settings in
 *   the spec's words (run-settings.ts), so a later comparison needs neither the old spec nor a compiler.
 */

export const DEFAULT_HISTORY_LIMIT = 20;
// version 2 with the results file: params may hold names
const RUN_FILE: FileKind = { format: 'emn-run', version: 2, name: 'run', holds: 'run' };

export interface RunRecord {
    format: string;
    version: number;
    run: number;
    experiment: string;
    specFile: string;
    specText: string;
    planHash: string;
    backend: string;
    startedAt: string;
    finishedAt: string;
    stopped: string;
    settings: RunSettings;
    result: ExperimentResult;
}

export interface HistoryEntry {
    run: number;
    path: string;
    record?: RunRecord;
    /** Why the file could not be used. */
    warning?: string;
}

function historyFolder(store: ResultsStore, specPath: string, experiment: string): string {
    return join(store.folder(specPath), `${sanitizeName(experiment)}.history`);
}

function runNumbers(folder: string): number[] {
    let names: string[];
    try {
        names = readdirSync(folder);
    } catch {
        return [];
    }
    return names
        .map(n => /^run-(\d+)\.json$/.exec(n))
        .filter((m): m is RegExpExecArray => m !== null)
        .map(m => Number(m[1]))
        .sort((a, b) => a - b);
}

const runFile = (folder: string, run: number) => join(folder, `run-${String(run).padStart(4, '0')}.json`);

/**
 * Keeps a finished run; drops the oldest beyond `limit`. Returns the run's number and file (undefined for a cancelled run). Throws when it
 * cannot write.
 */
export function recordRun(
    store: ResultsStore,
    specPath: string,
    result: ExperimentResult,
    info: { specText: string; plan: ExperimentPlan; limit?: number },
): { run: number; path: string } | undefined {
    // the CLI and the server both keep runs through here, so both leave a cancelled run out
    if (result.stopped === 'cancelled') return undefined;
    const escape = store.escape(specPath);
    if (escape) throw new Error(`refusing to write history: ${escape}`);
    const folder = historyFolder(store, specPath, result.experiment);
    const existing = runNumbers(folder);
    const run = (existing[existing.length - 1] ?? 0) + 1;
    const path = runFile(folder, run);
    const record = {
        format: RUN_FILE.format,
        version: RUN_FILE.version,
        run,
        experiment: result.experiment,
        specFile: specPath.split(/[\\/]/).pop() ?? specPath,
        specText: info.specText,
        planHash: result.planHash,
        backend: result.backend,
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
        stopped: result.stopped,
        settings: planSettings(info.plan),
        result: encodeResult(result),
    };
    writeAtomically(path, JSON.stringify(record));
    const limit = Math.max(1, info.limit ?? DEFAULT_HISTORY_LIMIT);
    for (const old of [...existing, run].slice(0, Math.max(0, existing.length + 1 - limit))) {
        try {
            unlinkSync(runFile(folder, old));
        } catch {
            /* gone already: nothing to bound */
        }
    }
    return { run, path };
}

function readRun(path: string, run: number): HistoryEntry {
    return {
        run,
        path,
        ...readStoreFile(path, RUN_FILE, file => ({ record: { ...(file as unknown as RunRecord), result: decodeResult(file.result) } })),
    };
}

/** The kept runs, oldest first. */
export function listRuns(store: ResultsStore, specPath: string, experiment: string): HistoryEntry[] {
    if (store.escape(specPath)) return [];
    const folder = historyFolder(store, specPath, experiment);
    // a run file gone since the listing (the history limit pruned it meanwhile) is no longer kept
    return runNumbers(folder)
        .map(run => readRun(runFile(folder, run), run))
        .filter(e => e.record || e.warning);
}

/**
 * The kept run an experiment's result file came from (same plan, same finish); undefined when none is kept (or the newest run failed and
 * the result is an older good one that was pruned).
 */
export function runOfResult(runs: HistoryEntry[], result: Pick<ExperimentResult, 'planHash' | 'finishedAt'>): HistoryEntry | undefined {
    return [...runs].reverse().find(e => e.record && e.record.planHash === result.planHash && e.record.finishedAt === result.finishedAt);
}

/**
 * A run by reference: `7` (run 7), `latest`, `~1` (the run before the latest), `~2`, ...
 * Returns the entry or why there is none ("no run 3 of Paper (kept: 5-24)").
 */
export function findRun(store: ResultsStore, specPath: string, experiment: string, ref: string): HistoryEntry | string {
    const folder = historyFolder(store, specPath, experiment);
    const runs = store.escape(specPath) ? [] : runNumbers(folder);
    if (runs.length === 0) return `${experiment} has no run history (train it first; history is kept from this version on)`;
    const kept = runs.length === 1 ? `${runs[0]}` : `${runs[0]}-${runs[runs.length - 1]}`;
    let run: number | undefined;
    const back = /^~(\d+)$/.exec(ref);
    if (ref === 'latest') run = runs[runs.length - 1];
    else if (back) run = runs[runs.length - 1 - Number(back[1])];
    else if (/^\d+$/.test(ref)) run = runs.includes(Number(ref)) ? Number(ref) : undefined;
    else return `'${ref}' is not a run: give a run number, latest, or ~K (K runs before the latest)`;
    if (run === undefined) return `no run ${ref} of ${experiment} (kept: ${kept})`;
    const entry = readRun(runFile(folder, run), run);
    return entry.record ? entry : (entry.warning ?? `no run ${ref} of ${experiment} (kept: ${kept})`);
}
