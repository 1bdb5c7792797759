// The hard bound on what training accepts: a spec estimated to need more memory per step is refused with the estimate (an error in check
// too).
import type { ExperimentSpec } from '../spec/spec-types.js';
import { formatBytes } from '../format-numbers.js';
import { estimateCost, LAPTOP_LIMITS, type CostEstimate } from './cost-estimate.js';

/**
 * Bytes one training step may need. Above it a run would exhaust the machine (tfjs allocates every batch tensor
 * at once) and could take the language server down with it, so training is refused before a worker starts.
 * The validator says the same as an error, so `emn check`, the editor and `emn train` agree on what trains.
 */
export const MAX_TRAINING_BYTES_PER_STEP = LAPTOP_LIMITS.bytes;

/** Why the experiment is too big to train ("needs about 11.5 GB per step ..."), or undefined when it fits. */
export function memoryRefusal(
    spec: ExperimentSpec,
    limit = MAX_TRAINING_BYTES_PER_STEP,
    cost: CostEstimate = estimateCost(spec),
): string | undefined {
    const bytes = cost.bytesPerStep;
    // written so that NaN (an estimate of absurd numbers) fails the test and is refused too
    if (bytes <= limit) return undefined;
    return `needs about ${formatBytes(bytes)} of memory per training step, more than the ${formatBytes(limit)} training allows: lower size, width, masking or batch`;
}
