// The colour scale of the path weights E: |E - 1| on a log scale from 1e-8 (exact) to 1 (wrong), shared by hover and results view.
import { interpolateYlOrRd } from 'd3-scale-chromatic';

/** |E - 1| at or below this is drawn as exact (float32 training rarely gets closer). */
export const PATH_ERROR_MIN = 1e-8;
/** |E - 1| at or above this is drawn as wrong: the path computes nothing like A[i][j] x[j]. */
export const PATH_ERROR_MAX = 1;

/** Where |E - 1| sits on the log scale, 0 (exact) .. 1 (wrong); NaN and infinities are wrong. */
export function pathErrorPosition(e: number, target = 1): number {
    const err = Math.abs(e - target);
    if (!Number.isFinite(err)) return 1;
    const lo = Math.log10(PATH_ERROR_MIN),
        hi = Math.log10(PATH_ERROR_MAX);
    return Math.min(1, Math.max(0, (Math.log10(Math.max(err, PATH_ERROR_MIN)) - lo) / (hi - lo)));
}

/**
 * The colour of one path weight E: pale yellow where exact, through orange to dark red where off by 1 or more.
 * On a log scale a converged network (|E - 1| ~ 1e-6 .. 1e-3) still shows where it is least exact, and a failed
 * one stands out, where a linear scale around 1 drew a uniform pale square.
 */
export function pathErrorColour(e: number): string {
    return interpolateYlOrRd(pathErrorPosition(e));
}

/** The colour scale of E against another target value (a polynomial's exact E is its coefficient, not 1). */
export function pathErrorColourFor(target = 1): (e: number) => string {
    return e => interpolateYlOrRd(pathErrorPosition(e, target));
}
