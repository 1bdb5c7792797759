// How runs ended: classifies a result (completed, diverged, cancelled, failed), saves only good ones, remembers the last failure.
import type { TrainingFinishedParams } from '../../protocol.js';
import type { ExperimentResult } from '../../results/result-types.js';
import type { ExperimentSpec } from '../../spec/spec-types.js';
import type { EmnServices } from '../../emn-module.js';
import { pointName } from '../../results/failure-policy.js';
import { sci } from '../../format-numbers.js';
import type { ActiveRun } from './run-queue.js';
import { errorMessage, runKey } from './run-keys.js';

/** The last run that went wrong, shown as a diagnostic until the spec changes or a run succeeds. */
export interface FailedOutcome {
    outcome: 'diverged' | 'failed';
    message: string;
    /** Plan hash of the text that was trained: a changed spec hides the diagnostic. */
    planHash: string;
}

export class TrainingOutcomes {
    protected readonly services: EmnServices;
    protected readonly failures = new Map<string, FailedOutcome>();
    /** Saves are chained so two finishing runs never interleave their writes. */
    protected saving: Promise<void> = Promise.resolve();

    constructor(services: EmnServices) {
        this.services = services;
    }

    failure(uri: string, experiment: string): FailedOutcome | undefined {
        return this.failures.get(runKey(uri, experiment));
    }

    /** A run that threw (the worker crashed or could not start): where it died tells start-up from mid-run. */
    crashed(run: ActiveRun, err: unknown): TrainingFinishedParams {
        const at = run.progress ? ` at step ${run.progress.step}/${run.progress.steps}` : '';
        const message = `training failed${at}: ${errorMessage(err)}`;
        this.failures.set(runKey(run.uri, run.experiment), { outcome: 'failed', message, planHash: run.plan.hash });
        return { uri: run.uri, experiment: run.experiment, outcome: 'failed', message };
    }

    /** Classifies a result; saves it only when it is good (failures never replace earlier results). */
    async conclude(run: ActiveRun, result: ExperimentResult, resultsFolder: string): Promise<TrainingFinishedParams> {
        const ref = { uri: run.uri, experiment: run.experiment };
        const key = runKey(run.uri, run.experiment);
        // the result carries the hash of the text it trained on, so an edit during training shows as stale
        result.planHash = run.plan.hash;
        if (result.stopped === 'cancelled' || run.cancelled) {
            return { ...ref, outcome: 'cancelled', message: `cancelled at step ${run.progress?.step ?? 0}; earlier results kept`, result };
        }
        if (result.stopped === 'diverged') {
            const message = divergedMessage(result, run.spec);
            this.failures.set(key, { outcome: 'diverged', message, planHash: run.plan.hash });
            return { ...ref, outcome: 'diverged', message, result };
        }
        const engine = this.services.training.TrainingEngine;
        const save = this.saving.then(() => engine.save(run.specPath, resultsFolder, result));
        this.saving = save.catch(() => undefined);
        try {
            await save;
        } catch (err) {
            const message = `training finished but its results could not be saved: ${errorMessage(err)}`;
            this.failures.set(key, { outcome: 'failed', message, planHash: run.plan.hash });
            return { ...ref, outcome: 'failed', message, result };
        }
        this.failures.delete(key);
        return { ...ref, outcome: 'completed', result };
    }
}

/** "training diverged at step 212 (loss NaN): lower lr (now 5)" */
export function divergedMessage(result: ExperimentResult, spec: ExperimentSpec): string {
    const point = result.divergedAt ? undefined : result.runs?.find(r => r.stopped === 'diverged');
    const at = result.divergedAt ?? point?.divergedAt;
    const where = at ? ` at step ${at.step} (loss ${sci(at.loss)})` : '';
    const inPoint = point ? ` in sweep point ${pointName(point.params)}` : '';
    return `training diverged${where}${inPoint}: lower lr (now ${spec.optimizer.lr})`;
}
