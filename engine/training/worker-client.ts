// Runs compiled experiments in a pool of training worker threads: progress streaming, cancellation within a step, crashes as error
// outcomes.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ExperimentPlan } from '../compiler/plan-types.js';
import type { BackendName, ExperimentResult, PointResult, TrainingProgress } from '../results/result-types.js';
import type { BackendChoice } from '../results/result-types.js';
import { assembleResult } from '../results/assemble-result.js';
import { type PointsRun, runPoints } from './run-points.js';
import type { HostToWorker, WorkerToHost } from './worker-protocol.js';
import { errorMessage } from '../error-message.js';
import { failureReason, TrainingFailure, type TrainingFailureReason } from './training-failure.js';
import type { KernelName } from './kernel-registry.js';

export type TrainingOutcome = { ok: true; result: ExperimentResult } | { ok: false; error: string; reason: TrainingFailureReason };

export interface WorkerRunOptions {
    backend?: BackendChoice;
    /** At most ~10 calls per second. */
    onProgress?: (p: TrainingProgress) => void;
    signal?: AbortSignal;
    /** Threads for a sweep's points (each point is seeded, so the numbers do not depend on it). Default 1. */
    workers?: number;
    /**
     * The calling thread trains points too, as one of `workers` (so `workers` 1 starts no worker thread): for a
     * command line, whose main thread would otherwise wait. Never for the language server, whose thread must answer.
     */
    hostTrains?: boolean;
    /** Train only these points (default: every point of the plan); the result then holds these. */
    indices?: number[];
    /** Each point as a thread takes it. */
    onStart?: (index: number) => void;
    /** Each point as it ends (an array task writes its point file then, not after the last point). */
    onPoint?: (point: { index: number; result: PointResult }, backend: BackendName, fallbacks: string[]) => void;
    /** The preferred kernel (default simd: kernel-registry.ts), read from EMN_KERNELS where the options are built. */
    kernels?: KernelName;
    /**
     * Each worker thread's heap limit in MB (V8's old generation; default: the client's `resourceLimits`, else Node's):
     * a run that needs more fails as `out-of-memory` instead of taking the machine's memory. Idle workers started with
     * another limit are replaced.
     */
    memoryLimitMB?: number;
    /**
     * Threads for each SIMD run (split by rows, split-run.ts; the numbers do not depend on it); 1: never split. Default:
     * the cost model's pick (chooseSplitThreads) on the cores the sweep's threads leave to each point.
     */
    split?: number;
    /** The cores this run may use (default: availableParallelism()); a point's split shares them with the sweep's threads. */
    cores?: number;
}

export interface WorkerClientOptions {
    /** Path of training-worker.cjs; default: beside this bundle. */
    workerPath?: string;
    /** Limits of each worker thread's heap: a worker past them ends with ERR_WORKER_OUT_OF_MEMORY, the host lives on. */
    resourceLimits?: ResourceLimits;
}

const PROGRESS_INTERVAL_MS = 100;

/** Default worker path: the bundle's own folder (dist/), where esbuild writes training-worker.cjs. */
function defaultWorkerPath(): string {
    return join(dirname(fileURLToPath(import.meta.url)), 'training-worker.cjs');
}

/**
 * A worker thread on `workerPath`, loaded through V8's code cache (code-cache.cjs beside it, as the CLI is) when that
 * loader is there: a thread then starts without compiling its bundle again.
 */
function startWorker(workerPath: string, resourceLimits?: ResourceLimits): Worker {
    const loader = join(dirname(workerPath), 'code-cache.cjs');
    if (!existsSync(loader)) return new Worker(workerPath, { resourceLimits });
    return new Worker(`require(${JSON.stringify(loader)}).requireWithCodeCache(${JSON.stringify(workerPath)}, 'worker')`, {
        eval: true,
        resourceLimits,
    });
}

interface Job {
    id: number;
    cancel: SharedArrayBuffer;
    finish: (o: TrainingOutcome) => void;
}

/**
 * Workers started before a client exists (prestart), so that they load while the host still reads and compiles the
 * spec; the first client with the same worker path takes them. Idle and unref'd: they never keep a process alive.
 */
const spares: { path: string; worker: Worker }[] = [];

export class TrainingWorkerClient {
    /** Starts `count` workers now (beside the default or given path) for the next client to take. */
    static prestart(count: number, workerPath = defaultWorkerPath()): void {
        if (!existsSync(workerPath)) return;
        for (let k = 0; k < count; k++) {
            const worker = startWorker(workerPath);
            worker.unref();
            // a spare that fails before a client takes it is dropped; the client then starts a fresh one
            const drop = () => {
                const at = spares.findIndex(s => s.worker === worker);
                if (at >= 0) spares.splice(at, 1);
            };
            worker.once('error', drop);
            worker.once('exit', drop);
            spares.push({ path: workerPath, worker });
        }
    }

    private readonly workerPath: string;
    private readonly resourceLimits?: ResourceLimits;
    /** The limits the pool's workers were started with (the client's, or the last run's `memoryLimitMB`). */
    private workerLimits?: ResourceLimits;
    private readonly idle: Worker[] = [];
    private readonly all = new Set<Worker>();
    private running: Job | undefined;
    private nextJob = 1;

    constructor(opts: WorkerClientOptions = {}) {
        this.workerPath = opts.workerPath ?? defaultWorkerPath();
        this.resourceLimits = opts.resourceLimits;
        this.workerLimits = opts.resourceLimits;
        for (let k = spares.length - 1; k >= 0; k--) {
            // a spare has no limits: a client with limits starts its own
            if (spares[k].path !== this.workerPath || this.resourceLimits) continue;
            const [{ worker }] = spares.splice(k, 1);
            worker.removeAllListeners('error');
            worker.removeAllListeners('exit');
            this.all.add(worker);
            this.idle.push(worker);
            this.watch(worker);
        }
    }

    get busy(): boolean {
        return this.running !== undefined;
    }

    /** Trains a compiled experiment; never rejects: a failure (a worker crash, a backend error) is an `ok: false` outcome. */
    async run(plan: ExperimentPlan, opts: WorkerRunOptions = {}): Promise<TrainingOutcome> {
        if (this.running) return { ok: false, error: 'a training run is already in progress', reason: 'busy' };
        const compiled = plan.points;
        const chosen = opts.indices ?? compiled.map((_, k) => k);
        const threads = Math.max(1, Math.min(opts.workers ?? 1, chosen.length));
        const host = opts.hostTrains === true;
        const poolSize = host ? threads - 1 : threads;
        // fewer points than cores: the cores left over split each run by rows where the cost model says it pays
        const split = { threads: opts.split, cores: Math.max(1, Math.floor((opts.cores ?? availableParallelism()) / threads)) };
        if (poolSize > 0 && !existsSync(this.workerPath))
            return { ok: false, error: `training worker not found at ${this.workerPath} (run the build)`, reason: 'worker-failed' };
        this.limitWorkers(opts.memoryLimitMB);
        const startedAt = new Date();
        const t0 = performance.now();
        const cancel = new SharedArrayBuffer(4);
        const job = this.nextJob++;
        // with several threads the costliest points first, so that no worker starts a long point while the others run
        // out of work; one worker keeps the sweep's order (progress and a cancel then read as the spec lists the points).
        // Each point is seeded, so the order changes when a point trains, not what it computes.
        const cost = (k: number) => compiled[k].plan.steps * compiled[k].plan.parameterCount * compiled[k].plan.batch;
        const pending = [...chosen];
        if (threads > 1) pending.sort((a, b) => cost(b) - cost(a) || a - b);
        const done: { index: number; result: PointResult }[] = [];
        let backend: BackendName | undefined;
        let fallbacks: string[] = [];
        let lastProgress = -Infinity;
        const abort = () => this.cancel();
        opts.signal?.addEventListener('abort', abort);

        return new Promise<TrainingOutcome>(resolveOutcome => {
            let active = 0;
            let settled = false;
            const workers: Worker[] = [];
            const finish = (o: TrainingOutcome) => {
                if (settled) return;
                settled = true;
                this.running = undefined;
                opts.signal?.removeEventListener('abort', abort);
                for (const w of workers) {
                    w.removeAllListeners('message');
                    w.removeAllListeners('error');
                    w.removeAllListeners('exit');
                    // an idle worker must not keep the host process alive
                    if (this.all.has(w)) {
                        w.unref();
                        this.idle.push(w);
                        this.watch(w);
                    }
                }
                resolveOutcome(o);
            };
            this.running = { id: job, cancel, finish };
            const assemble = () => {
                done.sort((a, b) => a.index - b.index);
                try {
                    finish({
                        ok: true,
                        result: assembleResult(
                            plan,
                            done.map(d => d.result),
                            {
                                backend: backend ?? 'cpu',
                                fallbacks,
                                startedAt,
                                wallMs: performance.now() - t0,
                            },
                        ),
                    });
                } catch (err) {
                    finish({ ok: false, error: errorMessage(err), reason: failureReason(err) });
                }
            };
            const feed = (w: Worker) => {
                const cancelled = Atomics.load(new Int32Array(cancel), 0) === 1;
                const index = cancelled ? undefined : pending.shift();
                if (index === undefined) {
                    if (active === 0) assemble();
                    return;
                }
                active++;
                opts.onStart?.(index);
                const msg: HostToWorker = {
                    type: 'run',
                    job,
                    plan,
                    backend: opts.backend ?? 'auto',
                    kernels: opts.kernels ?? 'simd',
                    indices: [index],
                    cancel,
                    progressIntervalMs: PROGRESS_INTERVAL_MS,
                    split,
                };
                w.postMessage(msg);
            };
            const progress = (p: TrainingProgress) => {
                const now = performance.now();
                if (opts.onProgress && now - lastProgress >= PROGRESS_INTERVAL_MS) {
                    lastProgress = now;
                    opts.onProgress(p);
                }
            };
            // the calling thread's share: a point at a time, with a turn for the workers' messages and a Ctrl-C between
            // points and every few steps inside one (at each loss read)
            const flag = new Int32Array(cancel);
            const feedHost = async (): Promise<void> => {
                for (let first = true; ; first = false) {
                    if (!first) await new Promise(resolve => setImmediate(resolve));
                    if (settled) return;
                    const index = Atomics.load(flag, 0) === 1 ? undefined : pending.shift();
                    if (index === undefined) {
                        if (active === 0) assemble();
                        return;
                    }
                    active++;
                    opts.onStart?.(index);
                    let run: PointsRun;
                    try {
                        run = await runPoints(plan, [index], {
                            backend: opts.backend ?? 'auto',
                            kernels: opts.kernels,
                            progressIntervalMs: PROGRESS_INTERVAL_MS,
                            signal: opts.signal,
                            yieldOnRead: true,
                            split,
                            shouldStop: () => Atomics.load(flag, 0) === 1,
                            onProgress: progress,
                        });
                    } catch (err) {
                        this.cancel();
                        finish({ ok: false, error: errorMessage(err), reason: failureReason(err) });
                        return;
                    }
                    active--;
                    backend = run.backend;
                    fallbacks = run.fallbacks;
                    done.push(...run.points);
                    for (const p of run.points) opts.onPoint?.(p, run.backend, run.fallbacks);
                    if (run.points.some(p => p.result.stopped === 'cancelled')) this.cancel();
                }
            };
            const crashed = (why: string, reason: TrainingFailureReason = 'worker-failed') => {
                for (const w of workers) this.discard(w);
                finish({ ok: false, error: `training worker ${why}`, reason });
            };
            for (let k = 0; k < poolSize; k++) {
                let w: Worker;
                try {
                    w = this.take();
                } catch (err) {
                    crashed(`could not start: ${errorMessage(err)}`);
                    return;
                }
                workers.push(w);
                w.removeAllListeners('error');
                w.removeAllListeners('exit');
                w.on('message', (m: WorkerToHost) => {
                    if (m.job !== job) return;
                    if (m.type === 'progress') {
                        progress(m.progress);
                    } else if (m.type === 'done') {
                        active--;
                        backend = m.backend;
                        fallbacks = m.fallbacks;
                        done.push(...m.points);
                        for (const p of m.points) opts.onPoint?.(p, m.backend, m.fallbacks);
                        if (m.points.some(p => p.result.stopped === 'cancelled')) this.cancel();
                        feed(w);
                    } else if (m.type === 'error') {
                        this.cancel();
                        finish({ ok: false, error: m.message, reason: m.reason });
                    }
                });
                w.on('error', err => {
                    if ((err as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') crashed(`crashed: ${errorMessage(err)}`);
                    else crashed(`ran out of memory${this.limitText()}`, 'out-of-memory');
                });
                w.on('exit', code => crashed(`exited with code ${code}`));
            }
            for (const w of workers) feed(w);
            if (host) void feedHost();
        });
    }

    /**
     * Trains a compiled experiment; rejects with a TrainingFailure (its reason and message) when it failed (a diverged or cancelled run is
     * a result).
     */
    async train(plan: ExperimentPlan, opts: WorkerRunOptions = {}): Promise<ExperimentResult> {
        const outcome = await this.run(plan, opts);
        if (!outcome.ok) throw new TrainingFailure(outcome.reason, outcome.error);
        return outcome.result;
    }

    /** Cancels the running job: every worker stops before its next step. */
    cancel(): void {
        if (this.running) Atomics.store(new Int32Array(this.running.cancel), 0, 1);
    }

    /** Stops every worker; a running job ends as an error outcome. */
    async dispose(): Promise<void> {
        this.cancel();
        const workers = [...this.all];
        this.running?.finish({ ok: false, error: 'training worker client disposed', reason: 'worker-failed' });
        this.all.clear();
        this.idle.length = 0;
        await Promise.all(workers.map(w => w.terminate()));
    }

    private take(): Worker {
        const w = this.idle.pop();
        if (w) {
            w.ref();
            return w;
        }
        const created = startWorker(this.workerPath, this.workerLimits);
        this.all.add(created);
        return created;
    }

    /** Starts the next workers with this heap limit (undefined: the client's own); idle workers with another one go. */
    private limitWorkers(memoryLimitMB: number | undefined): void {
        const limits =
            memoryLimitMB === undefined ? this.resourceLimits : { ...this.resourceLimits, maxOldGenerationSizeMb: memoryLimitMB };
        if (limits?.maxOldGenerationSizeMb === this.workerLimits?.maxOldGenerationSizeMb) return;
        this.workerLimits = limits;
        for (const w of [...this.idle]) this.discard(w);
    }

    /** " (its heap limit is N MB)" when the workers have one. */
    private limitText(): string {
        const mb = this.workerLimits?.maxOldGenerationSizeMb;
        return mb === undefined ? '' : ` (its heap limit is ${mb} MB)`;
    }

    /** An idle worker that dies is simply forgotten. */
    private watch(w: Worker): void {
        w.once('exit', () => this.discard(w));
        w.on('error', () => this.discard(w));
    }

    private discard(w: Worker): void {
        this.all.delete(w);
        const k = this.idle.indexOf(w);
        if (k >= 0) this.idle.splice(k, 1);
        void w.terminate();
    }
}
