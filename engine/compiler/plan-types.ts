// The compiled plan: plain JSON data describing the network, data and schedule the trainer builds (no tfjs types).
import type { Activation, DistributionSpec, MaskOrder, OptimizerSpec, Pruning, SparseMatrix, SweepPoint } from '../spec/spec-types.js';

/**
 * Layer kinds, in the order they appear in a plan:
 * - 'masked': the first masking layer; edge (x_j -> cluster i) is gated and scaled by A[i][j].
 * - 'message-passing': masking layers 2..k; cluster j of the previous layer feeds cluster i through A[i][j].
 * - 'pruned': a rowwise hidden layer (cluster i -> cluster i only).
 * - 'dense': a hidden layer fully connected across all n*w units (pruning none).
 * - 'output': one output per row (rowwise: from cluster i only; dense: from all units).
 * - 'fully-connected': a layer of `architecture mlp` (weights [out, in] and biases [out]), its output layer included.
 */
export type LayerKind = 'masked' | 'message-passing' | 'pruned' | 'dense' | 'output' | 'fully-connected';

export interface LayerPlan {
    /** Weight-tensor name prefix, e.g. 'mask1', 'mask2', 'hidden2', 'output'. */
    name: string;
    kind: LayerKind;
    /** Per-sample activation shapes: [n] for x, [n, w] for clustered units, [n*w] for dense units. */
    inputShape: number[];
    outputShape: number[];
    /** Shape of the weight as reported in results (docs/method.md index order, e.g. W1 [n, w, n] = [i, c, j]). */
    weightShape: number[];
    /** Ungated skip weights [n, w, w_in] carrying h[i] -> h'[i] (lower powers of A survive); absent when not needed. */
    skipShape?: number[];
    /** The biases [out] of an MLP layer (EMN layers have none). */
    biasShape?: number[];
    /** Weights that exist (structurally): pruned edges have no weight at all. */
    parameters: number;
    /** Whether the layer's edges are gated by entries of A. */
    gatedByA: boolean;
    /** Fraction of a fully connected layer of the same input and output size that exists structurally. */
    structuralDensity: number;
    /** Expected fraction of the layer's weights that carry signal for one sample (gating by A included). */
    activeDensity: number;
    activation: Activation;
    /** One line for people: what connects to what. */
    connectivity: string;
}

export interface PlanOperation {
    name: string;
    n: number;
    sparsity: number;
    entries: DistributionSpec;
    vectors: DistributionSpec;
    /** y = sum_k coefficients[k] A^k x. */
    coefficients: number[];
    /** Human form of the target, e.g. 'A x', 'A^2 x', '0.5 x + A x'. */
    target: string;
    /** `rank r`: A = U V^T / sqrt(r) (sampling.ts); absent: entry by entry. */
    rank?: number;
    /** `matrix "file.mtx"`: the one A of every sample, normalised (absent: A drawn per sample; sparsity is then the file's). */
    matrix?: PlanMatrix;
    /** `normalize rows | symmetric` (absent: none); a matrix file's entries above are already normalised. */
    normalize?: 'rows' | 'symmetric';
}

/** A fixed A from a Matrix Market file, as the plan carries it: its entries (so the plan hash follows the file) and its source. */
export interface PlanMatrix extends SparseMatrix {
    /** The path as the spec writes it. */
    file: string;
    /** sha256 of the file's bytes. */
    sha256: string;
}

export type PlanSchedule =
    | { kind: 'joint'; steps: number; pool?: number }
    | { kind: 'metaEpochs'; metaEpochs: number; masks: number; stepsPerMask: number; order: MaskOrder; steps: number };

export interface PlanEvaluation {
    on: string;
    samples: number;
    /** `at sizes [...]`: the n this evaluation is at (its operation has that size); absent: the operation's own. */
    size?: number;
    /** Absent for 'pool' (the training pool of matrices, with fresh x). */
    operation?: PlanOperation;
}

export interface CompiledPlan {
    format: 'emn-plan';
    version: 1;
    experiment: string;
    operation: PlanOperation;
    /** `weights: 'shared'`: one parameter set for every cluster and input position (absent: per-edge, so older plans keep their hash). */
    network: {
        name: string;
        width: number;
        depth: number;
        masking: number;
        pruning: Pruning;
        activation: Activation;
        weights?: 'shared';
        /** `architecture mlp` with its hidden sizes (absent: an EMN, so EMN plans keep their hash); width, depth, masking unused. */
        architecture?: 'mlp';
        hidden?: number[];
    };
    /** Whether masking layers carry an ungated skip channel (needed when the target has powers below the masking count). */
    skipChannels: boolean;
    layers: LayerPlan[];
    optimizer: OptimizerSpec;
    batch: number;
    /** Total training steps (metaEpochs: M * K * E). */
    steps: number;
    stopBelowMse?: number;
    schedule: PlanSchedule;
    /** Independent seeds derived from the spec seed: same spec + seed => same numbers on one backend. */
    seeds: { spec: number; weights: number; data: number; evaluation: number };
    evaluations: PlanEvaluation[];
    parameterCount: number;
    /** Expected number of weights that carry signal for one sample (masked edges muted by zeros of A excluded). */
    activeEdgeCount: number;
    /** Estimated bytes of tensors alive during one training step (weights, optimiser state, gradients, activations). */
    memoryEstimateBytes: number;
    /**
     * 'rowwise' / 'dense': the network is linear with a single masking layer, so effective path weights E exist
     * (dense: the own-row paths E[i][i][j]); 'none': non-linear activation or several masking layers.
     */
    pathWeights: 'rowwise' | 'dense' | 'none';
    /** The value E should take when the target is c1 * A x (1 for matvec); absent when the target is not of that form. */
    pathWeightTarget?: number;
}

/** One point of an experiment: its sweep values (none without a sweep) and its compiled plan. */
export interface CompiledPoint {
    params: SweepPoint['params'];
    plan: CompiledPlan;
}

/**
 * The compiled experiment: what the editor shows (emn/getPlan), `emn train --plan` prints, the training workers
 * train and the results carry the hash of. Plain JSON, so it travels to worker threads and clients as is.
 */
export interface ExperimentPlan {
    format: 'emn-experiment';
    experiment: string;
    /** The hash results carry: of the one plan without a sweep, of every point's params and plan with one. */
    hash: string;
    /** In grid order (first sweep axis outermost); without a sweep, one point with no params. */
    points: CompiledPoint[];
}

/** Whether the experiment sweeps: more than one point, or one point with params (a one-value sweep). */
export function isSweep(points: readonly CompiledPoint[]): boolean {
    return points.length !== 1 || Object.keys(points[0].params).length > 0;
}
