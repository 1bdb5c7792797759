// One SIMD run across threads: this thread and row workers (split-worker.ts) each train their rows, with the one-thread numbers.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledPlan } from '../compiler/plan-types.js';
import { errorMessage } from '../error-message.js';
import { paramSpecs } from './network-layout.js';
import { fusedOptimizer } from './optimizer-step.js';
import { type BinaryMatvecDraw, type OwnedRows, SimdRowwiseTrainer } from './simd-kernel.js';
import { rowwiseShape, type SimdRun } from './simd-trainer.js';
import {
    COMMAND,
    CONTROL_DONE,
    CONTROL_SEQ,
    FAILED_SEQ,
    PARAM,
    PARAM_WORDS,
    type SplitWorkerData,
    type SplitWorkerMessage,
} from './split-protocol.js';
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
    /** The row workers once started (tests: a worker that dies mid-run). */
    onWorkers?: (workers: Worker[]) => void;
}

/** A SimdRun whose steps are shared by threads; close() ends its workers. */
export interface SplitRun extends SimdRun {
    close(): Promise<void>;
}

/** Rows [first, first + count) of a weight whose clusters are its leading dimension (size floats per cluster). */
function rowsOf(values: Float32Array, rows: OwnedRows, n: number): Float32Array {
    const per = values.length / n;
    return values.slice(rows.first * per, (rows.first + rows.count) * per);
}

/**
 * Starts a split run of `plan` from weights `init` on batches drawn with `draw` (TrainingData.binaryMatvecDraw); resolves
 * once every worker holds its rows.
 */
export async function startSplitRun(
    plan: CompiledPlan,
    init: Map<string, Float32Array>,
    draw: BinaryMatvecDraw,
    opts: SplitRunOptions,
): Promise<SplitRun> {
    const path = splitWorkerPath();
    if (!path) throw new Error(`${WORKER_FILE} not found beside ${here} (run node esbuild.mjs)`);
    const shape = rowwiseShape(plan),
        { n, B } = shape;
    const names = paramSpecs(plan).map(p => p.name);
    const slots = fusedOptimizer(plan.optimizer, 1).slotsPerWeight;
    const shares = shareRows(n, opts.threads);
    const control = new SharedArrayBuffer(4 * (CONTROL_DONE + shares.length));
    const params = new SharedArrayBuffer(8 * 2 * PARAM_WORDS);
    const rowSquares = new SharedArrayBuffer(8 * n);
    const targets = new SharedArrayBuffer(4 * n * B);
    const own = new SimdRowwiseTrainer(shape, slots, shares[0]);
    names.forEach((name, p) => own.setWeight(p, rowsOf(init.get(name)!, shares[0], n)));
    const host = new SplitHost(plan, own, shares, { control, params, rowSquares, targets }, draw);
    for (let k = 1; k < shares.length; k++) {
        const weights = names.map(name => rowsOf(init.get(name)!, shares[k], n));
        host.spawn(k, path, { shape, slotsPerWeight: slots, rows: shares[k], index: k, draw, weights });
    }
    opts.onWorkers?.(host.workers);
    return host.started();
}

interface SharedBuffers {
    control: SharedArrayBuffer;
    params: SharedArrayBuffer;
    rowSquares: SharedArrayBuffer;
    targets: SharedArrayBuffer;
}

type WorkerStart = Omit<SplitWorkerData, keyof SharedBuffers>;

class SplitHost implements SplitRun {
    private readonly control: Int32Array;
    private readonly params: Float64Array;
    private readonly rowSquares: Float64Array;
    private readonly allTargets: Float32Array;
    readonly workers: Worker[] = [];
    private readonly ready: Promise<void>[] = [];
    /** Weights a worker posted, by worker, for the command that asked. */
    private readonly posted: ((m: Float32Array[]) => void)[] = [];
    private failure: string | undefined;
    private readonly failed: Promise<void>;
    private fail!: (why: string) => void;
    private closing = false;
    private seq = 0;
    private readonly names: string[];
    private readonly sgd;

    constructor(
        private readonly plan: CompiledPlan,
        private readonly own: SimdRowwiseTrainer,
        private readonly shares: OwnedRows[],
        private readonly shared: SharedBuffers,
        private readonly draw: BinaryMatvecDraw,
    ) {
        this.names = paramSpecs(plan).map(p => p.name);
        this.control = new Int32Array(shared.control);
        this.params = new Float64Array(shared.params);
        this.rowSquares = new Float64Array(shared.rowSquares);
        this.allTargets = new Float32Array(shared.targets);
        this.sgd = plan.optimizer.kind === 'sgd' ? fusedOptimizer(plan.optimizer, 1).step : undefined;
        this.failed = new Promise(resolve => {
            this.fail = why => {
                if (this.closing || this.failure !== undefined) return;
                this.failure = why;
                // wakes a wait on any worker's word: the run stops at its next look
                for (let k = 1; k < shares.length; k++) {
                    Atomics.store(this.control, CONTROL_DONE + k, FAILED_SEQ);
                    Atomics.notify(this.control, CONTROL_DONE + k);
                }
                resolve();
            };
        });
    }

    /** Starts worker k on its rows (`start.weights`: their slices, handed over). */
    spawn(k: number, path: string, start: WorkerStart): void {
        const workerData: SplitWorkerData = { ...start, ...this.shared };
        const worker = new Worker(path, { workerData, transferList: start.weights.map(w => w.buffer as ArrayBuffer) });
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

    /** Posts the next command (its parameters written first); every worker finished the one before the last. */
    private post(write: (slot: number) => void): number {
        const command = ++this.seq,
            at = (command % 2) * PARAM_WORDS;
        write(at);
        Atomics.store(this.control, CONTROL_SEQ, command);
        Atomics.notify(this.control, CONTROL_SEQ);
        return command;
    }

    /** Resolves once every worker finished command `command`; rejects with the reason once any failed. */
    private async finished(command: number): Promise<void> {
        if (this.failure !== undefined) throw new Error(this.failure);
        for (let k = 1; k < this.shares.length; k++) {
            for (;;) {
                const done = Atomics.load(this.control, CONTROL_DONE + k);
                if (done === FAILED_SEQ) {
                    await this.failed;
                    throw new Error(this.failure);
                }
                if (done >= command) break;
                const wait = waitAsync(this.control, CONTROL_DONE + k, done);
                if (wait.async) await wait.value;
            }
        }
    }

    async step(data: TrainingData, step: number, read = true): Promise<number> {
        const s0 = data.drawState;
        const opt = this.sgd ?? fusedOptimizer(this.plan.optimizer, step).step;
        const command = this.post(at => {
            const p = this.params;
            p[at + PARAM.kind] = COMMAND.step;
            p[at + PARAM.s0] = s0;
            p[at + PARAM.read] = read ? 1 : 0;
            if (opt.kind === 'sgd') {
                p[at + PARAM.optimizer] = 0;
                p[at + PARAM.a] = opt.lr;
                p[at + PARAM.m] = opt.momentum;
            } else {
                p[at + PARAM.optimizer] = 1;
                p[at + PARAM.a] = opt.lrT;
                p[at + PARAM.beta1] = opt.beta1;
                p[at + PARAM.beta2] = opt.beta2;
                p[at + PARAM.epsilon] = opt.epsilon;
            }
        });
        this.own.step(s0, this.draw, opt);
        data.skipBatch();
        if (!read) {
            // the workers may still be on this step; the next post needs only the one before
            await this.finished(command - 1);
            return NaN;
        }
        this.rowSquares.set(this.own.rowSquares(), 0);
        this.allTargets.set(this.own.targets(), 0);
        await this.finished(command);
        let sq = 0;
        for (let i = 0; i < this.rowSquares.length; i++) sq += this.rowSquares[i];
        return sq / (this.plan.operation.n * this.plan.batch);
    }

    targets(): Float32Array {
        return this.allTargets;
    }

    async weights(): Promise<Map<string, Float32Array>> {
        const parts: Promise<Float32Array[]>[] = this.shares.map((_, k) =>
            k === 0
                ? Promise.resolve(this.names.map((_, p) => this.own.weight(p)))
                : new Promise<Float32Array[]>(resolve => (this.posted[k] = resolve)),
        );
        const command = this.post(at => (this.params[at + PARAM.kind] = COMMAND.weights));
        await this.finished(command);
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
