// The optimiser update as the step kernels take it (no tfjs): SGD's or Adam's parameters at a step, and its slots.
import type { OptimizerSpec } from '../spec/spec-types.js';
import type { OptimizerStep } from './emn-kernels.js';

/** The fused kernel's form of the same update at 1-based step t (fused-ops.ts), and its slots per weight. */
export function fusedOptimizer(spec: OptimizerSpec, t: number): { step: OptimizerStep; slotsPerWeight: number } {
    if (spec.kind === 'adam') {
        const lrT = (spec.lr * Math.sqrt(1 - spec.beta2 ** t)) / (1 - spec.beta1 ** t);
        return { step: { kind: 'adam', lrT, beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon }, slotsPerWeight: 2 };
    }
    return { step: spec, slotsPerWeight: spec.momentum > 0 ? 1 : 0 };
}
