// The allowed range of every number in a spec, as rules that say what is wrong and which valid value is nearest (for quick fixes).
import { formatNumber, MAX_INTERACTION_ORDER } from '../../engine/view.js';

/** A range rule: `describe` completes "x must be ...", `allows` tests a value, `nearest` proposes a valid replacement. */
export interface ValueRule {
    readonly describe: string;
    allows(value: number): boolean;
    /**
     * The replacement a quick fix offers. Rules (documented for users in the quick fix title):
     * integers: non-integers round to the nearest integer, then values below the minimum become
     * the minimum (1 for counts, 0 for seeds); [0, 1): values >= 1 become 0.99, values < 0
     * become 0; > 0: a negative value loses its sign (a likely typo), zero becomes `fallback`.
     */
    nearest(value: number): number;
}

function integerAtLeast(min: number, describe: string): ValueRule {
    return {
        describe,
        allows: v => Number.isInteger(v) && v >= min,
        nearest: v => Math.max(min, Math.round(v)),
    };
}

export const positiveInteger = integerAtLeast(1, 'a positive integer');
export const nonNegativeInteger = integerAtLeast(0, 'a non-negative integer');
function integerFromTo(min: number, max: number): ValueRule {
    return {
        describe: `an integer from ${min} to ${max}`,
        allows: v => Number.isInteger(v) && v >= min && v <= max,
        nearest: v => Math.min(max, Math.max(min, Math.round(v))),
    };
}

/** `seeds N`: 1 to 1000 (more seeds than that is a sweep, not a spread). */
export const seedCount = integerFromTo(1, 1000);

/** `power k` and `masking k`: 1 to MAX_INTERACTION_ORDER (why: its definition). */
export const interactionOrder = integerFromTo(1, MAX_INTERACTION_ORDER);

/** [0, 1): probabilities that must leave some chance of the other outcome (sparsity, momentum, betas). */
export const unitInterval: ValueRule = {
    describe: 'in [0, 1)',
    allows: v => v >= 0 && v < 1,
    nearest: v => (v >= 1 ? 0.99 : 0),
};

/** > 0; `fallback` replaces a zero (a sign typo is fixed by dropping the sign). */
export function positiveReal(fallback: number): ValueRule {
    return {
        describe: '> 0',
        allows: v => v > 0 && Number.isFinite(v),
        nearest: v => (v < 0 ? -v : fallback),
    };
}

/** "size must be a positive integer; got 2.5" */
export function rangeMessage(label: string, rule: ValueRule, value: number): string {
    return `${label} must be ${rule.describe}; got ${formatNumber(value)}`;
}
