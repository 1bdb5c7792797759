// Why a training run ended without a result, as a type callers branch on (never on a message's text).
export type TrainingFailureReason = 'backend-unavailable' | 'busy' | 'worker-failed';

export class TrainingFailure extends Error {
    constructor(readonly reason: TrainingFailureReason, message: string) {
        super(message);
        this.name = 'TrainingFailure';
    }
}

/** The reason of any thrown value: a TrainingFailure says its own; anything else is a worker that failed. */
export function failureReason(err: unknown): TrainingFailureReason {
    return err instanceof TrainingFailure ? err.reason : 'worker-failed';
}
