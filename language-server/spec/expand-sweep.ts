// Expands an experiment's sweep grid into its points: plain spec data in, plain spec data out (no AST).
import type { ExperimentSpec, OperationSpec, SweepParameter, SweepPoint } from './spec-types.js';

/** Applies one sweep value to a copy of the experiment. Evaluation operations follow size and sparsity only when they are the learned one. */
export function applySweepValue(spec: ExperimentSpec, parameter: SweepParameter, value: number): ExperimentSpec {
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

/** Expands the sweep grid (first axis outermost). An experiment without a sweep is one point with no params. */
export function expandSweep(spec: ExperimentSpec): SweepPoint[] {
    let points: SweepPoint[] = [{ params: {}, experiment: { ...spec, sweep: [] } }];
    for (const axis of spec.sweep) {
        points = points.flatMap(p => axis.values.map(v => ({
            params: { ...p.params, [axis.parameter]: v },
            experiment: applySweepValue(p.experiment, axis.parameter, v),
        })));
    }
    return points;
}
