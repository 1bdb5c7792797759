// Why a training run ended without a result, as a type callers branch on (never on a message's text).
export type TrainingFailureReason = 'backend-unavailable' | 'busy' | 'worker-failed';

export class TrainingFailure extends Error {
    constructor(
        readonly reason: TrainingFailureReason,
        message: string,
    ) {
        super(message);
        this.name = 'TrainingFailure';
    }
}

const REASONS: readonly TrainingFailureReason[] = ['backend-unavailable', 'busy', 'worker-failed'];

/**
 * The reason of any thrown value: a TrainingFailure says its own; anything else is a worker that failed. Checked by
 * shape, not instanceof: the tfjs bundle (dist/training-tfjs.cjs) has its own copy of the class.
 */
export function failureReason(err: unknown): TrainingFailureReason {
    const reason = (err as { reason?: unknown } | undefined)?.reason;
    return err instanceof Error && REASONS.includes(reason as TrainingFailureReason) ? (reason as TrainingFailureReason) : 'worker-failed';
}
