// Worker-thread entry (bundled to dist/split-worker.cjs): trains its rows of one split run in its own SIMD module instance.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../error-message.js';
import { fusedOptimizer } from './optimizer-step.js';
import { SimdRowwiseTrainer } from './simd-kernel.js';
import { rowwiseShape } from './simd-trainer.js';
import {
    CONTROL_DONE,
    CONTROL_GENERATION,
    CONTROL_THROUGH,
    CONTROL_WEIGHTS,
    FAILED_STEP,
    type SplitWorkerData,
    type SplitWorkerMessage,
} from './split-protocol.js';
import { nextBatchState } from './training-data.js';

if (!parentPort) throw new Error('split-worker must run in a worker thread');
const port = parentPort;
const post = (m: SplitWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const data = workerData as SplitWorkerData;
const { plan, rows } = data;
const control = new Int32Array(data.control);
const rowSquares = new Float64Array(data.rowSquares);
const targets = new Float32Array(data.targets);
const doneWord = CONTROL_DONE + data.index;

/**
 * Runs the steps the host allows, each from its stream state and with its update as the one-thread run has them
 * (nextBatchState, fusedOptimizer), until the host terminates this thread.
 */
function serve(trainer: SimdRowwiseTrainer, tensors: number): void {
    const draw = data.draw;
    const sgd = plan.optimizer.kind === 'sgd' ? fusedOptimizer(plan.optimizer, 1).step : undefined;
    let state = data.firstState,
        step = 0,
        served = 0;
    for (;;) {
        const generation = Atomics.load(control, CONTROL_GENERATION);
        const through = Atomics.load(control, CONTROL_THROUGH);
        if (step < through) {
            step++;
            trainer.step(state, draw, sgd ?? fusedOptimizer(plan.optimizer, step).step);
            state = nextBatchState(plan, state);
            if (step === through) {
                rowSquares.set(trainer.rowSquares(), rows.first);
                targets.set(trainer.targets(), rows.first * plan.batch);
            }
            Atomics.store(control, doneWord, step);
            Atomics.notify(control, doneWord);
            continue;
        }
        const wanted = Atomics.load(control, CONTROL_WEIGHTS);
        if (wanted > served) {
            served = wanted;
            const weights = Array.from({ length: tensors }, (_, p) => trainer.weight(p));
            post(
                { type: 'weights', weights },
                weights.map(w => w.buffer as ArrayBuffer),
            );
            continue;
        }
        // idle until the host changes something (a terminate ends the wait)
        Atomics.wait(control, CONTROL_GENERATION, generation);
    }
}

try {
    const trainer = new SimdRowwiseTrainer(rowwiseShape(plan), fusedOptimizer(plan.optimizer, 1).slotsPerWeight, rows);
    const tensors = data.weights.length;
    data.weights.forEach((w, p) => trainer.setWeight(p, w));
    // the module holds them now (at n = 2000 a worker's share of W1 alone is 32 MB)
    data.weights.length = 0;
    post({ type: 'ready' });
    serve(trainer, tensors);
} catch (err) {
    // the message first: the host reads it once it sees the failed word
    post({ type: 'error', message: errorMessage(err) });
    Atomics.store(control, doneWord, FAILED_STEP);
    Atomics.notify(control, doneWord);
}
