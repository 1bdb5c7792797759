// Loads emn-step.wasm (the f32x4 SIMD training step, simd/emn-step.as.ts) and drives one run's weights through it.
import type { Activation, DistributionSpec } from '../spec/spec-types.js';
import type { OptimizerStep, RowwiseShape } from './emn-kernels.js';
import { instantiate, wasmModule, wasmOptimizerArgs } from './wasm-module.js';

/** The module's exports (simd/emn-step.as.ts): its memory and FUNCTIONS, checked once per instance (wasm-module.ts). */
type EmnStepExports = ReturnType<typeof instantiate<(typeof FUNCTIONS)[number]>>;
const FUNCTIONS = [
    'configure',
    'configureRows',
    'weightOffset',
    'slotOffset',
    'axOffset',
    'yOffset',
    'gradOffset',
    'rowSqOffset',
    'paddedN',
    'paddedW',
    'trainStep',
    'lossAndGradients',
    'drawRow',
    'configureStore',
    'matrixOffset',
    'setStream',
    'streamState',
    'streamHasSpare',
    'streamSpare',
    'drawStoredBatch',
    'trainStored',
    'lossAndGradientsStored',
    'storedRow',
] as const;

/** How the batch of a step is drawn: the engine's stream state and the binary-A / uniform-x parameters. */
export interface BinaryMatvecDraw {
    /** Keep A's entry with probability (t + 1) / 2^32 (t = keepThreshold(keep): bernoulli.ts draws the mask). */
    t: number;
    low: number;
    span: number;
}

/**
 * A batch the module draws into its store of matrices (simd/batch.as.ts) with the JS sampler's stream: each sample's A
 * fresh (the mask kept where u <= t, then the entries), one of the stored matrices at random (a pool), or the stored
 * matrix the step names (meta-epochs); then its x.
 */
export interface StoredBatchDraw {
    source: 'fresh' | 'pool' | 'fixed';
    t: number;
    entries: DistributionSpec;
    vectors: DistributionSpec;
}

/** The engine's stream between batches (rng.ts): mulberry32's state and Box-Muller's pending second value. */
export interface StreamState {
    state: number;
    spare: number | undefined;
}

const SOURCES: Record<StoredBatchDraw['source'], number> = { fresh: 0, pool: 1, fixed: 2 };

/** A distribution as batch.as.ts takes it: code (0 binary, 1 uniform, 2 normal) and two parameters. */
function distributionCode(d: DistributionSpec): [number, number, number] {
    if (d.kind === 'uniform') return [1, d.low, d.high - d.low];
    if (d.kind === 'normal') return [2, d.mean, d.std];
    return [0, 0, 0];
}

const WASM_FILE = 'emn-step.wasm';

export function simdAvailable(): boolean {
    return wasmModule(WASM_FILE).module !== undefined;
}

const ACTIVATIONS: Record<Activation, number> = { none: 0, relu: 1, tanh: 2 };

/** The rows (clusters) of a run one trainer owns: a split run's share (split-run.ts); default all n. */
export interface OwnedRows {
    first: number;
    count: number;
}

/**
 * One run's weights and optimiser slots inside a module instance (its own memory: runs never share one).
 * Weights go in and out in the engine's internal layouts (network.ts): W1 [n, n, w], hidden [n, w, w], Wout [n, w, 1],
 * of the owned rows only (n of them by default).
 */
export class SimdRowwiseTrainer {
    private readonly x: EmnStepExports;
    /** The module memory this run uses (weights, slots, one batch, stored matrices): the bench's working memory per step. */
    bytes: number;
    private readonly n4: number;
    private readonly w4: number;

    constructor(
        readonly shape: RowwiseShape,
        readonly slotsPerWeight: number,
        readonly rows: OwnedRows = { first: 0, count: shape.n },
    ) {
        // the JS runtime's own log, sin and cos, so the module's normal draws are rng.ts's to the bit (batch.as.ts)
        this.x = instantiate(WASM_FILE, FUNCTIONS, { log: Math.log, sin: Math.sin, cos: Math.cos });
        const { n, B, w, d, activation } = shape;
        this.bytes = this.x.configureRows(n, B, w, d, ACTIVATIONS[activation], slotsPerWeight, rows.first, rows.count);
        if (this.bytes === 0) throw new Error(`the SIMD kernel could not allocate memory for n = ${n}`);
        this.n4 = this.x.paddedN();
        this.w4 = this.x.paddedW();
    }

    private f32(offset: number, length: number): Float32Array {
        return new Float32Array(this.x.memory.buffer, offset, length);
    }

    /** Padded rows x columns of weight p per cluster (p = 0: W1, 1..d-1: hidden, d: output). */
    private dims(p: number): { rows: number; cols: number; padRows: number; padCols: number } {
        const { n, w, d } = this.shape;
        if (p === 0) return { rows: n, cols: w, padRows: this.n4, padCols: this.w4 };
        if (p === d) return { rows: 1, cols: w, padRows: 1, padCols: this.w4 };
        return { rows: w, cols: w, padRows: this.w4, padCols: this.w4 };
    }

    private copy(offset: number, p: number, values: Float32Array, into: boolean): void {
        const { rows, cols, padRows, padCols } = this.dims(p),
            n = this.rows.count;
        const mem = this.f32(offset, n * padRows * padCols);
        for (let i = 0; i < n; i++)
            for (let r = 0; r < rows; r++) {
                const src = (i * rows + r) * cols,
                    dst = (i * padRows + r) * padCols;
                if (into) mem.set(values.subarray(src, src + cols), dst);
                else values.set(mem.subarray(dst, dst + cols), src);
            }
    }

    /** Sets weight p (internal layout) and, when given, its slots. */
    setWeight(p: number, values: Float32Array, slots: Float32Array[] = []): void {
        this.copy(this.x.weightOffset(p), p, values, true);
        slots.forEach((s, k) => this.copy(this.x.slotOffset(k, p), p, s, true));
    }

    /** How many values weight p has in its internal layout (the owned rows' clusters). */
    private size(p: number): number {
        const { n, w, d } = this.shape,
            c = this.rows.count;
        return p === 0 ? c * n * w : p === d ? c * w : c * w * w;
    }

    /** Weight p in its internal layout. */
    weight(p: number): Float32Array {
        const out = new Float32Array(this.size(p));
        this.copy(this.x.weightOffset(p), p, out, false);
        return out;
    }

    /** One training step on the batch drawn from stream state s0; returns the batch's loss before the update. */
    step(s0: number, draw: BinaryMatvecDraw, opt: OptimizerStep): number {
        return this.x.trainStep(s0, draw.t, draw.low, draw.span, ...wasmOptimizerArgs(opt));
    }

    /** Loss of the batch drawn from s0 and, for every weight, its gradient (internal layouts). No update. */
    gradients(s0: number, draw: BinaryMatvecDraw): { loss: number; grads: Float32Array[] } {
        return this.readGradients(i => this.x.lossAndGradients(s0, draw.t, draw.low, draw.span, i));
    }

    /** The loss and gradients of every cluster this instance owns, `pass(i)` leaving cluster i's in the module's GRAD. */
    private readGradients(pass: (i: number) => number): { loss: number; grads: Float32Array[] } {
        const d = this.shape.d;
        const grads = Array.from({ length: d + 1 }, (_, p) => new Float32Array(this.size(p)));
        let loss = 0;
        for (let i = 0; i < this.rows.count; i++) {
            loss = pass(i);
            let off = this.x.gradOffset();
            for (let p = 0; p <= d; p++) {
                const { rows, cols, padRows, padCols } = this.dims(p);
                const mem = this.f32(off, padRows * padCols);
                for (let r = 0; r < rows; r++) grads[p].set(mem.subarray(r * padCols, r * padCols + cols), (i * rows + r) * cols);
                off += padRows * padCols * 4;
            }
        }
        return { loss, grads };
    }

    /** Loss of the batch drawn from s0 with the current weights. */
    loss(s0: number, draw: BinaryMatvecDraw): number {
        return this.x.lossAndGradients(s0, draw.t, draw.low, draw.span, -1);
    }

    /** Row i of the batch drawn from s0, as the module sees it: ax [B, n] and y [B]. */
    drawRow(s0: number, draw: BinaryMatvecDraw, i: number): { ax: Float32Array; y: Float32Array } {
        this.x.drawRow(s0, draw.t, draw.low, draw.span, i);
        return this.readRow(i);
    }

    /** Row i of the module's last batch: ax [B, n] from AX [B, n4], y [B] from Y. */
    private readRow(i: number): { ax: Float32Array; y: Float32Array } {
        const { n, B } = this.shape;
        const padded = this.f32(this.x.axOffset(), B * this.n4),
            ax = new Float32Array(B * n);
        for (let b = 0; b < B; b++) ax.set(padded.subarray(b * this.n4, b * this.n4 + n), b * n);
        return { ax, y: Float32Array.from(this.f32(this.x.yOffset() + i * B * 4, B)) };
    }

    /** Makes room for `count` stored matrices (a pool's, or a fresh batch's B), all zero. */
    useStore(count: number): void {
        const bytes = this.x.configureStore(count);
        if (bytes === 0) throw new Error(`the SIMD kernel could not allocate ${count} matrices of n = ${this.shape.n}`);
        this.bytes += bytes;
    }

    /** Writes stored matrix k (n x n, row-major): a pool's matrix, written once for the run. */
    setMatrix(k: number, matrix: Float32Array): void {
        const { n } = this.shape;
        const mem = this.f32(this.x.matrixOffset(k), n * this.n4);
        for (let i = 0; i < n; i++) mem.set(matrix.subarray(i * n, i * n + n), i * this.n4);
    }

    /** Draws the batch of `draw` from `stream` into the store (`fixed`: the matrix of a 'fixed' draw); returns the stream's end. */
    drawBatch(stream: StreamState, draw: StoredBatchDraw, fixed = 0): StreamState {
        this.x.setStream(stream.state, stream.spare === undefined ? 0 : 1, stream.spare ?? 0);
        this.x.drawStoredBatch(SOURCES[draw.source], draw.t, ...distributionCode(draw.entries), ...distributionCode(draw.vectors), fixed);
        return { state: this.x.streamState() >>> 0, spare: this.x.streamHasSpare() ? this.x.streamSpare() : undefined };
    }

    /** One training step on the last drawn batch; returns its loss before the update. */
    stepStored(opt: OptimizerStep): number {
        return this.x.trainStored(...wasmOptimizerArgs(opt));
    }

    /** gradients, loss and drawRow on the last drawn batch. */
    storedGradients(): { loss: number; grads: Float32Array[] } {
        return this.readGradients(i => this.x.lossAndGradientsStored(i));
    }
    storedLoss(): number {
        return this.x.lossAndGradientsStored(-1);
    }
    storedRow(i: number): { ax: Float32Array; y: Float32Array } {
        this.x.storedRow(i);
        return this.readRow(i);
    }

    /**
     * The targets y [rows, B] of the batch of the last step (or drawRow/gradients call): a view of the module's memory,
     * valid until the next call into it (read every 10 steps by the loss-scale rule, so no copy).
     */
    targets(): Float32Array {
        return this.f32(this.x.yOffset(), this.rows.count * this.shape.B);
    }

    /** Each owned row's sum of squared errors in the last step's batch (f64): a view valid until the next call. */
    rowSquares(): Float64Array {
        return new Float64Array(this.x.memory.buffer, this.x.rowSqOffset(), this.rows.count);
    }
}
