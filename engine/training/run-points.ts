// Trains an experiment's points in this thread, loading tfjs only when a point needs it: SIMD points train without.
import type { CompiledPlan, ExperimentPlan } from '../compiler/plan-types.js';
import type { BackendName, PointResult, TrainingProgress } from '../results/result-types.js';
import type { BackendChoice } from '../results/result-types.js';
import type { BackendSelection } from './backend.js';
import { TFJS_NODE_NOT_INSTALLED, tfjsNodeFound, wasmBinaryFound } from './backend-files.js';
import { chooseKernel, type KernelName } from './kernel-registry.js';
import { trainSimdPoint } from './train-simd-point.js';
import type { PointOutcome, TrainOptions } from './train-rules.js';

export interface RunOptions {
    backend?: BackendChoice;
    /** Progress at most every `progressIntervalMs` (default 100 ms, i.e. <= 10 per second) and at the end of each point. */
    onProgress?: (p: TrainingProgress) => void;
    progressIntervalMs?: number;
    signal?: AbortSignal;
    /** Checked before every step (a worker's shared cancel flag). */
    shouldStop?: () => boolean;
    /** A turn for the event loop at every loss read (TrainOptions.yieldOnRead). */
    yieldOnRead?: boolean;
    /** The preferred kernel (default simd); each point takes the first of the registry that applies from there. */
    kernels?: KernelName;
}

export interface PointsRun {
    backend: BackendName;
    fallbacks: string[];
    /** In the order of `indices`; a cancelled run stops early, so there may be fewer. */
    points: { index: number; result: PointResult }[];
}

/**
 * The backend selection when every point of `indices` trains on the SIMD step, found without loading tfjs: the
 * backend `choice` would select (what the result reports; the SIMD step and its evaluation use none), else undefined.
 * With tfjs-node installed, `auto` is left to backend.ts, which finds out whether it loads.
 */
function simdSelection(
    experimentPlan: ExperimentPlan,
    indices: number[],
    choice: BackendChoice,
    preferred: KernelName,
): BackendSelection | undefined {
    if (preferred !== 'simd' || choice === 'tensorflow') return undefined;
    if (choice === 'auto' && tfjsNodeFound()) return undefined;
    if (choice !== 'cpu' && !wasmBinaryFound()) return undefined;
    const selection: BackendSelection =
        choice === 'cpu'
            ? { backend: 'cpu', fallbacks: [] }
            : { backend: 'wasm', fallbacks: choice === 'auto' ? [TFJS_NODE_NOT_INSTALLED] : [] };
    return indices.every(k => wasmKernel(chooseKernel(experimentPlan.points[k].plan, 'simd', selection.backend))) ? selection : undefined;
}

function wasmKernel(kernel: KernelName): kernel is 'simd' | 'simd-layers' {
    return kernel === 'simd' || kernel === 'simd-layers';
}

/**
 * Trains the points `indices` of a compiled experiment, one after another: on the SIMD step without tfjs where every
 * one of them can, else on tfjs (run-experiment.ts, loaded then, whose trainPoint takes the SIMD step too where it
 * applies): a point gets the same numbers either way.
 */
export async function runPoints(experimentPlan: ExperimentPlan, indices: number[], opts: RunOptions = {}): Promise<PointsRun> {
    const selection = simdSelection(experimentPlan, indices, opts.backend ?? 'auto', opts.kernels ?? 'simd');
    if (selection) {
        // simdSelection found a wasm kernel for every point
        const train = (plan: CompiledPlan, o: TrainOptions) =>
            trainSimdPoint(plan, o, chooseKernel(plan, 'simd', selection.backend) === 'simd' ? 'simd' : 'simd-layers');
        return trainEach(experimentPlan, indices, opts, selection, train);
    }
    const { runPoints: runOnTfjs } = await import('./run-experiment.js');
    return runOnTfjs(experimentPlan, indices, opts);
}

/** Trains the points `indices` one after another with `train` (its progress throttled), on the selected backend. */
export async function trainEach(
    experimentPlan: ExperimentPlan,
    indices: number[],
    opts: RunOptions,
    selection: BackendSelection,
    train: (plan: CompiledPlan, opts: TrainOptions) => Promise<PointOutcome>,
): Promise<PointsRun> {
    const { experiment, points: compiled } = experimentPlan;
    const interval = opts.progressIntervalMs ?? 100;
    const points: PointsRun['points'] = [];
    let lastEmit = -Infinity;
    for (const index of indices) {
        const { plan, params } = compiled[index];
        const emit = (step: number, loss: number, force: boolean) => {
            const now = performance.now();
            if (!opts.onProgress || (!force && now - lastEmit < interval)) return;
            lastEmit = now;
            opts.onProgress({ experiment, point: index, points: compiled.length, step, steps: plan.steps, loss });
        };
        const outcome = await train(plan, {
            signal: opts.signal,
            shouldStop: opts.shouldStop,
            yieldOnRead: opts.yieldOnRead,
            kernels: opts.kernels,
            onProgress: p => emit(p.step, p.loss, false),
        });
        const { finalWeights: _drop, ...rest } = outcome;
        void _drop;
        const last = outcome.lossCurve[outcome.lossCurve.length - 1];
        emit(outcome.steps, last ? last[1] : NaN, true);
        points.push({ index, result: { params, ...rest } });
        if (outcome.stopped === 'cancelled') break;
    }
    return { backend: selection.backend, fallbacks: selection.fallbacks, points };
}
