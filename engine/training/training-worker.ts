// Worker-thread entry (bundled to dist/training-worker.cjs): trains the compiled points the host sends, streams progress.
import { parentPort } from 'node:worker_threads';
import { runPoints } from './run-points.js';
import { simdAvailable } from './simd-kernel.js';
import type { HostToWorker, WorkerToHost } from './worker-protocol.js';
import { errorMessage } from '../error-message.js';
import { failureReason } from './training-failure.js';

if (!parentPort) throw new Error('training-worker must run in a worker thread');
const port = parentPort;
const post = (m: WorkerToHost) => port.postMessage(m);

/** Writes V8's code cache of this bundle once it trained a point (code-cache.cjs; a terminated thread has no exit). */
function saveCodeCache(): void {
    const key = Symbol.for('emn-studio.saveCodeCache');
    const save: unknown = Reflect.get(globalThis, key);
    Reflect.deleteProperty(globalThis, key);
    if (typeof save === 'function') Reflect.apply(save, undefined, []);
}

// compiled now, while the host still parses and compiles the spec (a pool's workers start before the plan exists)
simdAvailable();

// jobs run one at a time in arrival order; the cancel flag is shared memory, read before every step
let queue = Promise.resolve();
port.on('message', (msg: HostToWorker) => {
    if (msg?.type !== 'run') return;
    queue = queue.then(async () => {
        const flag = new Int32Array(msg.cancel);
        try {
            const run = await runPoints(msg.plan, msg.indices, {
                backend: msg.backend,
                kernels: msg.kernels,
                progressIntervalMs: msg.progressIntervalMs,
                split: msg.split,
                shouldStop: () => Atomics.load(flag, 0) === 1,
                onProgress: progress => post({ type: 'progress', job: msg.job, progress }),
            });
            post({ type: 'done', job: msg.job, backend: run.backend, fallbacks: run.fallbacks, points: run.points });
            saveCodeCache();
        } catch (err) {
            post({ type: 'error', job: msg.job, message: errorMessage(err), reason: failureReason(err) });
        }
    });
});
