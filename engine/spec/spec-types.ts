// Plain-data view of a spec after defaults are applied: what the compiler and trainer consume.
import type { SparseMatrix } from '../graphs/matrix-market.js';
import type { Normalization } from '../graphs/normalize.js';

export type { Normalization, SparseMatrix };

export type DistributionSpec =
    { kind: 'binary' } | { kind: 'uniform'; low: number; high: number } | { kind: 'normal'; mean: number; std: number };

/** The target: y = sum_k coefficients[k] A^k x. matvec is [0, 1]; power k is 1 at index k. */
export type OperationKindSpec = { kind: 'matvec' } | { kind: 'power'; order: number } | { kind: 'polynomial'; coefficients: number[] };

export interface OperationSpec {
    name: string;
    target: OperationKindSpec;
    size: number;
    sparsity: number;
    entries: DistributionSpec;
    vectors: DistributionSpec;
    /** `rank r`: A = U V^T / sqrt(r), U and V n x r from `entries` (sparsity 0); absent: A drawn entry by entry. */
    rank?: number;
    /** `matrix "file.mtx"`: every sample uses this one A (with a fresh x); size is its n. Absent: A is drawn per sample. */
    matrix?: MatrixFileSpec;
    /** `normalize rows | symmetric` (absent: none): A is replaced by D^-1 A or D^-1/2 A D^-1/2 (graphs/normalize.ts). */
    normalize?: Normalization;
}

/** A Matrix Market file an operation names: read by the language server (its path relative to the spec). */
export interface MatrixFileSpec {
    /** The path as the spec writes it. */
    file: string;
    /** The matrix as the file holds it (before `normalize`); absent when it could not be read. */
    matrix?: SparseMatrix;
    /** sha256 of the file's bytes: the plan carries it, so an edited file makes results stale. */
    sha256?: string;
    /** Why the file cannot be used, naming it (and the line): the validator reports it at the string; compiling throws it. */
    error?: string;
}

export type Pruning = 'rowwise' | 'none';
export type Activation = 'none' | 'relu' | 'tanh';
/** `per-edge`: own weights per row cluster and input position (the EMN); `shared`: one set for all, any n. */
export type WeightSharing = 'per-edge' | 'shared';
/** `emn`: the ensemble mask network; `mlp`: an unstructured feed-forward network on [vec(A), x] (the paper's comparison). */
export type Architecture = 'emn' | 'mlp';

export interface NetworkSpec {
    name: string;
    width: number;
    depth: number;
    masking: number;
    pruning: Pruning;
    activation: Activation;
    /** Absent in specs made before `weights` existed: per-edge. */
    weights?: WeightSharing;
    /** Absent in specs made before `architecture` existed: emn. */
    architecture?: Architecture;
    /** `architecture mlp`: the hidden layer sizes (absent: NETWORK_DEFAULTS.hidden); the EMN-only fields above are unused. */
    hidden?: number[];
}

export type OptimizerSpec =
    { kind: 'sgd'; lr: number; momentum: number } | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number };

export type MaskOrder = 'fixed' | 'shuffled' | 'sparsity';

export type ScheduleSpec =
    { kind: 'joint' } | { kind: 'metaEpochs'; metaEpochs: number; masks: number; stepsPerMask: number; order: MaskOrder };

export interface EvaluationSpec {
    /** Name of the operation the samples come from, or 'pool' for the training pool. */
    on: string;
    samples: number;
    /** Resolved operation for fresh samples; absent when on = 'pool'. */
    operation?: OperationSpec;
    /** `at sizes [...]`: evaluate at each of these n (one evaluation each) instead of the operation's own size. */
    sizes?: number[];
}

export const SWEEP_PARAMETERS = [
    'size',
    'sparsity',
    'power',
    'rank',
    'width',
    'depth',
    'masking',
    'pool',
    'batch',
    'steps',
    'lr',
    'seed',
    'order',
    'masks',
    'metaEpochs',
    'maskSteps',
    'activation',
    'pruning',
    'weights',
    'momentum',
    'architecture',
    'hidden',
] as const;
export type SweepParameter = (typeof SWEEP_PARAMETERS)[number];

/** The parameters swept by name (`sweep activation [none, relu]`); the others take numbers. */
export const NAMED_SWEEP_VALUES: Partial<Record<SweepParameter, readonly string[]>> = {
    order: ['fixed', 'shuffled', 'sparsity'],
    activation: ['none', 'relu', 'tanh'],
    pruning: ['rowwise', 'none'],
    weights: ['per-edge', 'shared'],
    architecture: ['emn', 'mlp'],
};

/** A swept value: a number, or a name for the named parameters. */
export type SweepValue = number | string;

/** A point's sweep values (results carry them as `params`). */
export type SweepParams = Partial<Record<SweepParameter, SweepValue>>;

export interface SweepAxisSpec {
    parameter: SweepParameter;
    values: SweepValue[];
}

export interface ExperimentSpec {
    name: string;
    operation: OperationSpec;
    network: NetworkSpec;
    optimizer: OptimizerSpec;
    batch: number;
    steps: number;
    /** Early stop when the training mse falls below this; undefined = run all steps. */
    stopBelowMse?: number;
    schedule: ScheduleSpec;
    seed: number;
    /** Size of the fixed pool of training matrices (joint schedule); undefined = fresh A per sample. */
    pool?: number;
    evaluations: EvaluationSpec[];
    sweep: SweepAxisSpec[];
    /** `seeds N`: each sweep point trained N times with derived seeds (1: once, with `seed`). Absent: 1. */
    seeds?: number;
}

/** One point of a sweep: the parameter values and the experiment with them applied. */
export interface SweepPoint {
    params: SweepParams;
    experiment: ExperimentSpec;
}
