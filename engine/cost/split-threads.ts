// The cost model's choice of threads for one run split by rows (engine/training/split-run.ts): none where serial is faster.
import type { CompiledPlan } from '../compiler/plan-types.js';
import { flopsPerSampleOf, kernelPathOf, planShape, STEP_RATES, STOP_RULE_SHARE } from './step-rates.js';

/**
 * What a split step pays beyond its share of the arithmetic, seconds: handing the step over and waiting for the slowest
 * thread (shared-memory words and Atomics), plus SPLIT_X_DRAW_SECONDS per sample and row for the x every thread draws
 * whole. Measured in CPU time (bench/RESULTS-PERF.md, "One run across cores": two threads spent 0.02 ms more a step
 * than one at n = 50, 0.09 ms at n = 200, 0.03-0.3 ms at n = 500), with room for the wake-ups at each loss read that a
 * busy machine delays.
 */
const SPLIT_STEP_SECONDS = 1e-4;
const SPLIT_X_DRAW_SECONDS = 5e-9;

/** Starting the row workers (a thread, the 10 kB split-worker bundle, a module instance, the weights), seconds. */
const SPLIT_START_SECONDS = 0.1;

/** Seconds the steps of a SIMD point take on `threads` threads by the calibrated model (1: the one-thread step). */
function splitStepsSeconds(plan: CompiledPlan, threads: number): number {
    const { n } = plan.operation,
        { width, masking } = plan.network;
    const rate = STEP_RATES.simd;
    const flops = flopsPerSampleOf(plan.parameterCount, n, width, masking) * plan.batch;
    const steps = plan.stopBelowMse === undefined ? plan.steps : plan.steps * STOP_RULE_SHARE;
    if (threads <= 1) return steps * (rate.overheadSeconds + flops / rate.flopsPerSecond);
    const handOver = SPLIT_STEP_SECONDS + SPLIT_X_DRAW_SECONDS * plan.batch * n;
    return SPLIT_START_SECONDS + steps * (rate.overheadSeconds + flops / threads / rate.flopsPerSecond + handOver);
}

/**
 * Threads for one run of `plan` on `cores` free cores: 1 unless it trains on the SIMD step and a split saves at least a
 * tenth of the serial time (as chooseWorkers decides for a sweep); never more threads than rows.
 */
export function chooseSplitThreads(plan: CompiledPlan, cores: number): number {
    if (kernelPathOf(planShape(plan)) !== 'simd') return 1;
    let best = 1,
        bestSeconds = splitStepsSeconds(plan, 1);
    for (let k = 2; k <= Math.min(cores, plan.operation.n); k++) {
        const seconds = splitStepsSeconds(plan, k);
        if (seconds < 0.9 * bestSeconds) {
            best = k;
            bestSeconds = seconds;
        }
    }
    return best;
}
