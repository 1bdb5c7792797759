// One side of a comparison from the results store: a history run (`EXP@RUN`) or the experiment's latest result, with the settings it
// trained with.
import { basename } from 'node:path';
import type { ComparedRun } from './compare-runs.js';
import { findRun, listRuns, runOfResult } from './run-history.js';
import type { ResultsStore } from './results-store.js';
import type { RunSettings } from './run-settings.js';

/** The spec's current settings and plan hash, or why there are none (asked only when no history run matches). */
export type CurrentSettings = () => Promise<{ settings: RunSettings; planHash: string } | string>;

/**
 * `run`: a history reference (`7`, `latest`, `~1`; run-history.ts findRun) or undefined for the experiment's result
 * file. The result file's settings are those of the history run it came from, else the spec's current ones (with a
 * note when the spec changed since). `showFile` adds the spec file to the label (the two sides are of different files).
 * Returns the side or why there is none, in the words `emn diff` and the editor both show.
 */
export async function loadComparedRun(
    store: ResultsStore,
    specPath: string,
    experiment: string,
    run: string | undefined,
    showFile: boolean,
    current: CurrentSettings,
): Promise<ComparedRun | string> {
    const file = basename(specPath);
    const where = showFile ? ` (${file})` : '';
    if (run !== undefined) {
        const entry = findRun(store, specPath, experiment, run);
        if (typeof entry === 'string') return entry;
        const r = entry.record!;
        return { label: `${experiment}@${r.run}${where}`, specFile: file, experiment, run: r.run, settings: r.settings, result: r.result };
    }
    const loaded = store.load(specPath, experiment);
    if (!loaded.result) return loaded.warning ?? `${experiment} has no result in ${store.folder(specPath)} (train it first)`;
    const result = loaded.result;
    // the history run this result came from has the exact settings; else the spec's own, when its plan is the result's
    const same = runOfResult(listRuns(store, specPath, experiment), result);
    if (same?.record)
        return {
            label: `${experiment}@${same.run}${where}`,
            specFile: file,
            experiment,
            run: same.run,
            settings: same.record.settings,
            result,
        };
    const now = await current();
    if (typeof now === 'string') return now;
    return {
        label: `${experiment}${where}`,
        specFile: file,
        experiment,
        settings: now.settings,
        result,
        ...(now.planHash !== result.planHash ? { settingsNote: "the spec changed since this result: settings are the spec's now" } : {}),
    };
}
