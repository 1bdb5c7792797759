// Before a sweep trains: how many points and about how long here, from the cost model calibrated on this machine's own runs.
import { formatDuration, plural } from '../format-numbers.js';
import type { ExperimentResult } from '../results/result-types.js';
import { expandSweep } from '../spec/expand-sweep.js';
import type { ExperimentSpec } from '../spec/spec-types.js';
import { spreadOf } from '../results/seed-spread.js';
import { estimateCost, trainingSteps } from './cost-estimate.js';

/** Flops per second of training on this machine, and what it was measured on. */
export interface Calibration {
    /** Undefined before any run here: the cost model's step rates, measured per kernel path (step-rates.ts), apply. */
    flopsPerSecond?: number;
    /** "3 earlier runs in this file" or "none: the cost model's nominal rate". */
    basis: string;
    runs: number;
}

/**
 * The rate this machine trained at: for each finished run of a spec whose result is of that very spec (same plan),
 * the cost model's flops over the seconds its steps took (steps / stepsPerSecond); the median over runs. Without
 * such a run, no rate: the cost model's step rates measured per kernel path (step-rates.ts) give the time.
 */
export function calibrate(trained: { spec: ExperimentSpec; result: ExperimentResult }[]): Calibration {
    const rates = trained
        .filter(t => (t.result.stopped === 'steps' || t.result.stopped === 'target') && t.result.stepsPerSecond > 0 && t.result.steps > 0)
        .map(t => {
            // a run that stopped early at its target ran fewer steps than the model counts: scale by the steps it ran
            const planned = estimateCost(t.spec);
            const plannedSteps = expandSweep(t.spec).reduce((n, p) => n + trainingSteps(p.experiment), 0);
            const flops = planned.flops * Math.min(1, t.result.steps / Math.max(1, plannedSteps));
            return flops / (t.result.steps / t.result.stepsPerSecond);
        })
        .filter(r => Number.isFinite(r) && r > 0);
    const spread = spreadOf(rates);
    if (!spread) return { basis: 'no earlier run here to calibrate on', runs: 0 };
    return { flopsPerSecond: spread.median, basis: `measured on ${plural(rates.length, 'earlier run')} here`, runs: rates.length };
}

export interface SweepPreview {
    points: number;
    seconds: number;
    calibration: Calibration;
}

export function previewSweep(spec: ExperimentSpec, calibration: Calibration): SweepPreview {
    const cost = estimateCost(spec);
    return {
        points: expandSweep(spec).length,
        seconds: calibration.flopsPerSecond ? cost.flops / calibration.flopsPerSecond : cost.seconds,
        calibration,
    };
}

/** "240 points, about 6 min here" */
export function previewText(p: SweepPreview): string {
    // below a tenth of a second the estimate would print "about 0 s"
    const time = p.seconds < 0.1 ? 'under a second' : `about ${formatDuration(p.seconds)}`;
    return `${plural(p.points, 'point')}, ${time} here`;
}

/** The rate as people read it: "0.41 GFLOP/s", or the cost model's own measured step rates. */
export function rateText(c: Calibration): string {
    return c.flopsPerSecond ? `${(c.flopsPerSecond / 1e9).toPrecision(2)} GFLOP/s` : 'the step rates measured per kernel';
}
