// The results of a training run: the JSON contract of `emn train --json` (docs/results-format.md) plus weights for the editor.
import type { SweepParams } from '../spec/spec-types.js';
import type { SeedGroup } from './seed-spread.js';

/** The sweep values of one point (`seed` among them for `seeds N`): numbers, and names for named parameters (format version 2). */
export type { SweepParams };

export type StopReason = 'steps' | 'target' | 'diverged' | 'cancelled';
/**
 * What a point's loss readings say (training/convergence.ts, docs/studies.md): the stop rule fired (target), the loss
 * stopped falling above the threshold (floor), it was still falling (improving), too few readings to say (too-short).
 */
export type Convergence = 'target' | 'floor' | 'improving' | 'too-short' | 'diverged' | 'cancelled';
/** How a convergence verdict was reached, for hovers and tables. */
export interface ConvergenceInfo {
    /** The loss the last window's median says (10^median of log10 loss). */
    lastLoss: number;
    /** Decades of loss one more doubling of the steps would gain, from the slope over the last third. */
    gainPerDoubling: number;
    /** The readings judged (per-meta-epoch averages under metaEpochs). */
    readings: number;
}
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
/** What a user asks for: a backend, or `auto` (the fastest that loads). */
export type BackendChoice = 'auto' | BackendName;

export interface ErrorMetrics {
    mse: number;
    rmse: number;
    maxAbsError: number;
    relError: number;
    /** mean |E - c1| (c1: `pathWeightTarget`, 1 for matvec); absent where E is undefined (non-linear activations). */
    pathWeightError?: number;
    /** Dense baseline only: mean |E[i][i'][j]| over i' != i, the weight output i gives to other rows of A (0 is exact). */
    pathWeightLeak?: number;
    /**
     * mse(fresh) / mse(pool) when training used a finite pool (`pool K`, meta-epoch masks) and an evaluation is `on pool`:
     * above 1, the network does better on the matrices it saw. null when both are at the float32 floor (< 1e-12).
     */
    memorisationQuotient?: number | null;
}

/** Every metric of ErrorMetrics, in the order tables and comparisons list them. */
export const ERROR_METRICS = [
    'mse',
    'rmse',
    'maxAbsError',
    'relError',
    'pathWeightError',
    'pathWeightLeak',
    'memorisationQuotient',
] as const satisfies readonly (keyof ErrorMetrics)[];

export interface EvaluationResult {
    /** Operation name, or 'pool'. */
    on: string;
    samples: number;
    /** The n of the evaluated matrices (absent in results made before `at sizes`: the training size). */
    size?: number;
    mse: number;
    maxAbsError: number;
    relError: number;
    rmse?: number;
    /** Why the set is not what its name says, e.g. 'pool' without a finite pool. */
    note?: string;
}

/** A named weight tensor as the network uses it (masks and pruning applied), row-major. */
export interface WeightTensor {
    name: string;
    shape: number[];
    values: number[];
}

/**
 * The map a linear network learned for one fixed A (docs/results-format.md): M[:, j] = f(A, e_j) - f(A, 0), compared
 * with the target's map T (A for matvec, A^k for power k, sum c_k A^k for a polynomial).
 */
export interface LearnedMap {
    /** M, [n, n] row-major. */
    map: WeightTensor;
    /** ||f(A, 0)||: the part of the network's output that does not depend on x (an MLP's biases; 0 for an EMN). */
    offset: number;
    /** sigma_i(M), descending. */
    singularValues: number[];
    /** sigma_i(T), descending: for matvec, A's. */
    targetSingularValues: number[];
    /** ||M - T||_2 / ||T||_2. */
    relativeError: number;
    /** How many sigma_i(M) are above rankTolerance. */
    numericalRank: number;
    /** max(1e-6 sigma_1(M), 10 x the fit's spectral error where T has no rank): what numericalRank counts above. */
    rankTolerance: number;
}

export interface PointResult {
    params: SweepParams;
    metrics: ErrorMetrics;
    evaluations: EvaluationResult[];
    steps: number;
    stopped: StopReason;
    /** Step at which the run diverged, with the loss seen then. */
    divergedAt?: { step: number; loss: number };
    wallMs: number;
    stepsPerSecond: number;
    /** [step, loss] pairs, subsampled to at most a few hundred points. */
    lossCurve: [number, number][];
    weights?: WeightTensor[];
    /** Effective path weights E, shape [n, n]; linear networks only. */
    pathWeights?: WeightTensor;
    /** What E is compared with in pathWeightError: c1, the coefficient of A x in the target (1 for matvec). */
    pathWeightTarget?: number;
    /**
     * A fixed A (a matrix file) or a pool: pathWeightError averages over this many (i, j), A's support (the edges training
     * ever saw). Absent: over all n² (fresh A every sample), and in older results.
     */
    pathWeightSupport?: number;
    /** The convergence verdict (absent in results written before it existed; a single run has it at the top level). */
    convergence?: Convergence;
    /** How the verdict was reached: the last window's loss, the decades one more doubling would gain, the readings judged. */
    convergenceInfo?: ConvergenceInfo;
    /** The first step whose training loss reading fell below each decade, by decade ('1e-2' ... '1e-10'); unreached ones absent. */
    stepsBelow?: Record<string, number>;
    /** The n the network was trained at (absent in older results). */
    trainingSize?: number;
    /** `emn` or `mlp` (absent in older results: emn). */
    architecture?: 'emn' | 'mlp';
    /** Trainable numbers of the network (weights, and an MLP's biases), as the plan counts them (absent in older results). */
    parameterCount?: number;
    /** A fixed A and no activation: the map the network learned (training/learned-map.ts); absent otherwise. */
    learnedMap?: LearnedMap;
}

/** One experiment's results: what `emn train --json` prints (one object per experiment). */
export interface ExperimentResult {
    experiment: string;
    operation: string;
    network: string;
    backend: BackendName;
    steps: number;
    wallMs: number;
    stepsPerSecond: number;
    stopped: StopReason;
    metrics: ErrorMetrics;
    evaluations: EvaluationResult[];
    /** One entry per sweep point; absent for an experiment without a sweep. */
    runs?: PointResult[];
    divergedAt?: { step: number; loss: number };
    lossCurve?: [number, number][];
    weights?: WeightTensor[];
    pathWeights?: WeightTensor;
    /** A single run's verdict, its basis and steps below each decade (see PointResult); sweeps have them per run. */
    convergence?: Convergence;
    convergenceInfo?: ConvergenceInfo;
    stepsBelow?: Record<string, number>;
    /** Hash of the compiled plan: results whose hash differs from the current spec's are stale. */
    planHash: string;
    /** Sweeps: index in `runs` of the point whose metrics are the top-level ones (the worst test mse). */
    worstRun?: number;
    /** Why `auto` did not pick a faster backend. */
    backendFallbacks?: string[];
    /** What E is compared with in pathWeightError (see PointResult). */
    pathWeightTarget?: number;
    /** A single run's pathWeightSupport (see PointResult). */
    pathWeightSupport?: number;
    /** The n the network was trained at (a single run; sweeps: each run's own). */
    trainingSize?: number;
    /** A single run's architecture, parameter count and learned map (see PointResult); sweeps have them per run. */
    architecture?: 'emn' | 'mlp';
    parameterCount?: number;
    learnedMap?: LearnedMap;
    /** Sweeps stopped early (cancelled): the points that never trained. */
    notRun?: SweepParams[];
    /** `seeds N` (or `sweep seed`): per setting, the spread over its seeds (results/seed-spread.ts). */
    seedGroups?: SeedGroup[];
    /** A diverged or cancelled run: what happened, where, and what to change (results/failure-policy.ts). */
    verdict?: string;
    /** The loss threshold convergence verdicts and steps-to-threshold use: the stop rule's, else 1e-6. */
    convergenceThreshold?: number;
    startedAt: string;
    finishedAt: string;
}

/** Progress streamed while training (from the worker, at a few updates per second). */
export interface TrainingProgress {
    experiment: string;
    /** 0-based sweep point index and the number of points (1 without a sweep). */
    point: number;
    points: number;
    step: number;
    steps: number;
    loss: number;
}
