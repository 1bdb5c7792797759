// Whether a plan trains on the wasm SIMD step, and the run-level wrapper train-point-simd.ts calls once per step (no tfjs).
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { RowwiseShape } from './emn-kernels.js';
import { paramSpecs } from './network-layout.js';
import { fusedOptimizer } from './optimizer-step.js';
import { type BinaryMatvecDraw, SimdRowwiseTrainer } from './simd-kernel.js';
import type { TrainingData } from './training-data.js';

export function rowwiseShape(plan: CompiledPlan): RowwiseShape {
    const nw = plan.network;
    return { n: plan.operation.n, B: plan.batch, w: nw.width, d: nw.depth, activation: nw.activation };
}

/** The names of the weights the SIMD step trains, in its order (W1, hidden..., output). */
function weightNames(plan: CompiledPlan): string[] {
    return paramSpecs(plan).map(p => p.name);
}

export interface SimdRun {
    /**
     * Trains 1-based step `step` on the next batch of `data`; returns the batch's loss before the update (a split run,
     * split-run.ts: a promise, of NaN unless `read`).
     */
    step(data: TrainingData, step: number, read?: boolean): number | Promise<number>;
    /** The targets y [n, B] of the last read step's batch (what batch.y is on the other paths). */
    targets(): Float32Array;
    /** The trained weights by name (internal layouts). */
    weights(): Map<string, Float32Array> | Promise<Map<string, Float32Array>>;
}

/**
 * The SIMD step for this run (where the registry chose the `simd` kernel) on the stream of `data`: the fresh binary
 * batch drawn from its state, or a batch drawn into the module's store of matrices (a pool's written once here).
 */
export function simdTrainer(plan: CompiledPlan, init: Map<string, Float32Array>, data: TrainingData): SimdRun {
    const names = weightNames(plan);
    const first = fusedOptimizer(plan.optimizer, 1);
    const trainer = new SimdRowwiseTrainer(rowwiseShape(plan), first.slotsPerWeight);
    names.forEach((name, p) => trainer.setWeight(p, init.get(name)!));
    // SGD's step does not change with the step number (Adam's bias correction does)
    const sgd = plan.optimizer.kind === 'sgd' ? first.step : undefined;
    const stored = data.storedBatchDraw();
    if (stored) {
        const pool = stored.source === 'fresh' ? undefined : data.pool!;
        trainer.useStore(pool?.length ?? plan.batch);
        pool?.forEach((m, k) => trainer.setMatrix(k, m));
    }
    // the registry checked simdStream(plan): a stream without a stored draw is the fresh binary one
    const draw: BinaryMatvecDraw | undefined = stored ? undefined : data.binaryMatvecDraw()!;
    return {
        step(data, step) {
            const opt = sgd ?? fusedOptimizer(plan.optimizer, step).step;
            if (stored) {
                data.stream = trainer.drawBatch(data.stream, stored, stored.source === 'fixed' ? data.maskAt(step - 1) : 0);
                return trainer.stepStored(opt);
            }
            const loss = trainer.step(data.drawState, draw!, opt);
            data.skipBatch();
            return loss;
        },
        targets: () => trainer.targets(),
        weights: () => new Map(names.map((name, p) => [name, trainer.weight(p)])),
    };
}
