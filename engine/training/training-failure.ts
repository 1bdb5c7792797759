// Why a training run ended without a result, as a type callers branch on (never on a message's text).
/** `out-of-memory`: a worker thread went past its heap limit (the run's `memoryLimitMB`) and V8 ended it. */
export type TrainingFailureReason = 'backend-unavailable' | 'busy' | 'worker-failed' | 'out-of-memory';

export class TrainingFailure extends Error {
    constructor(
        readonly reason: TrainingFailureReason,
        message: string,
    ) {
        super(message);
        this.name = 'TrainingFailure';
    }
}

const REASONS: readonly TrainingFailureReason[] = ['backend-unavailable', 'busy', 'worker-failed', 'out-of-memory'];

/**
 * The reason of any thrown value: a TrainingFailure says its own; anything else is a worker that failed. Checked by
 * shape, not instanceof: the tfjs bundle (dist/training-tfjs.cjs) has its own copy of the class.
 */
export function failureReason(err: unknown): TrainingFailureReason {
    const reason = (err as { reason?: unknown } | undefined)?.reason;
    return err instanceof Error && REASONS.includes(reason as TrainingFailureReason) ? (reason as TrainingFailureReason) : 'worker-failed';
}
