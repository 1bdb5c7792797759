// The cost model's clock: seconds per step of each kernel path, measured (bench/calibrate.mjs), and the workers a sweep pays off with.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { DistributionSpec } from '../spec/spec-types.js';

/**
 * How a point's steps run: the SIMD module (rowwise, one masking layer, target A x: any entries and vectors, pools,
 * meta-epochs; not a fresh `rank r` A), its sibling for masking k, skip channels, other targets and the dense
 * baseline on fresh binary A (layers), the fused tfjs kernels, or the tfjs ops graph (the rest).
 */
export type KernelPath = 'simd' | 'layers' | 'fused' | 'graph';

/**
 * A step takes overheadSeconds + flops / flopsPerSecond (flops as the cost model counts them: 6 per weight and per
 * masked product, per sample). Fitted to figures measured on this project's 2-core machine (AMD EPYC) when it was
 * quiet: the SIMD step at n = 10 and 50 (docs/benchmarks.md: 21.7 and 264 us a step), the fused tfjs step and the
 * tfjs graph at n = 20 (issue 20: pool 64 at 0.71 ms, power 2 with masking 2 at 4 ms, the dense baseline at 1.8 ms).
 * `node bench/calibrate.mjs` measures them again with emn train processes and prints these lines; its run of
 * 2026-12-07 under a load average of 22 on 2 cores gave every path 10-30x slower (bench/RESULTS-PERF.md).
 */
export const STEP_RATES: Record<KernelPath, { overheadSeconds: number; flopsPerSecond: number }> = {
    simd: { overheadSeconds: 1.0e-5, flopsPerSecond: 3.2e10 },
    // power 2 with masking 2 at n = 20 and 50 on the layers step (bench/RESULTS-PERF.md, 2026-12-07, loaded machine)
    layers: { overheadSeconds: 1.1e-4, flopsPerSecond: 1.5e10 },
    fused: { overheadSeconds: 3.0e-4, flopsPerSecond: 2.3e9 },
    graph: { overheadSeconds: 1.5e-3, flopsPerSecond: 1.0e9 },
};

/**
 * What a point costs beyond its steps (set-up, evaluation, results), seconds: a SIMD point at n = 20 with 1,000
 * evaluation samples took 25-29 ms, about 10 ms of it beyond its 400 steps.
 */
export const POINT_SECONDS = 0.01;

/**
 * What one more worker thread costs before it trains, seconds: starting the thread (65 ms), loading its bundle, and
 * the JIT of its first point (a 27 ms point took 77 ms first), as profiled in bench/RESULTS-PERF.md.
 */
export const WORKER_START_SECONDS = 0.3;

/**
 * The share of its steps a point with a stop rule (`stop when mse < ...`) is assumed to train: examples/sweep.emn's
 * 12 points (3,000 steps each, stop at mse < 1e-8) spent about 0.13 s in steps where all steps would take about 1.1 s.
 */
export const STOP_RULE_SHARE = 0.15;

/** The structure that decides a point's kernel path (plan fields, or the spec's for a sweep not yet expanded). */
export interface PathShape {
    masking: number;
    pruning: 'rowwise' | 'none';
    skipChannels: boolean;
    /**
     * Target A x, with fresh A drawn entry by entry (any entries, not `rank`) or a pool / meta-epochs' masks: the streams
     * the SIMD module draws itself (training-data.ts simdStream).
     */
    simdStream: boolean;
    /** Fresh binary A and uniform x, joint schedule without a pool, any target: the stream the layers module draws. */
    freshBinaryStream: boolean;
}

export function kernelPathOf(s: PathShape): KernelPath {
    const singleMask = s.masking === 1 && s.pruning === 'rowwise' && !s.skipChannels;
    if (singleMask && s.simdStream) return 'simd';
    if (s.freshBinaryStream) return 'layers';
    return singleMask ? 'fused' : 'graph';
}

/**
 * Seconds of one normal value drawn (Box-Muller: the runtime's log, sin and cos per pair, on every path): normal entries
 * at n = 20 (12,800 values a step) took 385 us of CPU a step in the SIMD module against 36 us for the rest of it, under
 * a load average of 15 on 2 cores (bench/RESULTS-PERF.md); a quiet machine is about twice as fast.
 */
const NORMAL_VALUE_SECONDS = 1.5e-8;

/** Normal values drawn per sample of a step: fresh A's kept entries under `entries normal` (not a pool's), x's n under `vectors normal`. */
export function normalValuesPerSample(
    n: number,
    sparsity: number,
    entries: DistributionSpec,
    vectors: DistributionSpec,
    freshMatrices: boolean,
    rank?: number,
): number {
    const matrix = entries.kind === 'normal' && freshMatrices ? (rank === undefined ? (1 - sparsity) * n * n : 2 * n * rank) : 0;
    return matrix + (vectors.kind === 'normal' ? n : 0);
}

/** Seconds of one step on `path` that does `flopsPerStep` (cost-model flops of the whole batch) and draws `normalValues`. */
export function stepSeconds(path: KernelPath, flopsPerStep: number, normalValues = 0): number {
    const rate = STEP_RATES[path];
    return rate.overheadSeconds + flopsPerStep / rate.flopsPerSecond + normalValues * NORMAL_VALUE_SECONDS;
}

/** Cost-model flops of one sample's step: forward ~2 per weight (and per masked product), backward ~4. */
export function flopsPerSampleOf(parameters: number, n: number, width: number, masking: number): number {
    return 6 * (parameters + n * width * n * masking);
}

export function planShape(plan: CompiledPlan): PathShape {
    const op = plan.operation,
        c = op.coefficients,
        s = plan.schedule;
    const freshBinaryStream =
        plan.schedule.kind === 'joint' && plan.schedule.pool === undefined && op.entries.kind === 'binary' && op.vectors.kind === 'uniform';
    const matvec = c.length === 2 && c[0] === 0 && c[1] === 1;
    const simdStream = matvec && (s.kind === 'metaEpochs' || s.pool !== undefined || op.rank === undefined);
    const { masking, pruning } = plan.network;
    // shared weights and an MLP train on the tfjs graph whatever the stream (kernel-registry.ts)
    if (plan.network.weights === 'shared' || plan.network.architecture === 'mlp')
        return { masking, pruning, skipChannels: true, simdStream: false, freshBinaryStream: false };
    return { masking, pruning, skipChannels: plan.skipChannels, simdStream, freshBinaryStream };
}

/**
 * Seconds one point of a compiled plan trains here, by the calibrated model: its steps on its kernel path (a share of
 * them under a stop rule), its evaluation samples (a forward pass, about a third of a step's flops per sample), and the
 * point's fixed cost.
 * What a scheduler (Slurm's points per task, the sweep's workers) needs.
 */
export function estimatePointSeconds(plan: CompiledPlan): number {
    const { n } = plan.operation,
        { width, masking } = plan.network;
    const perSample = flopsPerSampleOf(plan.parameterCount, n, width, masking);
    const path = kernelPathOf(planShape(plan));
    const evaluationSamples = plan.evaluations.reduce((sum, e) => sum + e.samples, 0);
    const steps = plan.stopBelowMse === undefined ? plan.steps : plan.steps * STOP_RULE_SHARE;
    const op = plan.operation,
        s = plan.schedule;
    const fresh = s.kind === 'joint' && s.pool === undefined;
    const normals = plan.batch * normalValuesPerSample(op.n, op.sparsity, op.entries, op.vectors, fresh, op.rank);
    return (
        POINT_SECONDS +
        steps * stepSeconds(path, perSample * plan.batch, normals) +
        (evaluationSamples * perSample) / 3 / STEP_RATES[path].flopsPerSecond
    );
}

/**
 * The threads that finish points of these estimated seconds soonest on `cores` cores: the calling thread trains too,
 * each other thread pays WORKER_START_SECONDS first, and no thread ends before the longest point. 1 (no worker) unless
 * a second thread saves at least a tenth of the serial time.
 */
export function chooseWorkers(pointSeconds: readonly number[], cores: number): number {
    const total = pointSeconds.reduce((a, b) => a + b, 0);
    const longest = pointSeconds.reduce((a, b) => Math.max(a, b), 0);
    let best = 1,
        bestSeconds = total;
    for (let k = 2; k <= Math.min(cores, pointSeconds.length); k++) {
        const seconds = Math.max((total + (k - 1) * WORKER_START_SECONDS) / k, longest);
        if (seconds < 0.9 * bestSeconds) {
            best = k;
            bestSeconds = seconds;
        }
    }
    return best;
}
