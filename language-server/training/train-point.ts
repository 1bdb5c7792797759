// Trains one compiled plan (one sweep point): the step loop, early stop, divergence, cancellation, then evaluation.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { ErrorMetrics, PointResult, StopReason, WeightTensor } from '../results/result-types.js';
import { deriveSeed } from '../compiler/seeds.js';
import { evaluatePlan, evaluateSet } from './evaluate.js';
import { batchTensors, initialWeights, mseLoss, paramSpecs, publishWeight } from './network.js';
import { emnTrainStep, fusedApplies, type KernelMode, kernelMode } from './fused-ops.js';
import { createOptimizer, fusedOptimizer } from './optimizer.js';
import { pathWeights } from './path-weights.js';
import { tf } from './tf.js';
import { TrainingData } from './training-data.js';

export interface StepProgress {
    step: number;
    steps: number;
    loss: number;
}

export interface TrainOptions {
    onProgress?: (p: StepProgress) => void;
    /** Checked before every step; the event loop gets a turn at every loss read so an abort can arrive. */
    signal?: AbortSignal;
    /** Checked before every step (a worker's SharedArrayBuffer flag). */
    shouldStop?: () => boolean;
    /** Read the loss (a device sync) every this many steps; early stop and divergence are decided then. Default 10. */
    readEvery?: number;
    /** Called after every step with the step number (tests: memory checks). */
    afterStep?: (step: number) => void;
    /** Initial weights to use instead of the seeded ones (tests). */
    initial?: Map<string, Float32Array>;
    /** 'fused': the project's own kernels where they apply (fused-ops.ts); 'ops': the reference tfjs graph. Default: EMN_KERNELS. */
    kernels?: KernelMode;
}

/**
 * Divergence: a loss not finite, or above this multiple of the loss scale. The scale is the larger of the first read
 * loss and the mean of y^2 over the batches read so far (the loss of a network that outputs 0): a first batch of
 * all-zero matrices has loss exactly 0, and taken alone as the reference it would make any later loss "diverge".
 */
export const DIVERGENCE_FACTOR = 1e6;
/** The target is judged on the mean of this many consecutive loss reads, never on one batch. */
export const TARGET_READS = 3;
/** ...and then confirmed on this many held-out samples of the training distribution before the run stops. */
export const TARGET_CONFIRM_SAMPLES = 256;
const MAX_CURVE_POINTS = 256;

export type PointOutcome = Omit<PointResult, 'params'> & { finalWeights?: Map<string, Float32Array> };

export async function trainPoint(plan: CompiledPlan, opts: TrainOptions = {}): Promise<PointOutcome> {
    const started = performance.now();
    const readEvery = Math.max(1, opts.readEvery ?? 10);
    const specs = paramSpecs(plan);
    const init = opts.initial ?? initialWeights(plan);
    const vars: Record<string, tf.Variable> = {};
    // inside tidy: the initial-value tensor goes, the variable (which shares its data) stays
    for (const p of specs) vars[p.name] = tf.tidy(() => tf.variable(tf.tensor(init.get(p.name)!, p.internalShape), true));
    // tfjs names variables globally; map them back to ours for the gradients
    const ours = new Map(Object.entries(vars).map(([name, v]) => [v.name, name]));
    const varList = Object.values(vars);
    const optimizer = createOptimizer(plan.optimizer);
    const data = new TrainingData(plan);
    const kernels = opts.kernels ?? kernelMode();
    const fused = fusedApplies(plan, kernels);
    // fused path: optimiser slots (velocity, or Adam's m then v) in weight order, updated by the step kernel
    const slots: tf.Variable[] = fused
        ? Array.from({ length: fusedOptimizer(plan.optimizer, 1).slotsPerWeight }, () => varList.map(v => tf.tidy(() => tf.variable(tf.zerosLike(v), false)))).flat()
        : [];
    const n = plan.operation.n;

    const curve: [number, number][] = [];
    let stopped: StopReason = 'steps';
    let divergedAt: PointResult['divergedAt'];
    let stepMs = 0;
    let steps = 0;
    const scale = new LossScale();
    const target = plan.stopBelowMse === undefined ? undefined : new TargetRule(plan.stopBelowMse,
        () => evaluateSet(plan, vars, plan.operation, TARGET_CONFIRM_SAMPLES, deriveSeed(plan.seeds.evaluation, CONFIRM_SEED_INDEX), data.pool, kernels).mse);
    try {
        for (let step = 1; step <= plan.steps; step++) {
            if (opts.signal?.aborted || opts.shouldStop?.()) { stopped = 'cancelled'; break; }
            const t0 = performance.now();
            const batch = data.next(step - 1);
            const lossTensor = fused ? tf.tidy(() => {
                // one kernel for forward, backward and update; the variables take the new values (no copies)
                const ax = tf.tensor3d(batch.ax, [n, batch.size, n]), y = tf.tensor2d(batch.y, [n, batch.size]);
                const [loss, ...next] = emnTrainStep(plan, ax, y, varList, slots, fusedOptimizer(plan.optimizer, step).step);
                next.forEach((t, e) => (e < varList.length ? varList[e] : slots[e - varList.length]).assign(t));
                return loss;
            }) : tf.tidy(() => {
                const input = batchTensors(plan, batch);
                const { value, grads } = tf.variableGrads(() => mseLoss(plan, vars, input, kernels), varList);
                const named: Record<string, tf.Tensor> = {};
                for (const [k, g] of Object.entries(grads)) named[ours.get(k)!] = g;
                optimizer.apply(vars, named);
                return value;
            });
            const read = step === 1 || step % readEvery === 0 || step === plan.steps;
            const loss = read ? lossTensor.dataSync()[0] : NaN;
            if (read) scale.addBatch(batch.y);
            lossTensor.dispose();
            stepMs += performance.now() - t0;
            steps = step;
            opts.afterStep?.(step);
            if (!read) continue;
            curve.push([step, loss]);
            if (scale.diverged(loss)) {
                stopped = 'diverged';
                divergedAt = { step, loss };
                break;
            }
            opts.onProgress?.({ step, steps: plan.steps, loss });
            if (target?.reached(loss)) { stopped = 'target'; break; }
            if (opts.signal) await new Promise(resolve => setImmediate(resolve));
        }

        const finalWeights = new Map<string, Float32Array>();
        // copy: a backend may hand out its own buffer, which dies with the variable
        for (const [name, v] of Object.entries(vars)) finalWeights.set(name, Float32Array.from(v.dataSync()));
        const weights: WeightTensor[] = [...finalWeights].map(([name, v]) => publishWeight(plan, name, v));
        const nan = { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN };
        // a diverged network has nothing worth evaluating; a cancelled one is evaluated as it stands
        const evaluations = stopped === 'diverged' ? [] : evaluatePlan(plan, vars, data.pool, kernels);
        const first = evaluations[0];
        const pw = stopped === 'diverged' ? undefined : pathWeights(plan, finalWeights);
        const metrics: ErrorMetrics = first
            ? { mse: first.mse, rmse: first.rmse, maxAbsError: first.maxAbsError, relError: first.relError }
            : { ...nan };
        if (pw?.error !== undefined) metrics.pathWeightError = pw.error;
        if (pw?.leak !== undefined) metrics.pathWeightLeak = pw.leak;
        return {
            metrics,
            evaluations,
            steps,
            stopped,
            ...(divergedAt ? { divergedAt } : {}),
            wallMs: performance.now() - started,
            stepsPerSecond: stepMs > 0 ? steps / (stepMs / 1000) : 0,
            lossCurve: subsample(curve, MAX_CURVE_POINTS),
            weights,
            ...(pw ? { pathWeights: pw.e } : {}),
            ...(plan.pathWeightTarget !== undefined ? { pathWeightTarget: plan.pathWeightTarget } : {}),
            finalWeights,
        };
    } finally {
        for (const v of [...varList, ...slots]) v.dispose();
        optimizer.dispose();
    }
}

/** Index for deriveSeed(evaluation seed, .): the held-out samples that confirm a target, apart from every evaluation set. */
const CONFIRM_SEED_INDEX = 1_000_003;

/** The divergence rule (see DIVERGENCE_FACTOR): tracks the loss scale over the loss reads. */
export class LossScale {
    private firstLoss: number | undefined;
    private ySquares = 0;
    private yCount = 0;

    /** The targets of a batch whose loss is read. */
    addBatch(y: ArrayLike<number>): void {
        for (let e = 0; e < y.length; e++) this.ySquares += y[e] * y[e];
        this.yCount += y.length;
    }

    /** Judges a loss read (after addBatch of its batch). */
    diverged(loss: number): boolean {
        if (!Number.isFinite(loss)) return true;
        this.firstLoss ??= loss;
        const reference = Math.max(this.firstLoss, this.yCount > 0 ? this.ySquares / this.yCount : 0);
        // a reference of 0 (only all-zero batches so far) cannot judge anything finite
        return reference > 0 && loss > DIVERGENCE_FACTOR * reference;
    }
}

/**
 * The early stop `stop when mse < T`: the mean of the last TARGET_READS loss reads must be below T, and then the mse
 * on held-out samples (`confirm`) too. A failed confirmation waits for TARGET_READS new reads before the next one.
 */
export class TargetRule {
    private readonly recent: number[] = [];

    constructor(private readonly below: number, private readonly confirm: () => number) {}

    reached(loss: number): boolean {
        this.recent.push(loss);
        if (this.recent.length > TARGET_READS) this.recent.shift();
        if (this.recent.length < TARGET_READS) return false;
        const mean = this.recent.reduce((s, l) => s + l, 0) / this.recent.length;
        if (!(mean < this.below)) return false;
        if (this.confirm() < this.below) return true;
        this.recent.length = 0;
        return false;
    }
}

/** At most `max` points, evenly spaced, always keeping the first and the last. */
export function subsample<T>(points: T[], max: number): T[] {
    if (points.length <= max) return points;
    const out: T[] = [];
    for (let k = 0; k < max; k++) out.push(points[Math.round((k * (points.length - 1)) / (max - 1))]);
    return out;
}
