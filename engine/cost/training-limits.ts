// The hard bound on what training accepts: a spec estimated to need more memory per step is refused with the estimate.
import type { ExperimentSpec } from '../spec/spec-types.js';
import { formatBytes } from '../format-numbers.js';
import { estimateCost, LAPTOP_LIMITS } from './cost-estimate.js';

/**
 * Bytes one training step may need. Above it a run would exhaust the machine (tfjs allocates every batch tensor
 * at once) and could take the language server down with it, so training is refused before a worker starts.
 * Equal to the laptop bound of the validator's warning: a spec warned about is a spec that will not train.
 */
export const MAX_TRAINING_BYTES_PER_STEP = LAPTOP_LIMITS.bytes;

/** Why the experiment is too big to train ("needs about 11.5 GB per step ..."), or undefined when it fits. */
export function memoryRefusal(spec: ExperimentSpec, limit = MAX_TRAINING_BYTES_PER_STEP): string | undefined {
    const bytes = estimateCost(spec).bytesPerStep;
    // written so that NaN (an estimate of absurd numbers) fails the test and is refused too
    if (bytes <= limit) return undefined;
    return `needs about ${formatBytes(bytes)} of memory per training step, more than the ${formatBytes(limit)} training allows: lower size, width, masking or batch`;
}
