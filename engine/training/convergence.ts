// What a point's loss readings say at a glance: the convergence verdict and the first step below each decade (no tfjs).
import type { Convergence, ConvergenceInfo, StopReason } from '../results/result-types.js';

/**
 * The rule's numbers (docs/studies.md "Convergence verdicts"). Every loss reading of the run is used (not the
 * subsampled curve); under metaEpochs the readings of each meta-epoch are averaged first (in log10), since a
 * meta-epoch's curve is a sawtooth (the loss jumps at every change of mask).
 */
export const CONVERGENCE_RULE = {
    /** Fewer readings than this (joint) say nothing: `too-short`. */
    minReadings: 10,
    /** Fewer meta-epochs than this say nothing: `too-short`. */
    minMetaEpochs: 3,
    /** The last third of the readings is cut into this many windows; their medians of log10(loss) carry the slope. */
    windows: 5,
    /** A floor: doubling the steps would gain less than this many decades of loss. */
    floorGainDecades: 0.05,
    /** ...or the gain is within this many standard errors of 0 (noise, not progress). */
    significance: 2.5,
    /** The threshold when the experiment has no stop rule. */
    defaultThreshold: 1e-6,
} as const;

/** The decades whose first crossing a result records: 1e-2 ... 1e-10. */
export const LOSS_DECADES = [2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export interface ConvergenceJudgement {
    convergence: Convergence;
    info?: ConvergenceInfo;
}

const log10Loss = (loss: number) => Math.log10(Math.max(loss, 1e-30));

function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** [log2 step, log10 loss] per reading; under metaEpochs one averaged point per meta-epoch of `period` steps. */
function series(reads: readonly [number, number][], period: number | undefined): [number, number][] {
    const finite = reads.filter(([, loss]) => Number.isFinite(loss));
    if (!period) return finite.map(([step, loss]) => [Math.log2(step), log10Loss(loss)]);
    const groups = new Map<number, { step: number; sum: number; count: number }>();
    for (const [step, loss] of finite) {
        const g = Math.ceil(step / period);
        const entry = groups.get(g) ?? { step, sum: 0, count: 0 };
        entry.step = Math.max(entry.step, step);
        entry.sum += log10Loss(loss);
        entry.count++;
        groups.set(g, entry);
    }
    return [...groups.values()].map(g => [Math.log2(g.step), g.sum / g.count]);
}

/** Least-squares slope of y on x, and the spread of x (sum of squared deviations). */
function slopeOf(points: [number, number][]): { slope: number; sxx: number } {
    const mx = points.reduce((s, p) => s + p[0], 0) / points.length;
    const my = points.reduce((s, p) => s + p[1], 0) / points.length;
    let sxy = 0,
        sxx = 0;
    for (const [x, y] of points) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) ** 2;
    }
    return { slope: sxx > 0 ? sxy / sxx : 0, sxx };
}

/**
 * The verdict of one point. diverged, cancelled and target come from how the run stopped. Otherwise, over the last
 * third of the readings (at least 3): the medians of log10(loss) in 5 windows give a slope against log2(step), i.e.
 * the decades one more doubling of the steps would gain. A last median below the threshold is `target`; a gain
 * below 0.05 decades, or within 2.5 standard errors of 0 (the readings' own scatter: noise, not progress), is
 * `floor`; else `improving`. Fewer than 10 readings (3 meta-epochs) are `too-short`.
 */
export function judgeConvergence(
    stopped: StopReason,
    reads: readonly [number, number][],
    threshold: number,
    metaEpochSteps?: number,
): ConvergenceJudgement {
    if (stopped === 'diverged' || stopped === 'cancelled' || stopped === 'target') return { convergence: stopped };
    const points = series(reads, metaEpochSteps);
    if (points.length < (metaEpochSteps ? CONVERGENCE_RULE.minMetaEpochs : CONVERGENCE_RULE.minReadings)) {
        return { convergence: 'too-short' };
    }
    const tail = points.slice(points.length - Math.max(3, Math.ceil(points.length / 3)));
    const windows = Math.min(CONVERGENCE_RULE.windows, tail.length);
    const medians: [number, number][] = [];
    const counts: number[] = [];
    for (let w = 0; w < windows; w++) {
        const part = tail.slice(Math.floor((w * tail.length) / windows), Math.floor(((w + 1) * tail.length) / windows));
        medians.push([median(part.map(p => p[0])), median(part.map(p => p[1]))]);
        counts.push(part.length);
    }
    const { slope, sxx } = slopeOf(medians);
    // the scatter of every reading around the medians' line (a robust sigma: MAD); a window's median varies by
    // 1.25 sigma / sqrt(its readings), and the slope of the medians by the weighted sum of those
    const intercept = medians.reduce((s, p) => s + p[1] - slope * p[0], 0) / medians.length;
    const residuals = tail.map(([x, y]) => y - (intercept + slope * x));
    // the median once: inside the map it made the verdict quadratic in the readings (600,000 steps took 150 s)
    const centre = median(residuals);
    const sigma = 1.4826 * median(residuals.map(r => Math.abs(r - centre)));
    const mx = medians.reduce((s, p) => s + p[0], 0) / medians.length;
    const variance = medians.reduce((s, p, w) => s + ((p[0] - mx) ** 2 * (1.2533 * sigma) ** 2) / counts[w], 0);
    const standardError = sxx > 0 ? Math.sqrt(variance) / sxx : 0;
    const gain = -slope;
    const last = medians[medians.length - 1][1];
    const info: ConvergenceInfo = { lastLoss: 10 ** last, gainPerDoubling: gain, readings: points.length };
    if (last < Math.log10(threshold)) return { convergence: 'target', info };
    const progress = gain >= CONVERGENCE_RULE.floorGainDecades && gain > CONVERGENCE_RULE.significance * standardError;
    return { convergence: progress ? 'improving' : 'floor', info };
}

/** The first step whose loss reading fell below each decade 1e-2 ... 1e-10 (decades never reached are absent). */
export function stepsBelowDecades(reads: readonly [number, number][]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const d of LOSS_DECADES) {
        const below = reads.find(([, loss]) => loss < 10 ** -d);
        if (below) out[`1e-${d}`] = below[0];
    }
    return out;
}

/** The step `stepsBelow` records for a threshold: the first decade at or below it (thresholds between decades round down). */
export function stepsToThreshold(stepsBelow: Record<string, number> | undefined, threshold: number): number | undefined {
    if (!stepsBelow) return undefined;
    const decade = LOSS_DECADES.find(d => 10 ** -d <= threshold * (1 + 1e-9));
    return decade === undefined ? undefined : stepsBelow[`1e-${decade}`];
}
