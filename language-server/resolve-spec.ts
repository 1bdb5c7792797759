// Turns AST declarations into plain ExperimentSpec data (defaults applied; expand-sweep.ts expands sweeps); total over partial ASTs.
import type * as ast from './generated/ast.js';
import { matrixFileOf } from './references/matrix-files.js';
import { ADAM_DEFAULTS, EXPERIMENT_DEFAULTS, NETWORK_DEFAULTS, OPERATION_DEFAULTS, SGD_DEFAULTS } from '../engine/view.js';
import type {
    DistributionSpec,
    ExperimentSpec,
    NetworkSpec,
    OperationKindSpec,
    OperationSpec,
    OptimizerSpec,
    ScheduleSpec,
} from '../engine/view.js';

/** The first property of a given $type in a declaration, if any. */
export function findProperty<P extends { $type: string }, T extends P['$type']>(
    properties: readonly P[],
    type: T,
): Extract<P, { $type: T }> | undefined {
    return properties.find(p => p.$type === type) as Extract<P, { $type: T }> | undefined;
}

function resolveDistribution(d: ast.Distribution): DistributionSpec {
    switch (d.$type) {
        case 'BinaryDistribution':
            return { kind: 'binary' };
        case 'UniformDistribution':
            return { kind: 'uniform', low: d.low, high: d.high };
        case 'NormalDistribution':
            return { kind: 'normal', mean: d.mean, std: d.std };
    }
}

function resolveOperationKind(op: ast.Operation): OperationKindSpec {
    for (const p of op.properties) {
        if (p.$type === 'MatvecKind') return { kind: 'matvec' };
        if (p.$type === 'PowerKind') return { kind: 'power', order: p.order };
        if (p.$type === 'PolynomialKind') return { kind: 'polynomial', coefficients: [...p.coefficients] };
    }
    return { kind: 'matvec' };
}

export function resolveOperation(op: ast.Operation): OperationSpec {
    const props = op.properties;
    const entries = findProperty(props, 'EntriesProperty');
    const vectors = findProperty(props, 'VectorsProperty');
    const rank = findProperty(props, 'RankProperty')?.value;
    const matrixProperty = findProperty(props, 'MatrixProperty');
    const matrix = matrixProperty && typeof matrixProperty.file === 'string' ? matrixFileOf(matrixProperty) : undefined;
    const normalize = findProperty(props, 'NormalizeProperty')?.mode;
    return {
        name: op.name,
        target: resolveOperationKind(op),
        // a matrix file's size is its own (a `size` that disagrees is the validator's error)
        size: matrix?.matrix?.n ?? findProperty(props, 'SizeProperty')?.value ?? OPERATION_DEFAULTS.size,
        // a low-rank A has no zeros: with `rank` the sparsity defaults to 0
        // a matrix file's sparsity is its share of zero entries (what the cost estimate reads)
        sparsity: matrix?.matrix
            ? 1 - matrix.matrix.values.length / (matrix.matrix.n * matrix.matrix.n)
            : (findProperty(props, 'SparsityProperty')?.value ?? (rank !== undefined ? 0 : OPERATION_DEFAULTS.sparsity)),
        // `entries` still being typed has no distribution yet: the default stands in, as for a missing property
        entries: entries?.distribution ? resolveDistribution(entries.distribution) : OPERATION_DEFAULTS.entries,
        vectors: vectors?.distribution ? resolveDistribution(vectors.distribution) : OPERATION_DEFAULTS.vectors,
        ...(rank !== undefined ? { rank } : {}),
        ...(matrix ? { matrix } : {}),
        ...(normalize && normalize !== 'none' ? { normalize } : {}),
    };
}

export function resolveNetwork(net: ast.Network): NetworkSpec {
    const props = net.properties;
    const hidden = findProperty(props, 'HiddenProperty');
    return {
        name: net.name,
        width: findProperty(props, 'WidthProperty')?.value ?? NETWORK_DEFAULTS.width,
        depth: findProperty(props, 'DepthProperty')?.value ?? NETWORK_DEFAULTS.depth,
        masking: findProperty(props, 'MaskingProperty')?.value ?? NETWORK_DEFAULTS.masking,
        pruning: findProperty(props, 'PruningProperty')?.mode ?? NETWORK_DEFAULTS.pruning,
        activation: findProperty(props, 'ActivationProperty')?.function ?? NETWORK_DEFAULTS.activation,
        weights: findProperty(props, 'WeightsProperty')?.mode ?? NETWORK_DEFAULTS.weights,
        architecture: findProperty(props, 'ArchitectureProperty')?.kind ?? NETWORK_DEFAULTS.architecture,
        ...(hidden && hidden.sizes.length > 0 ? { hidden: [...hidden.sizes] } : {}),
    };
}

function resolveOptimizer(opt: ast.Optimizer | undefined): OptimizerSpec {
    if (!opt) return EXPERIMENT_DEFAULTS.optimizer;
    const option = (name: ast.OptimizerOptionName) => opt.options.find(o => o.name === name)?.value;
    if (opt.$type === 'AdamOptimizer') {
        return {
            kind: 'adam',
            lr: option('lr') ?? ADAM_DEFAULTS.lr,
            beta1: option('beta1') ?? ADAM_DEFAULTS.beta1,
            beta2: option('beta2') ?? ADAM_DEFAULTS.beta2,
            epsilon: option('epsilon') ?? ADAM_DEFAULTS.epsilon,
        };
    }
    return { kind: 'sgd', lr: option('lr') ?? SGD_DEFAULTS.lr, momentum: option('momentum') ?? SGD_DEFAULTS.momentum };
}

function resolveSchedule(s: ast.Schedule | undefined): ScheduleSpec {
    if (!s || s.$type === 'JointSchedule') return { kind: 'joint' };
    return {
        kind: 'metaEpochs',
        metaEpochs: s.metaEpochs,
        masks: s.masks,
        stepsPerMask: s.stepsPerMask,
        order: s.order ?? EXPERIMENT_DEFAULTS.metaEpochOrder,
    };
}

/**
 * Resolves an experiment. Returns undefined when `learn` is missing, incomplete (`learn Op with` while typing)
 * or unresolved (the validator or the parser reports that); callers need no guard against partial ASTs.
 */
export function resolveExperiment(exp: ast.Experiment): ExperimentSpec | undefined {
    const props = exp.properties;
    const learn = findProperty(props, 'LearnProperty');
    const opNode = learn?.operation?.ref;
    const netNode = learn?.network?.ref;
    if (!opNode || !netNode) return undefined;
    const operation = resolveOperation(opNode);
    const evaluations = props
        .filter((p): p is ast.EvaluateProperty => p.$type === 'EvaluateProperty')
        .map(e => {
            const sizes = e.sizes.length > 0 ? { sizes: [...e.sizes] } : {};
            if (e.pool) return { on: 'pool', samples: e.samples, ...sizes };
            const other = e.operation?.ref;
            const evalOp = other ? resolveOperation(other) : operation;
            return { on: evalOp.name, samples: e.samples, operation: evalOp, ...sizes };
        });
    if (evaluations.length === 0) {
        evaluations.push({ on: operation.name, samples: EXPERIMENT_DEFAULTS.evaluationSamples, operation });
    }
    return {
        name: exp.name,
        operation,
        network: resolveNetwork(netNode),
        optimizer: resolveOptimizer(findProperty(props, 'OptimizerProperty')?.optimizer),
        batch: findProperty(props, 'BatchProperty')?.value ?? EXPERIMENT_DEFAULTS.batch,
        steps: findProperty(props, 'StepsProperty')?.value ?? EXPERIMENT_DEFAULTS.steps,
        stopBelowMse: findProperty(props, 'StopProperty')?.threshold,
        schedule: resolveSchedule(findProperty(props, 'ScheduleProperty')?.schedule),
        seed: findProperty(props, 'SeedProperty')?.value ?? EXPERIMENT_DEFAULTS.seed,
        pool: findProperty(props, 'PoolProperty')?.value,
        seeds: findProperty(props, 'SeedsProperty')?.value ?? 1,
        evaluations,
        sweep: props
            .filter((p): p is ast.SweepProperty => p.$type === 'SweepProperty')
            .flatMap(s => s.axes.map(a => ({ parameter: a.parameter, values: a.names.length > 0 ? [...a.names] : [...a.values] }))),
    };
}
