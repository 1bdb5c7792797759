// The default of every spec property: one table, read by the resolver, hovers and docs.
import type { DistributionSpec, NetworkSpec, OptimizerSpec, ScheduleSpec } from './spec-types.js';

export const OPERATION_DEFAULTS = {
    size: 20,
    sparsity: 0.5,
    entries: { kind: 'binary' } as DistributionSpec,
    vectors: { kind: 'uniform', low: -1, high: 1 } as DistributionSpec,
};

export const NETWORK_DEFAULTS: Omit<NetworkSpec, 'name'> = {
    width: 4,
    depth: 2,
    masking: 1,
    pruning: 'rowwise',
    activation: 'none',
    weights: 'per-edge',
    architecture: 'emn',
    hidden: [64, 64],
};

export const SGD_DEFAULTS = { lr: 0.05, momentum: 0.9 };
export const ADAM_DEFAULTS = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export const EXPERIMENT_DEFAULTS = {
    optimizer: { kind: 'sgd', ...SGD_DEFAULTS } as OptimizerSpec,
    batch: 64,
    steps: 3000,
    schedule: { kind: 'joint' } as ScheduleSpec,
    seed: 1,
    evaluationSamples: 1000,
    metaEpochOrder: 'shuffled' as const,
};

/**
 * The largest `power k` and `masking k`. Each order is one more product with A; beyond 64, A^k x of a binary A of
 * degree 4 already leaves float32's range (4^64 = 2^128), and a network of more masking layers would not train.
 */
export const MAX_INTERACTION_ORDER = 64;
