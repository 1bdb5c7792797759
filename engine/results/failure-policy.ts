// What a finished run leaves behind, the same for the CLI and the editor: the verdict of a failure, which files are written, kept or
// removed.
import { formatNumber, formatPoint, num, plural } from '../format-numbers.js';
import { pointOf } from '../metric-labels.js';
import type { ExperimentResult } from './result-types.js';
import type { ResultsStore } from './results-store.js';

/*
 * The policy (docs/results-format.md):
 * - a good run (every point ran its steps or reached its target) writes <experiment>.json and removes an older
 *   <experiment>.last-failure.json, which would otherwise keep warning about a run that is no longer the latest;
 * - a diverged or cancelled run writes <experiment>.last-failure.json (result plus verdict) and leaves
 *   <experiment>.json alone: the last good result is kept, and the report says so only when there is one;
 * - a sweep in which some points diverged and the others trained (nothing cancelled) also writes <experiment>.json,
 *   so the good points are results; the diverged points stay in it, marked `stopped: "diverged"`.
 */

export type RunOutcome = 'completed' | 'diverged' | 'cancelled';

/** What the verdict of a divergence can advise: the optimiser's learning rate. */
export interface Advice {
    lr: number;
}

function outcomeOf(result: ExperimentResult): RunOutcome {
    return result.stopped === 'diverged' ? 'diverged' : result.stopped === 'cancelled' ? 'cancelled' : 'completed';
}

/** A diverged run's lr is divided by this: an order of magnitude usually tames an exploding loss. */
const LR_FACTOR = 10;

/** The lr to try after a divergence, with at most 3 significant digits (0.02 -> 0.002): the advice's and the quick fix's. */
export function smallerLr(lr: number): number {
    return Number((lr / LR_FACTOR).toPrecision(3));
}

function lowerLr(advice: Advice): string {
    return `lower lr (now ${formatNumber(advice.lr)}), e.g. to ${formatNumber(smallerLr(advice.lr))}`;
}

/**
 * A diverged or cancelled run: what happened, in which point, at which step, with which loss, and what to change.
 * It starts with "diverged" or "cancelled", so "training " + verdict reads as a sentence.
 */
export function verdictOf(result: ExperimentResult, advice: Advice): string | undefined {
    const outcome = outcomeOf(result);
    if (outcome === 'completed') return undefined;
    const runs = result.runs;
    const total = (runs?.length ?? 0) + (result.notRun?.length ?? 0);
    const notRun = result.notRun?.length ? `; ${result.notRun.length} of ${total} points not run` : '';
    if (outcome === 'cancelled') {
        if (!runs) return `cancelled at step ${result.steps}`;
        const k = runs.findIndex(r => r.stopped === 'cancelled');
        const at = k >= 0 ? ` in ${pointOf(k, total)} (${formatPoint(runs[k].params)}) at step ${runs[k].steps}` : '';
        return `cancelled${at}${notRun}`;
    }
    if (!runs) {
        const at = result.divergedAt;
        return `diverged${at ? ` at step ${at.step} (loss ${num(at.loss)})` : ''}: ${lowerLr(advice)}`;
    }
    const failed = runs.map((r, k) => ({ r, k })).filter(({ r }) => r.stopped === 'diverged');
    const { r, k } = failed[0];
    const at = r.divergedAt ? ` at step ${r.divergedAt.step} (loss ${num(r.divergedAt.loss)})` : '';
    // a swept lr: the advice is about the point's own
    if (typeof r.params.lr === 'number') advice = { ...advice, lr: r.params.lr };
    const more =
        failed.length > 1
            ? `; ${failed.length - 1} more point${failed.length > 2 ? 's' : ''} diverged (${failed
                  .slice(1)
                  .map(f => f.k)
                  .join(', ')})`
            : '';
    const good = runs.length - failed.length;
    const kept = good > 0 ? `; the other ${plural(good, 'point')} trained` : '';
    return `diverged in ${pointOf(k, total)} (${formatPoint(r.params)})${at}: ${lowerLr(advice)}${more}${kept}${notRun}`;
}

/** A sweep whose failure is divergence only, with at least one good point: those points are worth keeping as results. */
function keepsGoodPoints(result: ExperimentResult): boolean {
    return (
        result.stopped === 'diverged' &&
        !result.notRun?.length &&
        (result.runs ?? []).some(r => r.stopped === 'steps' || r.stopped === 'target') &&
        !(result.runs ?? []).some(r => r.stopped === 'cancelled')
    );
}

export interface SavedRun {
    outcome: RunOutcome;
    verdict?: string;
    /** The result file, when this run wrote it. */
    resultPath?: string;
    /** The last-failure file, when this run wrote it. */
    failurePath?: string;
    /** The earlier good result left in place by a failure (absent when there was none, or this run replaced it). */
    kept?: { path: string; finishedAt: string };
    /** A good run removed an older last-failure file. */
    removedFailure: boolean;
    /** For a person, one fact a line: where things were saved and what was kept. */
    report: string[];
}

function when(iso: string): string {
    return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Saves a finished run by the policy above; sets `result.verdict` on a failure. Throws when a file cannot be written. */
export function saveRun(store: ResultsStore, specPath: string, result: ExperimentResult, advice: Advice): SavedRun {
    const outcome = outcomeOf(result);
    // what a writer killed mid-write left here is cleared before this run writes (a live writer's file stays)
    store.removeAbandonedTemps(specPath);
    if (outcome === 'completed') {
        const saved = store.save(specPath, result, 'result');
        const removedFailure = store.removeFailure(specPath, result.experiment);
        return {
            outcome,
            resultPath: saved.path,
            removedFailure,
            report: [`saved ${saved.path}`, ...(removedFailure ? ['an older last-failure file was removed'] : [])],
        };
    }
    // keepRun has given it already (the history records it first); a direct call works it out here
    const verdict = result.verdict ?? verdictOf(result, advice)!;
    result.verdict = verdict;
    const previous = store.load(specPath, result.experiment).result;
    const failure = store.save(specPath, result, 'failure');
    const report = [`training ${verdict}`, `saved to ${failure.path}`];
    if (keepsGoodPoints(result)) {
        const saved = store.save(specPath, result, 'result');
        report.push(`the trained points were saved to ${saved.path}, the diverged ones marked "diverged"`);
        return { outcome, verdict, failurePath: failure.path, resultPath: saved.path, removedFailure: false, report };
    }
    const kept = previous ? { path: store.resultPath(specPath, result.experiment), finishedAt: previous.finishedAt } : undefined;
    report.push(
        kept ? `the last good result (trained ${when(kept.finishedAt)}) was kept: ${kept.path}` : 'there is no earlier good result',
    );
    return { outcome, verdict, failurePath: failure.path, ...(kept ? { kept } : {}), removedFailure: false, report };
}

/** A divergence recorded on disk that is still the latest word on an experiment (the editor shows it after a reload). */
export interface StandingFailure {
    outcome: 'diverged';
    message: string;
    /** Plan hash of what diverged: the caller hides it once the spec changed (ResultsStore.isStale). */
    planHash: string;
}

/**
 * The last-failure file of an experiment when it records a divergence newer than the good result (if any). A cancel
 * is the user's own act and no warning. Unreadable files count as none: the result's own warning covers them.
 */
export function standingFailure(store: ResultsStore, specPath: string, experiment: string): StandingFailure | undefined {
    const failed = store.loadFailure(specPath, experiment).result;
    if (!failed || failed.stopped !== 'diverged') return undefined;
    const good = store.load(specPath, experiment).result;
    // a partial sweep is saved in both files: the same run, still a standing failure
    if (good && good.finishedAt > failed.finishedAt) return undefined;
    return { outcome: 'diverged', message: `training ${failed.verdict ?? 'diverged'}`, planHash: failed.planHash };
}
