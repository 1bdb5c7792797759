// Expands an experiment's sweep grid into its points: plain spec data in, plain spec data out (no AST).
import { deriveSeed } from '../compiler/seeds.js';
import type { ExperimentSpec, OperationSpec, SweepParameter, SweepPoint } from './spec-types.js';

/** Applies one sweep value to a copy of the experiment. Evaluation operations follow size and sparsity only when they are the learned one. */
function applySweepValue(spec: ExperimentSpec, parameter: SweepParameter, value: number): ExperimentSpec {
    const s: ExperimentSpec = structuredClone(spec);
    const learnedName = s.operation.name;
    const forEvalOps = (f: (op: OperationSpec) => void) => {
        f(s.operation);
        for (const e of s.evaluations) if (e.operation) {
            // operations evaluated out of distribution keep their own sparsity, but must share n
            if (e.operation.name === learnedName || parameter === 'size') f(e.operation);
        }
    };
    switch (parameter) {
        case 'size': forEvalOps(op => { op.size = value; }); break;
        case 'sparsity': forEvalOps(op => { if (op.name === learnedName) op.sparsity = value; }); break;
        case 'width': s.network.width = value; break;
        case 'depth': s.network.depth = value; break;
        case 'masking': s.network.masking = value; break;
        case 'pool': s.pool = value; break;
        case 'batch': s.batch = value; break;
        case 'steps': s.steps = value; break;
        case 'lr': s.optimizer = { ...s.optimizer, lr: value }; break;
        case 'seed': s.seed = value; break;
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
        points = points.flatMap(p => axis.values.map(v => ({
            params: { ...p.params, [axis.parameter]: v },
            experiment: applySweepValue(p.experiment, axis.parameter, v),
        })));
    }
    const seeds = spec.seeds ?? 1;
    if (seeds > 1) {
        points = points.flatMap(p => replicateSeeds(p.experiment.seed, seeds).map(seed => ({
            params: { ...p.params, seed },
            experiment: applySweepValue(p.experiment, 'seed', seed),
        })));
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
