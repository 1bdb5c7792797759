// Whether a plan trains on the wasm SIMD step, and the run-level wrapper train-point.ts calls once per step.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { RowwiseShape } from './emn-kernels.js';
import { fusedApplies, type KernelMode } from './fused-ops.js';
import { paramSpecs } from './network.js';
import { fusedOptimizer } from './optimizer.js';
import { type BinaryMatvecDraw, SimdRowwiseTrainer, simdAvailable } from './simd-kernel.js';
import { binaryMatvecStream, type TrainingData } from './training-data.js';

/**
 * The SIMD step covers what the fused kernels cover (rowwise, one masking layer, no skip channels, cpu or wasm
 * backend) when the batch is a fresh binary A with uniform x and target A x (the module draws it itself).
 */
export function simdApplies(plan: CompiledPlan, requested: KernelMode): boolean {
    return requested === 'simd' && fusedApplies(plan, requested) && simdAvailable() && binaryMatvecStream(plan);
}

export function rowwiseShape(plan: CompiledPlan): RowwiseShape {
    const nw = plan.network;
    return { n: plan.operation.n, B: plan.batch, w: nw.width, d: nw.depth, activation: nw.activation };
}

/** The names of the weights the SIMD step trains, in its order (W1, hidden..., output). */
function weightNames(plan: CompiledPlan): string[] {
    return paramSpecs(plan).map(p => p.name);
}

export interface SimdRun {
    /** Trains 1-based step `step` on the next batch of `data`; returns the batch's loss before the update. */
    step(data: TrainingData, step: number): number;
    /** The targets y [n, B] of the last step's batch (what batch.y is on the other paths). */
    targets(): Float32Array;
    /** The trained weights by name (internal layouts). */
    weights(): Map<string, Float32Array>;
}

/** The SIMD step for this run, or undefined when it does not apply. */
export function simdTrainer(plan: CompiledPlan, kernels: KernelMode, init: Map<string, Float32Array>): SimdRun | undefined {
    if (!simdApplies(plan, kernels)) return undefined;
    const names = weightNames(plan);
    const trainer = new SimdRowwiseTrainer(rowwiseShape(plan), fusedOptimizer(plan.optimizer, 1).slotsPerWeight);
    names.forEach((name, p) => trainer.setWeight(p, init.get(name)!));
    // SGD's step does not change with the step number (Adam's bias correction does)
    const sgd = plan.optimizer.kind === 'sgd' ? fusedOptimizer(plan.optimizer, 1).step : undefined;
    let draw: BinaryMatvecDraw | undefined;
    return {
        step(data, step) {
            // simdApplies checked binaryMatvecStream(plan), the condition under which the stream has a draw
            draw ??= data.binaryMatvecDraw()!;
            const loss = trainer.step(data.drawState, draw, sgd ?? fusedOptimizer(plan.optimizer, step).step);
            data.skipBatch();
            return loss;
        },
        targets: () => trainer.targets(),
        weights: () => new Map(names.map((name, p) => [name, trainer.weight(p)])),
    };
}
