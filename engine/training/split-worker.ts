// Worker-thread entry (bundled to dist/split-worker.cjs): trains its rows of one split run in its own SIMD module instance.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../error-message.js';
import type { OptimizerStep } from './emn-kernels.js';
import { SimdRowwiseTrainer } from './simd-kernel.js';
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

if (!parentPort) throw new Error('split-worker must run in a worker thread');
const port = parentPort;
const post = (m: SplitWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const data = workerData as SplitWorkerData;
const control = new Int32Array(data.control);
const params = new Float64Array(data.params);
const rowSquares = new Float64Array(data.rowSquares);
const targets = new Float32Array(data.targets);
const doneWord = CONTROL_DONE + data.index;

/** The update of the step whose parameters start at `at`, as the host's fusedOptimizer gave them. */
function optimizerAt(at: number): OptimizerStep {
    return params[at + PARAM.optimizer] === 0
        ? { kind: 'sgd', lr: params[at + PARAM.a], momentum: params[at + PARAM.m] }
        : {
              kind: 'adam',
              lrT: params[at + PARAM.a],
              beta1: params[at + PARAM.beta1],
              beta2: params[at + PARAM.beta2],
              epsilon: params[at + PARAM.epsilon],
          };
}

/** Runs the host's commands in order until it ends this thread (it terminates it: the loop never returns). */
function serve(trainer: SimdRowwiseTrainer, tensors: number): void {
    const { first } = data.rows,
        B = data.shape.B;
    for (let seq = 0; ;) {
        // blocked here between commands (a terminate ends the wait)
        while (Atomics.load(control, CONTROL_SEQ) === seq) Atomics.wait(control, CONTROL_SEQ, seq);
        const command = seq + 1,
            at = (command % 2) * PARAM_WORDS;
        if (params[at + PARAM.kind] === COMMAND.weights) {
            const weights = Array.from({ length: tensors }, (_, p) => trainer.weight(p));
            post(
                { type: 'weights', seq: command, weights },
                weights.map(w => w.buffer as ArrayBuffer),
            );
        } else {
            trainer.step(params[at + PARAM.s0], data.draw, optimizerAt(at));
            if (params[at + PARAM.read] === 1) {
                rowSquares.set(trainer.rowSquares(), first);
                targets.set(trainer.targets(), first * B);
            }
        }
        seq = command;
        Atomics.store(control, doneWord, seq);
        Atomics.notify(control, doneWord);
    }
}

try {
    const trainer = new SimdRowwiseTrainer(data.shape, data.slotsPerWeight, data.rows);
    const tensors = data.weights.length;
    data.weights.forEach((w, p) => trainer.setWeight(p, w));
    // the module holds them now (at n = 2000 a worker's share of W1 alone is 32 MB)
    data.weights.length = 0;
    post({ type: 'ready' });
    serve(trainer, tensors);
} catch (err) {
    // the message first: the host reads it once it sees the failed word
    post({ type: 'error', message: errorMessage(err) });
    Atomics.store(control, doneWord, FAILED_SEQ);
    Atomics.notify(control, doneWord);
}
