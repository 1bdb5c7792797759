// Rough memory and time of an experiment (pure function of the resolved spec), for the "too big for a laptop" warning;
// the time from the calibrated step rates (step-rates.ts).
import { estimateStepMemory } from '../compiler/compile-experiment.js';
import { mlpLayers } from '../compiler/compile-mlp.js';
import { NETWORK_DEFAULTS } from '../spec/defaults.js';
import { formatDuration } from '../format-numbers.js';
import type { ExperimentSpec, NetworkSpec } from '../spec/spec-types.js';
import { flopsPerSampleOf, kernelPathOf, type KernelPath, normalValuesPerSample, POINT_SECONDS, stepSeconds } from './step-rates.js';

/** What a laptop is assumed to have: 8 GB for one training step, one hour of training. */
export const LAPTOP_LIMITS = { bytes: 8e9, seconds: 3600 };

const PATH_NAMES: Record<KernelPath, string> = {
    simd: 'SIMD step',
    layers: 'SIMD layers step',
    fused: 'fused tfjs step',
    graph: 'tfjs graph step',
};

/** A sweep above either is worth a word before it starts: about 100 points, or about 10 minutes. */
const SWEEP_NOTICE = { points: 100, seconds: 600 };

export interface CostEstimate {
    /** Trainable weights of one network (the largest point of a sweep). */
    parameters: number;
    /** Bytes one training step holds: activations plus weights, gradients and optimiser state (largest point). */
    bytesPerStep: number;
    /** Floating-point operations of all training steps, summed over sweep points. */
    flops: number;
    /** Training seconds here by the calibrated cost model (step-rates.ts: per kernel path, measured). */
    seconds: number;
    /** The kernel path of the largest point (what the seconds were measured on). */
    path: KernelPath;
    /** Runs the experiment trains: the sweep's points times `seeds`. */
    points: number;
    /** Settings (sweep points) and seeds per setting, whose product is `points`. */
    settings: number;
    seeds: number;
}

/** What a parameter count reads of a network. */
type CountedNetwork = Pick<NetworkSpec, 'width' | 'depth' | 'masking' | 'pruning' | 'architecture' | 'hidden'>;

/**
 * Parameter count per docs/method.md: the first masking layer n*w*n, each further one n*w*n*w; hidden layers after the
 * masked ones (depth - 1 of them) n*w*w each (rowwise) or (n*w)^2 (dense); output n*w (rowwise) or n*(n*w) (dense).
 * An MLP: compile-mlp.ts, weights and biases of every layer.
 */
export function parameterCount(n: number, net: CountedNetwork): number {
    if (net.architecture === 'mlp')
        return mlpLayers(n, net.hidden ?? NETWORK_DEFAULTS.hidden!, 'none').reduce((s, l) => s + l.parameters, 0);
    const w = net.width;
    const hidden = Math.max(net.depth - 1, 0);
    // the first masking layer n*w*n; each further one passes messages cluster to cluster, n*w*n*w (the compiler's count)
    const masked = n * w * n + (net.masking - 1) * n * w * n * w;
    if (net.pruning === 'none') return masked + hidden * (n * w) ** 2 + n * (n * w);
    return masked + hidden * n * w * w + n * w;
}

/** Steps one run trains: `steps`, or under meta-epochs metaEpochs x masks x stepsPerMask. */
export function trainingSteps(spec: ExperimentSpec): number {
    const s = spec.schedule;
    return s.kind === 'metaEpochs' ? s.metaEpochs * s.masks * s.stepsPerMask : spec.steps;
}

/** Flops of one sample in one step: forward ~2 per weight (and per masked product), backward ~4. */
function flopsPerSample(n: number, net: CountedNetwork): number {
    return flopsPerSampleOf(parameterCount(n, net), n, net.width, net.masking);
}

/** The spec's kernel path at masking k (the compiler's rules: skip channels when the target has a power below k). */
function specPath(spec: ExperimentSpec, masking: number): KernelPath {
    // an MLP trains on the tfjs graph (kernel-registry.ts)
    if (spec.network.architecture === 'mlp') return 'graph';
    const op = spec.operation,
        target = op.target;
    // read from the target itself: writing out power k's coefficients would allocate k + 1 of them, and k is any integer
    const powers =
        target.kind === 'matvec'
            ? [1]
            : target.kind === 'power'
              ? [target.order]
              : target.coefficients.flatMap((v, p) => (v !== 0 ? [p] : []));
    const plainMatvec =
        target.kind === 'matvec' ||
        (target.kind === 'power' && target.order === 1) ||
        (target.kind === 'polynomial' && target.coefficients.length === 2 && target.coefficients[0] === 0 && target.coefficients[1] === 1);
    const skipChannels = powers.some(p => p < masking);
    const freshBinaryStream = freshMatrices(spec) && op.entries.kind === 'binary' && op.vectors.kind === 'uniform';
    const simdStream = plainMatvec && (!freshMatrices(spec) || op.rank === undefined);
    if (spec.network.weights === 'shared')
        return kernelPathOf({ masking, pruning: 'rowwise', skipChannels: true, simdStream: false, freshBinaryStream: false });
    return kernelPathOf({ masking, pruning: spec.network.pruning, skipChannels, simdStream, freshBinaryStream });
}

/** Whether every sample draws its own A (joint training without a pool). */
function freshMatrices(spec: ExperimentSpec): boolean {
    return spec.schedule.kind === 'joint' && spec.pool === undefined;
}

/** The largest value; Math.max(...values) would overflow the stack on a sweep of some 100,000 values. */
function largestOf(values: number[]): number {
    return values.reduce((a, b) => Math.max(a, b), -Infinity);
}

/** Beyond this many (size, width, depth, masking) combinations the time is bounded by the largest one instead of summed. */
const MAX_ENUMERATED = 1e6;

/**
 * Estimates a run (or a whole sweep) without expanding it: memory grows with each of size, width, depth,
 * masking and batch, so the largest point is the one with the largest values; time is summed over the grid
 * (axes that do not change the cost, like sparsity or seed, multiply it).
 */
export function estimateCost(spec: ExperimentSpec): CostEstimate {
    // the cost axes (size, width, depth, masking, batch, steps) are numeric; named axes only multiply the points
    const axis = (parameter: string, base: number): number[] =>
        (spec.sweep.find(a => a.parameter === parameter)?.values as number[] | undefined) ?? [base];
    const sizes = axis('size', spec.operation.size);
    const widths = axis('width', spec.network.width);
    const depths = axis('depth', spec.network.depth);
    const maskings = axis('masking', spec.network.masking);
    const batches = axis('batch', spec.batch);
    const steps = spec.schedule.kind === 'metaEpochs' ? axis('steps', 0).map(() => trainingSteps(spec)) : axis('steps', spec.steps);
    const otherPoints = spec.sweep
        .filter(a => !['size', 'width', 'depth', 'masking', 'batch', 'steps'].includes(a.parameter))
        .reduce((count, a) => count * a.values.length, 1);
    const hiddenSizes = axis('hidden', 0).filter(h => h > 0);
    const largest = {
        ...spec.network,
        width: largestOf(widths),
        depth: largestOf(depths),
        masking: largestOf(maskings),
        ...(hiddenSizes.length > 0 ? { hidden: (spec.network.hidden ?? NETWORK_DEFAULTS.hidden!).map(() => largestOf(hiddenSizes)) } : {}),
    };
    const n = largestOf(sizes);
    const parameters = parameterCount(n, largest);
    // the compiler's own per-step estimate (what `emn train --plan` shows), at the sweep's largest point
    const largestSpec: ExperimentSpec = {
        ...spec,
        batch: largestOf(batches),
        operation: { ...spec.operation, size: n },
        network: largest,
    };
    const bytesPerStep = estimateStepMemory(largestSpec, parameters, false);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // `seeds N` trains every point N times
    const repeats = otherPoints * (spec.seeds ?? 1),
        stepCount = sum(steps);
    let perSample = 0,
        stepTime = 0;
    /** One (size, width, depth, masking) combination: its flops, and its seconds on its kernel path over every batch. */
    const add = (size: number, net: typeof largest, times = 1) => {
        const fps = flopsPerSample(size, net),
            path = specPath(spec, net.masking);
        const op = spec.operation;
        const normals = normalValuesPerSample(size, op.sparsity, op.entries, op.vectors, freshMatrices(spec), op.rank);
        perSample += times * fps;
        stepTime += times * sum(batches.map(b => stepSeconds(path, fps * b, normals * b)));
    };
    const combinations = sizes.length * widths.length * depths.length * maskings.length;
    if (combinations <= MAX_ENUMERATED) {
        for (const size of sizes)
            for (const width of widths)
                for (const depth of depths)
                    for (const masking of maskings) {
                        add(size, { ...spec.network, width, depth, masking });
                    }
    } else {
        add(n, largest, combinations);
    }
    const flops = perSample * sum(batches) * stepCount * repeats;
    const runs = combinations * batches.length * steps.length * repeats;
    const seconds = stepTime * stepCount * repeats + runs * POINT_SECONDS;
    const seeds = spec.seeds ?? 1;
    const settings = spec.sweep.reduce((count, a) => count * a.values.length, 1);
    return { parameters, bytesPerStep, flops, seconds, path: specPath(spec, largest.masking), points: settings * seeds, settings, seeds };
}

/**
 * The warnings an estimate below the training limit deserves (above it: training-limits.ts), worded for a user: a long
 * single run ("would train for about 2.5 h (> 1 h at the measured speed of the tfjs graph step): ..."), or a sweep of more than about 100
 * points or
 * 10 minutes with its estimated time. One warning per experiment.
 */
export function costWarnings(cost: CostEstimate): string[] {
    const rate = `the measured speed of the ${PATH_NAMES[cost.path]}`;
    if (cost.points > 1 && (cost.points > SWEEP_NOTICE.points || cost.seconds > SWEEP_NOTICE.seconds)) {
        const runs = cost.settings > 1 && cost.seeds > 1 ? ` (${cost.settings} settings x ${cost.seeds} seeds)` : '';
        return [
            `trains ${cost.points} points${runs}, about ${formatDuration(cost.seconds)} at ${rate} (the cost model's; ` +
                "`emn train --plan` and the lens say it at this machine's): fewer values, or train it on Slurm (emn sweep slurm)",
        ];
    }
    if (cost.seconds > LAPTOP_LIMITS.seconds) {
        return [
            `would train for about ${formatDuration(cost.seconds)} (> ${formatDuration(LAPTOP_LIMITS.seconds)} at ${rate}): lower steps, size, width or the sweep`,
        ];
    }
    return [];
}
