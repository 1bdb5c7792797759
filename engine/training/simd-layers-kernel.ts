// Drives emn-layers.wasm (simd/emn-layers.as.ts): the rowwise EMN with k masking layers and skip channels, one run per instance.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { OptimizerStep } from './emn-kernels.js';
import { keepThreshold } from './bernoulli.js';
import { dims, paramSpecs } from './network-layout.js';
import { fusedOptimizer } from './optimizer-step.js';
import type { SimdRun } from './simd-trainer.js';
import { instantiate, wasmModule } from './wasm-module.js';

const WASM_FILE = 'emn-layers.wasm';
const FUNCTIONS = [
    'configure',
    'paramCount',
    'weightOffset',
    'gradOffset',
    'slotOffset',
    'coefOffset',
    'yOffset',
    'paddedN',
    'paddedW',
    'trainStep',
    'lossAndGradients',
] as const;

export function simdLayersAvailable(): boolean {
    return wasmModule(WASM_FILE).module !== undefined;
}

/** The stream a layers run draws: keep A's entry with probability (t + 1) / 2^32, x = low + span u / 2^32. */
export interface FreshBinaryDraw {
    t: number;
    low: number;
    span: number;
}

/** The draw parameters of a plan on fresh binary A and uniform x (the registry checked the stream). */
export function freshBinaryDraw(plan: CompiledPlan): FreshBinaryDraw {
    const v = plan.operation.vectors;
    if (v.kind !== 'uniform') throw new Error('the SIMD layers kernel draws uniform vectors only');
    return { t: keepThreshold(1 - plan.operation.sparsity), low: v.low, span: v.high - v.low };
}

/** Fresh binary A and uniform x every step (joint schedule, no pool), any target: the stream the layers module draws. */
export function freshBinaryStream(plan: CompiledPlan): boolean {
    const op = plan.operation;
    return (
        plan.schedule.kind === 'joint' &&
        plan.schedule.pool === undefined &&
        op.entries.kind === 'binary' &&
        op.rank === undefined &&
        op.vectors.kind === 'uniform'
    );
}

/** About the module memory a run of `plan` takes (emn-layers.as.ts configure): weights, gradients, slots, the batch. */
export function layersModuleBytes(plan: CompiledPlan): number {
    const { n, w, k, d } = dims(plan),
        W4 = Math.ceil(w / 4) * 4,
        B = plan.batch;
    const weights = n * (n + 4) * W4 + (k - 1) * n * n * W4 * W4 + (k + d) * n * W4 * W4;
    return 4 * (weights * 5 + (k - 1) * n * n * W4 * W4 + B * n * W4 * (k + d + 2)) + 2 * B * n * n;
}

const ACTIVATIONS = { none: 0, relu: 1, tanh: 2 } as const;

/** Where each internal row of one cluster's slice goes in the module: `blocks` blocks of `rows` rows, padded to `padRows`. */
interface SliceLayout {
    blocks: number;
    rows: number;
    padRows: number;
    cols: number;
}

/**
 * One run's weights and optimiser slots inside a module instance. Weights go in and out in the engine's internal
 * layouts (network.ts): mask1.W [n, n, w], mask1.S [n, 1, w], maskM.W [n, n w, w], maskM.S and hidden [n, w, w],
 * output [n, w, 1]; the module pads rows and columns to lanes.
 */
export class SimdLayersTrainer {
    private readonly x: ReturnType<typeof instantiate<(typeof FUNCTIONS)[number]>>;
    /** The module memory this run uses (weights, slots, one batch). */
    readonly bytes: number;
    readonly names: string[];
    private readonly layouts: SliceLayout[];
    private readonly n: number;
    private readonly B: number;
    private readonly W4: number;

    constructor(plan: CompiledPlan, slotsPerWeight: number) {
        const { n, w, k, d } = dims(plan);
        this.n = n;
        this.B = plan.batch;
        this.x = instantiate(WASM_FILE, FUNCTIONS);
        const coefficients = plan.operation.coefficients;
        const act = ACTIVATIONS[plan.network.activation];
        this.bytes = this.x.configure(n, plan.batch, w, k, d, act, plan.skipChannels ? 1 : 0, slotsPerWeight, coefficients.length);
        if (this.bytes === 0) throw new Error(`the SIMD layers kernel could not allocate memory for n = ${n}`);
        new Float64Array(this.x.memory.buffer, this.x.coefOffset(), coefficients.length).set(coefficients);
        const N4 = this.x.paddedN();
        this.W4 = this.x.paddedW();
        const specs = paramSpecs(plan);
        if (specs.length !== this.x.paramCount())
            throw new Error('emn-layers.wasm disagrees on the parameters (rebuild: node esbuild.mjs)');
        this.names = specs.map(s => s.name);
        this.layouts = specs.map(s => {
            const weights = s.name.endsWith('.W');
            if (s.layer.kind === 'output' || (s.layer.kind === 'masked' && !weights)) return { blocks: 1, rows: 1, padRows: 1, cols: w };
            if (s.layer.kind === 'masked') return { blocks: 1, rows: n, padRows: N4, cols: w };
            return { blocks: s.layer.kind === 'message-passing' && weights ? n : 1, rows: w, padRows: this.W4, cols: w };
        });
    }

    /** Copies parameter p between its internal layout `values` and the module's padded one at byte offset `offset`. */
    private copy(offset: number, p: number, values: Float32Array, into: boolean): void {
        const { blocks, rows, padRows, cols } = this.layouts[p],
            W4 = this.W4;
        const mem = new Float32Array(this.x.memory.buffer, offset, this.n * blocks * padRows * W4);
        for (let i = 0; i < this.n; i++)
            for (let k = 0; k < blocks; k++)
                for (let r = 0; r < rows; r++) {
                    const src = ((i * blocks + k) * rows + r) * cols,
                        dst = ((i * blocks + k) * padRows + r) * W4;
                    if (into) mem.set(values.subarray(src, src + cols), dst);
                    else values.set(mem.subarray(dst, dst + cols), src);
                }
    }

    private size(p: number): number {
        const { blocks, rows, cols } = this.layouts[p];
        return this.n * blocks * rows * cols;
    }

    /** Sets parameter p (internal layout) and, when given, its optimiser slots. */
    setWeight(p: number, values: Float32Array, slots: Float32Array[] = []): void {
        this.copy(this.x.weightOffset(p), p, values, true);
        slots.forEach((s, k) => this.copy(this.x.slotOffset(k, p), p, s, true));
    }

    /** Parameter p in its internal layout. */
    weight(p: number): Float32Array {
        const out = new Float32Array(this.size(p));
        this.copy(this.x.weightOffset(p), p, out, false);
        return out;
    }

    /** One training step on the batch drawn from stream state s0; returns the batch's loss before the update. */
    step(s0: number, draw: FreshBinaryDraw, opt: OptimizerStep): number {
        return opt.kind === 'sgd'
            ? this.x.trainStep(s0, draw.t, draw.low, draw.span, 0, opt.lr, opt.momentum, 0, 0, 0)
            : this.x.trainStep(s0, draw.t, draw.low, draw.span, 1, opt.lrT, 0, opt.beta1, opt.beta2, opt.epsilon);
    }

    /** Loss of the batch drawn from s0 and every parameter's gradient (internal layouts). No update. */
    gradients(s0: number, draw: FreshBinaryDraw): { loss: number; grads: Float32Array[] } {
        const loss = this.x.lossAndGradients(s0, draw.t, draw.low, draw.span, 1);
        const grads = this.names.map((_, p) => {
            const g = new Float32Array(this.size(p));
            this.copy(this.x.gradOffset(p), p, g, false);
            return g;
        });
        return { loss, grads };
    }

    /** Loss of the batch drawn from s0 with the current weights. */
    loss(s0: number, draw: FreshBinaryDraw): number {
        return this.x.lossAndGradients(s0, draw.t, draw.low, draw.span, 0);
    }

    /** The targets y [n, B] of the last batch: a view of the module's memory, valid until the next call into it. */
    targets(): Float32Array {
        return new Float32Array(this.x.memory.buffer, this.x.yOffset(), this.n * this.B);
    }
}

/** The SIMD layers step for this run (where the registry chose the `simd-layers` kernel), as train-simd-point.ts drives it. */
export function simdLayersRun(plan: CompiledPlan, init: Map<string, Float32Array>): SimdRun {
    const first = fusedOptimizer(plan.optimizer, 1);
    const trainer = new SimdLayersTrainer(plan, first.slotsPerWeight);
    trainer.names.forEach((name, p) => trainer.setWeight(p, init.get(name)!));
    // SGD's step does not change with the step number (Adam's bias correction does)
    const sgd = plan.optimizer.kind === 'sgd' ? first.step : undefined;
    const draw = freshBinaryDraw(plan);
    return {
        step(data, step) {
            const loss = trainer.step(data.drawState, draw, sgd ?? fusedOptimizer(plan.optimizer, step).step);
            data.skipBatch();
            return loss;
        },
        targets: () => trainer.targets(),
        weights: () => new Map(trainer.names.map((name, p) => [name, trainer.weight(p)])),
    };
}
