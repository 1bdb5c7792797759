// Builds ExperimentSpec objects (and their compiled ExperimentPlans) for the compiler and trainer tests (no parser involved).
import { compileExperimentPlan } from '../engine/compiler/compile-sweep.js';
import type { ExperimentPlan } from '../engine/compiler/plan-types.js';
import type { ExperimentSpec, NetworkSpec, OperationSpec } from '../engine/spec/spec-types.js';

export interface SpecOverrides {
    operation?: Partial<OperationSpec>;
    network?: Partial<NetworkSpec>;
    experiment?: Partial<Omit<ExperimentSpec, 'operation' | 'network'>>;
}

export function makeSpec(o: SpecOverrides = {}): ExperimentSpec {
    const operation: OperationSpec = {
        name: 'Op',
        target: { kind: 'matvec' },
        size: 5,
        sparsity: 0.5,
        entries: { kind: 'binary' },
        vectors: { kind: 'uniform', low: -1, high: 1 },
        ...o.operation,
    };
    const network: NetworkSpec = { name: 'Net', width: 4, depth: 2, masking: 1, pruning: 'rowwise', activation: 'none', ...o.network };
    return {
        name: 'Exp',
        operation,
        network,
        optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 },
        batch: 32,
        steps: 200,
        schedule: { kind: 'joint' },
        seed: 1,
        evaluations: [{ on: operation.name, samples: 500, operation }],
        sweep: [],
        ...o.experiment,
    };
}

/** The compiled experiment of makeSpec(o): what the trainer and the worker client take. */
export function makePlan(o: SpecOverrides = {}): ExperimentPlan {
    return compileExperimentPlan(makeSpec(o));
}
