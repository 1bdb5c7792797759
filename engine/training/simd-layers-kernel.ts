// Drives emn-layers.wasm (simd/emn-layers.as.ts): the rowwise EMN with k masking layers and skip channels, one run per instance.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { OptimizerStep } from './emn-kernels.js';
import { keepThreshold } from './bernoulli.js';
import { dims, type ParamSpec, paramSpecs } from './network-layout.js';
import { fusedOptimizer } from './optimizer-step.js';
import type { SimdRun } from './simd-trainer.js';
import type { BinaryMatvecDraw } from './simd-kernel.js';
import { instantiate, wasmModule, wasmOptimizerArgs } from './wasm-module.js';

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

/** The draw parameters of a plan on fresh binary A and uniform x (the registry checked the stream). */
export function freshBinaryDraw(plan: CompiledPlan): BinaryMatvecDraw {
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
    const U = n * W4,
        later = plan.network.pruning === 'none' ? (d - 1) * U * U + U * (n + 4) : (d + 1) * n * W4 * W4;
    const weights = n * (n + 4) * W4 + 2 * (k - 1) * n * n * W4 * W4 + later;
    return 4 * (weights * 5 + (k - 1) * n * n * W4 * W4 + U * U + B * U * (k + d + 4)) + 2 * B * n * n;
}

const ACTIVATIONS = { none: 0, relu: 1, tanh: 2 } as const;

/**
 * For each element of parameter `spec` in its internal layout (network.ts), its index in the module's padded one
 * (emn-layers.as.ts): rows and units padded to lanes (N4, W4), a dense layer's unit i w + c at i W4 + c of U = n W4.
 */
function paddedIndex(spec: ParamSpec, n: number, w: number, N4: number, W4: number, dense: boolean): Int32Array {
    const unit = (u: number) => Math.floor(u / w) * W4 + (u % w);
    const out = new Int32Array(spec.internalShape.reduce((a, b) => a * b, 1));
    const kind = spec.layer.kind,
        weights = spec.name.endsWith('.W');
    if (kind === 'dense' || (kind === 'output' && dense)) {
        // [n w, cols] (in, out): hidden [n w, n w] to [U, U], output [n w, n] to [U, N4]
        const cols = spec.internalShape[1],
            padCols = kind === 'dense' ? n * W4 : N4;
        for (let e = 0; e < out.length; e++) {
            const o = e % cols;
            out[e] = unit(Math.floor(e / cols)) * padCols + (kind === 'dense' ? unit(o) : o);
        }
        return out;
    }
    // one cluster's slice [rows, w]: masked W [n, w] (j, c), message W [n w, w] ((j, c'), c), S / pruned [w, w], output [1, w]
    const rows = kind === 'output' || (kind === 'masked' && !weights) ? 1 : kind === 'masked' ? n : spec.internalShape[1];
    const padRows = rows === 1 ? 1 : kind === 'masked' ? N4 : kind === 'message-passing' && weights ? n * W4 : W4;
    for (let e = 0; e < out.length; e++) {
        const c = e % w,
            rest = Math.floor(e / w),
            i = Math.floor(rest / rows),
            r = rest % rows;
        out[e] = (i * padRows + (padRows === n * W4 ? unit(r) : r)) * W4 + c;
    }
    return out;
}

/**
 * One run's weights and optimiser slots inside a module instance. Weights go in and out in the engine's internal
 * layouts (network.ts): mask1.W [n, n, w], mask1.S [n, 1, w], maskM.W [n, n w, w], maskM.S and hidden [n, w, w],
 * output [n, w, 1]; dense hidden [n w, n w], dense output [n w, n]. The module pads rows and units to lanes.
 */
export class SimdLayersTrainer {
    private readonly x: ReturnType<typeof instantiate<(typeof FUNCTIONS)[number]>>;
    /** The module memory this run uses (weights, slots, one batch). */
    readonly bytes: number;
    readonly names: string[];
    private readonly index: Int32Array[];
    private readonly n: number;
    private readonly B: number;

    constructor(plan: CompiledPlan, slotsPerWeight: number) {
        const { n, w, k, d, rowwise } = dims(plan);
        this.n = n;
        this.B = plan.batch;
        this.x = instantiate(WASM_FILE, FUNCTIONS);
        const coefficients = plan.operation.coefficients;
        const act = ACTIVATIONS[plan.network.activation],
            skips = plan.skipChannels ? 1 : 0;
        this.bytes = this.x.configure(n, plan.batch, w, k, d, act, skips, slotsPerWeight, coefficients.length, rowwise ? 0 : 1);
        if (this.bytes === 0) throw new Error(`the SIMD layers kernel could not allocate memory for n = ${n}`);
        new Float64Array(this.x.memory.buffer, this.x.coefOffset(), coefficients.length).set(coefficients);
        const specs = paramSpecs(plan);
        if (specs.length !== this.x.paramCount())
            throw new Error('emn-layers.wasm disagrees on the parameters (rebuild: node esbuild.mjs)');
        this.names = specs.map(s => s.name);
        this.index = specs.map(s => paddedIndex(s, n, w, this.x.paddedN(), this.x.paddedW(), !rowwise));
    }

    /** Copies parameter p between its internal layout `values` and the module's padded one at byte offset `offset`. */
    private copy(offset: number, p: number, values: Float32Array, into: boolean): void {
        const index = this.index[p];
        const mem = new Float32Array(this.x.memory.buffer, offset, index[index.length - 1] + 1);
        if (into) for (let e = 0; e < index.length; e++) mem[index[e]] = values[e];
        else for (let e = 0; e < index.length; e++) values[e] = mem[index[e]];
    }

    private size(p: number): number {
        return this.index[p].length;
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
    step(s0: number, draw: BinaryMatvecDraw, opt: OptimizerStep): number {
        return this.x.trainStep(s0, draw.t, draw.low, draw.span, ...wasmOptimizerArgs(opt));
    }

    /** Loss of the batch drawn from s0 and every parameter's gradient (internal layouts). No update. */
    gradients(s0: number, draw: BinaryMatvecDraw): { loss: number; grads: Float32Array[] } {
        const loss = this.x.lossAndGradients(s0, draw.t, draw.low, draw.span, 1);
        const grads = this.names.map((_, p) => {
            const g = new Float32Array(this.size(p));
            this.copy(this.x.gradOffset(p), p, g, false);
            return g;
        });
        return { loss, grads };
    }

    /** Loss of the batch drawn from s0 with the current weights. */
    loss(s0: number, draw: BinaryMatvecDraw): number {
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
