// Expands an experiment's sweep grid into its points: plain spec data in, plain spec data out (no AST).
import { deriveSeed } from '../compiler/seeds.js';
import { NETWORK_DEFAULTS } from './defaults.js';
import type {
    Activation,
    Architecture,
    ExperimentSpec,
    MaskOrder,
    OperationSpec,
    Pruning,
    SweepParameter,
    SweepPoint,
    SweepValue,
    WeightSharing,
} from './spec-types.js';

/**
 * Applies one sweep value to a copy of the experiment. Evaluation operations follow size and sparsity only when they
 * are the learned one. The schedule's parameters (order, masks, metaEpochs, maskSteps) change only a meta-epoch
 * schedule and momentum only SGD: elsewhere the points are identical, which the validator says where they are written.
 */
function applySweepValue(spec: ExperimentSpec, parameter: SweepParameter, value: SweepValue): ExperimentSpec {
    const s: ExperimentSpec = structuredClone(spec);
    const learnedName = s.operation.name;
    const forEvalOps = (f: (op: OperationSpec) => void) => {
        f(s.operation);
        for (const e of s.evaluations)
            if (e.operation) {
                // operations evaluated out of distribution keep their own size and sparsity (another size than the
                // training size needs shared weights: the validator and the compiler say so)
                if (e.operation.name === learnedName) f(e.operation);
            }
    };
    const schedule = s.schedule?.kind === 'metaEpochs' ? s.schedule : undefined;
    const v = value as number;
    switch (parameter) {
        case 'size':
            forEvalOps(op => {
                op.size = v;
            });
            break;
        case 'sparsity':
            forEvalOps(op => {
                if (op.name === learnedName) op.sparsity = v;
            });
            break;
        // matvec is power 1; a polynomial has no single order to set (the validator says so)
        case 'power':
            forEvalOps(op => {
                if (op.name === learnedName && op.target.kind !== 'polynomial') op.target = { kind: 'power', order: v };
            });
            break;
        case 'rank':
            forEvalOps(op => {
                if (op.name === learnedName) op.rank = v;
            });
            break;
        case 'width':
            s.network.width = v;
            break;
        case 'depth':
            s.network.depth = v;
            break;
        case 'masking':
            s.network.masking = v;
            break;
        case 'pool':
            s.pool = v;
            break;
        case 'batch':
            s.batch = v;
            break;
        case 'steps':
            s.steps = v;
            break;
        case 'lr':
            s.optimizer = { ...s.optimizer, lr: v };
            break;
        case 'seed':
            s.seed = v;
            break;
        case 'momentum':
            if (s.optimizer.kind === 'sgd') s.optimizer = { ...s.optimizer, momentum: v };
            break;
        case 'order':
            if (schedule) schedule.order = value as MaskOrder;
            break;
        case 'masks':
            if (schedule) schedule.masks = v;
            break;
        case 'metaEpochs':
            if (schedule) schedule.metaEpochs = v;
            break;
        case 'maskSteps':
            if (schedule) schedule.stepsPerMask = v;
            break;
        case 'activation':
            s.network.activation = value as Activation;
            break;
        case 'pruning':
            s.network.pruning = value as Pruning;
            break;
        case 'weights':
            s.network.weights = value as WeightSharing;
            break;
        case 'architecture':
            s.network.architecture = value as Architecture;
            break;
        // every hidden layer of the MLP takes the swept size (their count stays the declared one)
        case 'hidden':
            s.network.hidden = (s.network.hidden ?? NETWORK_DEFAULTS.hidden!).map(() => v);
            break;
    }
    return s;
}

/**
 * Expands the sweep grid (first axis outermost). An experiment without a sweep is one point with no params.
 * `seeds N` (N > 1) repeats every point N times (innermost), each with its seed in params: the first is the
 * spec's seed, the others derived from it, so adding seeds keeps the first run's numbers.
 */
export function expandSweep(spec: ExperimentSpec): SweepPoint[] {
    let points: SweepPoint[] = [{ params: {}, experiment: { ...spec, sweep: [] } }];
    for (const axis of spec.sweep) {
        points = points.flatMap(p =>
            axis.values.map(v => ({
                params: { ...p.params, [axis.parameter]: v },
                experiment: applySweepValue(p.experiment, axis.parameter, v),
            })),
        );
    }
    const seeds = spec.seeds ?? 1;
    if (seeds > 1) {
        points = points.flatMap(p =>
            replicateSeeds(p.experiment.seed, seeds).map(seed => ({
                params: { ...p.params, seed },
                experiment: applySweepValue(p.experiment, 'seed', seed),
            })),
        );
    }
    return points;
}

/** `count` seeds from `seed`: the seed itself, then derived ones (distinct 31-bit integers, stream 1000 + k). */
export function replicateSeeds(seed: number, count: number): number[] {
    const seeds = [seed];
    for (let k = 1; seeds.length < count; k++) {
        const s = deriveSeed(seed, 1000 + k) >>> 1;
        if (!seeds.includes(s)) seeds.push(s);
    }
    return seeds;
}
