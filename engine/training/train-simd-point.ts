// Trains one plan on the wasm SIMD step without tfjs: the step loop, early stop, divergence, cancellation, evaluation.
import type { CompiledPlan } from '../compiler/plan-types.js';
import { deriveSeed } from '../compiler/seeds.js';
import { forwardAll, RowwiseWorkspace } from './emn-kernels.js';
import { evaluatePlanWith, evaluateSetWith, type Predict } from './evaluate-set.js';
import { initialWeights } from './network-layout.js';
import { layersPredict } from './layers-forward.js';
import { learnedMapOf } from './learned-map.js';
import { simdLayersRun } from './simd-layers-kernel.js';
import { rowwiseShape, type SimdRun, simdTrainer } from './simd-trainer.js';
import { splitApplies, splitWorkerPath, startSplitRun } from './split-run.js';
import { chooseSplitThreads } from '../cost/split-threads.js';
import { pointOutcome, readEveryOf, runStepLoop } from './step-loop.js';
import {
    CONFIRM_SEED_INDEX,
    type PointOutcome,
    type SplitSetting,
    TARGET_CONFIRM_SAMPLES,
    TargetRule,
    type TrainOptions,
} from './train-rules.js';
import { TrainingData } from './training-data.js';

/**
 * The rowwise network's forward pass on plain arrays (weights in their internal layouts, by name in paramSpecs order):
 * the very function the fused tfjs kernel runs (fused-ops.ts), so the metrics are the tfjs path's to the bit.
 */
export function plainPredict(plan: CompiledPlan, weights: Map<string, Float32Array>, workspaces: Map<number, RowwiseWorkspace>): Predict {
    const W = [...weights.values()];
    return batch => {
        let ws = workspaces.get(batch.size);
        if (!ws) workspaces.set(batch.size, (ws = new RowwiseWorkspace({ ...rowwiseShape(plan), B: batch.size })));
        const yhat = new Float32Array(plan.operation.n * batch.size);
        forwardAll(ws, batch.ax, W, yhat);
        return yhat;
    };
}

/** Threads for this SIMD run: the setting's, else the cost model's (split-threads.ts); 1 where rows are not independent. */
function splitThreadsFor(plan: CompiledPlan, split: SplitSetting | undefined): number {
    if (!split || !splitApplies(plan) || !splitWorkerPath()) return 1;
    return Math.max(1, Math.min(plan.operation.n, split.threads ?? chooseSplitThreads(plan, split.cores ?? 1)));
}

/**
 * trainPoint for a plan on one of the wasm kernels (`simd`, or `simd-layers` for k masking layers and skip channels):
 * the same loop and rules (train-rules.ts), the same numbers, no tfjs; a `simd` run on several threads when opts.split
 * says so (split-run.ts), with the same numbers again.
 */
export async function trainSimdPoint(
    plan: CompiledPlan,
    opts: TrainOptions = {},
    kernel: 'simd' | 'simd-layers' = 'simd',
): Promise<PointOutcome> {
    const started = performance.now();
    const data = new TrainingData(plan);
    const init = opts.initial ?? initialWeights(plan);
    // a split run's workers draw the fresh binary stream themselves; stored batches (pools, other entries) stay on one thread
    const threads = kernel === 'simd' && !data.storedBatchDraw() ? splitThreadsFor(plan, opts.split) : 1;
    if (threads <= 1) {
        const simd = kernel === 'simd' ? simdTrainer(plan, init, data) : simdLayersRun(plan, init);
        return trainOn(plan, opts, data, simd, kernel, started);
    }
    const split = await startSplitRun(plan, init, data, { threads, readEvery: readEveryOf(opts), onWorkers: opts.split?.onWorkers });
    try {
        // the workers run ahead to the next loss read: a cancel takes effect there (within readEvery steps), where every
        // thread stands at the same step
        const stop = () => opts.signal?.aborted === true || opts.shouldStop?.() === true;
        const atRead: TrainOptions = {
            ...opts,
            signal: undefined,
            yieldOnRead: opts.yieldOnRead ?? opts.signal !== undefined,
            shouldStop: () => split.atReadStep() && stop(),
        };
        return await trainOn(plan, atRead, data, split, kernel, started);
    } finally {
        await split.close();
    }
}

async function trainOn(
    plan: CompiledPlan,
    opts: TrainOptions,
    data: TrainingData,
    simd: SimdRun,
    kernel: 'simd' | 'simd-layers',
    started: number,
): Promise<PointOutcome> {
    // one forward workspace per evaluation chunk size, for every confirmation and the final evaluation
    const workspaces = new Map<number, RowwiseWorkspace>();
    const predict = (weights: Map<string, Float32Array>) =>
        kernel === 'simd' ? plainPredict(plan, weights, workspaces) : layersPredict(plan, weights);

    const target =
        plan.stopBelowMse === undefined
            ? undefined
            : new TargetRule(
                  plan.stopBelowMse,
                  async () =>
                      evaluateSetWith(
                          plan,
                          predict(await simd.weights()),
                          plan.operation,
                          TARGET_CONFIRM_SAMPLES,
                          deriveSeed(plan.seeds.evaluation, CONFIRM_SEED_INDEX),
                          data.pool,
                      ).mse,
              );
    const end = await runStepLoop(
        plan,
        opts,
        (step, read) => simd.step(data, step, read),
        () => simd.targets(),
        target,
    );
    const finalWeights = await simd.weights();
    return pointOutcome(
        plan,
        end,
        finalWeights,
        () => evaluatePlanWith(plan, predict(finalWeights), data.pool),
        started,
        () => learnedMapOf(plan, predict(finalWeights), data.pool),
        data.support(),
    );
}
