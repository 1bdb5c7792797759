// How runs ended: keeps a result by the engine's one path after training (failure policy + history), remembers the last failure.
import { TrainingFinishedNotification, type TrainingFinishedParams } from '../../protocol.js';
import { ignore } from '../../../engine/view.js';
import type { ExperimentResult } from '../../../engine/view.js';
import type { EmnServices } from '../../emn-module.js';
import { URI } from 'langium';
import { failureReason, type KeptRun } from '../../../engine/index.js';
import type { ActiveRun } from './training-run-queue.js';
import { errorMessage } from '../../../engine/view.js';
import { runKey } from '../../../engine/view.js';
import { readFileSync } from 'node:fs';

/** The last run that went wrong, shown as a diagnostic until the spec changes or a run succeeds. */
export interface FailedOutcome {
    outcome: 'diverged' | 'failed';
    message: string;
    /** Plan hash of the text that was trained: a changed spec hides the diagnostic. */
    planHash: string;
}

export class TrainingOutcomes {
    protected readonly services: EmnServices;
    /**
     * By run key: the last failure, or null when there is none (known from a run or from the disk), with the state of
     * the result files it stands for: a run from the command line changes them, and the disk is read again.
     */
    protected readonly failures = new Map<string, { failure: FailedOutcome | null; files?: string }>();
    /** Saves are chained so two finishing runs never interleave their writes. */
    protected saving: Promise<unknown> = Promise.resolve();

    constructor(services: EmnServices) {
        this.services = services;
    }

    /** The last failure of an experiment: of a run of this server, else (after a reload) the divergence saved on disk. */
    async failure(uri: string, experiment: string): Promise<FailedOutcome | undefined> {
        const key = runKey(uri, experiment);
        const known = this.failures.get(key);
        // only in an editor (`emn check` reports the spec, not its runs), for a named experiment of a file on disk
        const parsed = URI.parse(uri);
        if (!this.services.shared.lsp.Connection || parsed.scheme !== 'file' || typeof experiment !== 'string' || experiment === '') {
            return known?.failure ?? undefined;
        }
        const settings = await this.services.training.Settings.settingsFor(uri);
        const results = this.services.training.TrainingEngine.results(parsed.fsPath, settings.resultsFolder);
        const files = results.stamp(experiment);
        // a run of this server is the word until the files change after it (it saved them itself just before)
        if (known && known.files === undefined) known.files = files;
        if (known?.files === files) return known.failure ?? undefined;
        const standing = results.standingFailure(experiment) ?? null;
        // a run that finished meanwhile knows better than the disk read before it
        if (this.failures.get(key) === known) this.failures.set(key, { failure: standing, files });
        return this.failures.get(key)?.failure ?? undefined;
    }

    /** Tells the client how a run (local, or a Slurm array) ended, logs a failure, and redraws lenses, hints and views. */
    async announce(run: ActiveRun, finished: TrainingFinishedParams): Promise<void> {
        const connection = this.services.shared.lsp.Connection;
        // a client gone mid-run must not become an unhandled rejection
        connection?.sendNotification(TrainingFinishedNotification, finished).catch(ignore);
        if (finished.outcome === 'failed') connection?.console.error(`${run.experiment}: ${finished.message}`);
        await this.services.training.Views.refreshViews(run.uri);
    }

    /** A run that threw (the worker crashed or could not start): where it died tells start-up from mid-run. */
    crashed(run: ActiveRun, err: unknown): TrainingFinishedParams {
        const at = run.progress ? ` at step ${run.progress.step}/${run.progress.steps}` : '';
        // a worker past its heap limit: name the setting that sets it
        const hint = failureReason(err) === 'out-of-memory' ? ': raise emn.training.workerMemoryMB, or lower size, width or batch' : '';
        const message = `training failed${at}: ${errorMessage(err)}${hint}`;
        this.failures.set(runKey(run.uri, run.experiment), { failure: { outcome: 'failed', message, planHash: run.plan.hash } });
        return { uri: run.uri, experiment: run.experiment, outcome: 'failed', message };
    }

    /** Saves the run by the failure policy shared with the CLI (results/failure-policy.ts) and says how it ended. */
    async conclude(
        run: ActiveRun,
        result: ExperimentResult,
        resultsFolder: string,
        historyLimit?: number,
    ): Promise<TrainingFinishedParams> {
        const ref = { uri: run.uri, experiment: run.experiment };
        const key = runKey(run.uri, run.experiment);
        // the result carries the hash of the text it trained on, so an edit during training shows as stale
        result.planHash = run.plan.hash;
        // a cancel that came as the run finished: the user asked for nothing to change
        if (run.cancelled && result.stopped !== 'cancelled') {
            return { ...ref, outcome: 'cancelled', message: `cancelled at step ${run.progress?.step ?? 0}; earlier results kept`, result };
        }
        const results = this.services.training.TrainingEngine.results(run.specPath, resultsFolder);
        // the engine's one path after training (failure policy, then history), as the CLI and Slurm collection take it
        const save = this.saving.then(() =>
            results.keep(result, {
                advice: { lr: run.spec.optimizer.lr },
                specText: run.specText ?? readFileSync(run.specPath, 'utf8'),
                plan: run.plan,
                historyLimit,
            }),
        );
        this.saving = save.catch(ignore);
        let saved: KeptRun;
        try {
            saved = await save;
            if (saved.historyError)
                this.services.shared.lsp.Connection?.console.warn(`${run.experiment}: run history not written: ${saved.historyError}`);
        } catch (err) {
            const message = `training finished but its results could not be saved: ${errorMessage(err)}`;
            this.failures.set(key, { failure: { outcome: 'failed', message, planHash: run.plan.hash } });
            return { ...ref, outcome: 'failed', message, result };
        }
        if (saved.outcome === 'completed') {
            this.failures.set(key, { failure: null });
            return { ...ref, outcome: 'completed', result };
        }
        const kept = saved.kept
            ? '; the last good result was kept'
            : saved.resultPath
              ? '; the trained points were saved'
              : '; there is no earlier good result';
        const message = `training ${saved.verdict}${kept}`;
        if (saved.outcome === 'diverged') this.failures.set(key, { failure: { outcome: 'diverged', message, planHash: run.plan.hash } });
        return { ...ref, outcome: saved.outcome, message, result };
    }
}
