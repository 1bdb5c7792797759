// One SIMD run across threads: this thread and row workers (split-worker.ts) each train their rows, with the one-thread numbers.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resourceLimits, Worker } from 'node:worker_threads';
import type { CompiledPlan } from '../compiler/plan-types.js';
import { errorMessage } from '../error-message.js';
import { paramSpecs } from './network-layout.js';
import { fusedOptimizer } from './optimizer-step.js';
import { type BinaryMatvecDraw, type OwnedRows, SimdRowwiseTrainer } from './simd-kernel.js';
import { rowwiseShape, type SimdRun } from './simd-trainer.js';
import {
    CONTROL_DONE,
    CONTROL_GENERATION,
    CONTROL_THROUGH,
    CONTROL_WEIGHTS,
    FAILED_STEP,
    type SplitWorkerData,
    type SplitWorkerMessage,
} from './split-protocol.js';
import { nextReadStep } from './step-loop.js';
import type { TrainingData } from './training-data.js';

/*
 * Why the numbers are the one-thread run's to the bit: a rowwise cluster's weights, batch rows, loss and update depend on
 * no other row (the batch's draws are a counter stream, so each thread draws x and its own rows of every A from the
 * same stream state), and the batch's loss is the sum of the rows' squared errors taken in row order, here as in the
 * module (each thread hands over its rows' f64 sums, this thread adds them in order).
 */

/** Atomics.waitAsync (Node >= 16; TypeScript types it from lib es2024 on). */
type WaitAsync = (
    typed: Int32Array,
    index: number,
    value: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const WORKER_FILE = 'split-worker.cjs';
const here = dirname(fileURLToPath(import.meta.url));

/** The row worker's bundle: beside this bundle (dist/), else the repository's dist/ when running from source. */
export function splitWorkerPath(): string | undefined {
    return [join(here, WORKER_FILE), join(here, '..', '..', 'dist', WORKER_FILE)].find(p => existsSync(p));
}

/** Whether a plan's clusters are independent rows, each with its own weights (shared weights are not). */
export function splitApplies(plan: CompiledPlan): boolean {
    const n = plan.operation.n;
    return plan.network.pruning === 'rowwise' && plan.network.masking === 1 && paramSpecs(plan).every(p => p.internalShape[0] === n);
}

/** n rows in `threads` contiguous shares, as even as they go: [first, count] each, this thread's first. */
export function shareRows(n: number, threads: number): OwnedRows[] {
    return Array.from({ length: threads }, (_, k) => {
        const first = Math.floor((k * n) / threads);
        return { first, count: Math.floor(((k + 1) * n) / threads) - first };
    });
}

export interface SplitRunOptions {
    /** Threads in all: this one and threads - 1 row workers. */
    threads: number;
    /** The step loop's readEvery (readEveryOf): the workers run ahead to the next step whose loss is read. */
    readEvery: number;
    /** The row workers once started (tests: a worker that dies mid-run). */
    onWorkers?: (workers: Worker[]) => void;
}

/** A SimdRun whose steps are shared by threads; close() ends its workers. */
export interface SplitRun extends SimdRun {
    /** Whether every thread stands at the same step (a run may stop only there: the loss reads). */
    atReadStep(): boolean;
    close(): Promise<void>;
}

/** Rows [first, first + count) of a weight whose clusters are its leading dimension. */
function rowsOf(values: Float32Array, rows: OwnedRows, n: number): Float32Array {
    const per = values.length / n;
    return values.slice(rows.first * per, (rows.first + rows.count) * per);
}

/** Starts a split run of `plan` from weights `init` on the stream of `data`; resolves once every worker holds its rows. */
export async function startSplitRun(
    plan: CompiledPlan,
    init: Map<string, Float32Array>,
    data: TrainingData,
    opts: SplitRunOptions,
): Promise<SplitRun> {
    const path = splitWorkerPath();
    if (!path) throw new Error(`${WORKER_FILE} not found beside ${here} (run node esbuild.mjs)`);
    const shape = rowwiseShape(plan),
        { n, B } = shape;
    const draw = data.binaryMatvecDraw();
    if (!draw) throw new Error('a split run needs the binary matvec stream (fresh binary A, uniform x)');
    const names = paramSpecs(plan).map(p => p.name);
    const shares = shareRows(n, opts.threads);
    const shared: SharedBuffers = {
        control: new SharedArrayBuffer(4 * (CONTROL_DONE + shares.length)),
        rowSquares: new SharedArrayBuffer(8 * n),
        targets: new SharedArrayBuffer(4 * n * B),
    };
    const own = new SimdRowwiseTrainer(shape, fusedOptimizer(plan.optimizer, 1).slotsPerWeight, shares[0]);
    names.forEach((name, p) => own.setWeight(p, rowsOf(init.get(name)!, shares[0], n)));
    const host = new SplitHost(plan, own, shares, shared, draw, opts.readEvery);
    for (let k = 1; k < shares.length; k++) {
        const weights = names.map(name => rowsOf(init.get(name)!, shares[k], n));
        host.spawn(k, path, { plan, rows: shares[k], index: k, firstState: data.drawState, draw, weights });
    }
    opts.onWorkers?.(host.workers);
    return host.started();
}

interface SharedBuffers {
    control: SharedArrayBuffer;
    rowSquares: SharedArrayBuffer;
    targets: SharedArrayBuffer;
}

type WorkerStart = Omit<SplitWorkerData, keyof SharedBuffers>;

class SplitHost implements SplitRun {
    readonly workers: Worker[] = [];
    private readonly control: Int32Array;
    private readonly rowSquares: Float64Array;
    private readonly allTargets: Float32Array;
    private readonly ready: Promise<void>[] = [];
    /** Resolves the weights a worker posts, by worker. */
    private readonly posted: ((weights: Float32Array[]) => void)[] = [];
    private failure: string | undefined;
    private readonly failed: Promise<void>;
    private fail!: (why: string) => void;
    private closing = false;
    /** The step the workers may run through, and the last step this thread trained. */
    private through = 0;
    private last = 0;
    private readonly names: string[];
    private readonly sgd;

    constructor(
        private readonly plan: CompiledPlan,
        private readonly own: SimdRowwiseTrainer,
        private readonly shares: OwnedRows[],
        private readonly shared: SharedBuffers,
        private readonly draw: BinaryMatvecDraw,
        private readonly readEvery: number,
    ) {
        this.names = paramSpecs(plan).map(p => p.name);
        this.control = new Int32Array(shared.control);
        this.rowSquares = new Float64Array(shared.rowSquares);
        this.allTargets = new Float32Array(shared.targets);
        this.sgd = plan.optimizer.kind === 'sgd' ? fusedOptimizer(plan.optimizer, 1).step : undefined;
        this.failed = new Promise(resolve => {
            this.fail = why => {
                if (this.closing || this.failure !== undefined) return;
                this.failure = why;
                // wakes a wait on any worker's word: the run stops at its next look
                for (let k = 1; k < shares.length; k++) {
                    Atomics.store(this.control, CONTROL_DONE + k, FAILED_STEP);
                    Atomics.notify(this.control, CONTROL_DONE + k);
                }
                resolve();
            };
        });
    }

    /** Starts worker k on its rows (`start.weights`: their slices, handed over). */
    spawn(k: number, path: string, start: WorkerStart): void {
        const workerData: SplitWorkerData = { ...start, ...this.shared };
        // the limits of the training worker this runs in (emn.training.workerMemoryMB) hold for its row workers too
        const worker = new Worker(path, {
            workerData,
            transferList: start.weights.map(w => w.buffer as ArrayBuffer),
            resourceLimits: { ...resourceLimits },
        });
        this.workers.push(worker);
        const rows = this.shares[k],
            label = `split-run worker ${k} (rows ${rows.first + 1}-${rows.first + rows.count})`;
        this.ready.push(
            new Promise<void>((resolve, reject) => {
                worker.on('message', (m: SplitWorkerMessage) => {
                    if (m.type === 'ready') resolve();
                    else if (m.type === 'weights') this.posted[k]?.(m.weights);
                    else {
                        this.fail(`${label} failed: ${m.message}`);
                        reject(new Error(this.failure));
                    }
                });
                worker.on('error', err => {
                    this.fail(`${label} crashed: ${errorMessage(err)}`);
                    reject(new Error(this.failure));
                });
                worker.on('exit', code => {
                    this.fail(`${label} exited with code ${code}`);
                    reject(new Error(this.failure));
                });
            }),
        );
    }

    async started(): Promise<SplitRun> {
        try {
            await Promise.all(this.ready);
        } catch (err) {
            await this.close();
            throw err;
        }
        return this;
    }

    /** Sets a control word and wakes the idle workers. */
    private publish(word: number, value: number): void {
        Atomics.store(this.control, word, value);
        Atomics.add(this.control, CONTROL_GENERATION, 1);
        Atomics.notify(this.control, CONTROL_GENERATION);
    }

    /** Resolves once every worker trained step `step`; rejects with the reason once any failed. */
    private async finished(step: number): Promise<void> {
        for (let k = 1; k < this.shares.length; k++) {
            for (;;) {
                if (this.failure !== undefined) throw new Error(this.failure);
                const done = Atomics.load(this.control, CONTROL_DONE + k);
                if (done === FAILED_STEP) {
                    await this.failed;
                    throw new Error(this.failure);
                }
                if (done >= step) break;
                const wait = waitAsync(this.control, CONTROL_DONE + k, done);
                if (wait.async) await wait.value;
            }
        }
    }

    atReadStep(): boolean {
        return this.last === this.through;
    }

    async step(data: TrainingData, step: number, read = true): Promise<number> {
        if (step > this.through) {
            this.through = nextReadStep(step, this.plan.steps, this.readEvery);
            this.publish(CONTROL_THROUGH, this.through);
        }
        this.own.step(data.drawState, this.draw, this.sgd ?? fusedOptimizer(this.plan.optimizer, step).step);
        data.skipBatch();
        this.last = step;
        if (!read) {
            // a worker that died is found at the next read, or now if it said so
            if (this.failure !== undefined) throw new Error(this.failure);
            return NaN;
        }
        if (step !== this.through) throw new Error(`split run: step ${step} read, the workers run through ${this.through}`);
        this.rowSquares.set(this.own.rowSquares(), 0);
        this.allTargets.set(this.own.targets(), 0);
        await this.finished(step);
        let sq = 0;
        for (let i = 0; i < this.rowSquares.length; i++) sq += this.rowSquares[i];
        return sq / (this.plan.operation.n * this.plan.batch);
    }

    targets(): Float32Array {
        return this.allTargets;
    }

    async weights(): Promise<Map<string, Float32Array>> {
        if (!this.atReadStep()) throw new Error(`split run: weights asked at step ${this.last}, the workers run through ${this.through}`);
        const parts: Promise<Float32Array[]>[] = this.shares.map((_, k) =>
            k === 0
                ? Promise.resolve(this.names.map((_, p) => this.own.weight(p)))
                : new Promise<Float32Array[]>(resolve => (this.posted[k] = resolve)),
        );
        this.publish(CONTROL_WEIGHTS, Atomics.load(this.control, CONTROL_WEIGHTS) + 1);
        const all = await Promise.race([Promise.all(parts), this.failed.then(() => Promise.reject(new Error(this.failure)))]);
        return new Map(
            this.names.map((name, p) => {
                const full = new Float32Array(all.reduce((s, w) => s + w[p].length, 0));
                let at = 0;
                for (const w of all) {
                    full.set(w[p], at);
                    at += w[p].length;
                }
                return [name, full];
            }),
        );
    }

    async close(): Promise<void> {
        this.closing = true;
        await Promise.all(this.workers.map(w => w.terminate()));
    }
}
