// One SIMD run split by rows across threads (split-run.ts): the one-thread run's numbers to the bit, and a worker that
// dies mid-run fails the run with its reason.
import type { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { chooseSplitThreads } from '../engine/cost/split-threads.js';
import type { OptimizerSpec } from '../engine/spec/spec-types.js';
import { shareRows } from '../engine/training/split-run.js';
import { trainSimdPoint } from '../engine/training/train-simd-point.js';
import { ensureFreshDist } from './fresh-dist.js';
import { makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await ensureFreshDist();
}, 180_000);

const OPTIMIZERS: [string, OptimizerSpec][] = [
    ['SGD with momentum', { kind: 'sgd', lr: 0.02, momentum: 0.9 }],
    ['Adam', { kind: 'adam', lr: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
];

/** n = 37 (rows 0-17 here, 18-36 in the worker; 37 is not a multiple of 4, so padding is in play), depth 3. */
function plan(optimizer: OptimizerSpec, steps = 400) {
    return compileExperiment(
        makeSpec({
            operation: { size: 37, sparsity: 0.3 },
            network: { depth: 3 },
            experiment: { optimizer, steps, batch: 24, evaluations: [] },
        }),
    );
}

describe('a split run', () => {
    for (const [name, optimizer] of OPTIMIZERS) {
        it(`gives the one-thread run's losses and weights bit for bit over 400 steps (${name})`, async () => {
            const p = plan(optimizer);
            // every step's loss read, so every step's sum over the rows is compared
            const one = await trainSimdPoint(p, { readEvery: 1, split: { threads: 1 } });
            const two = await trainSimdPoint(p, { readEvery: 1, split: { threads: 2 } });
            expect(one.lossCurve.length).toBeGreaterThan(200);
            expect(two.steps).toBe(400);
            expect(two.lossCurve).toEqual(one.lossCurve);
            expect(one.stopped).toBe('steps');
            for (const [tensor, values] of one.finalWeights!) {
                expect(Buffer.from(two.finalWeights!.get(tensor)!.buffer).equals(Buffer.from(values.buffer))).toBe(true);
            }
            // the loss fell: the steps trained something, on both
            expect(one.lossCurve.at(-1)![1]).toBeLessThan(one.lossCurve[0][1] / 2);
        });
    }

    it('with three threads and the loss read every 10 steps, ends on the same weights', async () => {
        const p = plan(OPTIMIZERS[0][1], 120);
        const one = await trainSimdPoint(p);
        const three = await trainSimdPoint(p, { split: { threads: 3 } });
        expect(three.lossCurve).toEqual(one.lossCurve);
        expect(three.weights).toEqual(one.weights);
    });

    it('stops a cancel at the next loss read, where every thread stands at one step, with the weights of that step', async () => {
        const p = plan(OPTIMIZERS[1][1], 1000);
        let asked = false;
        const cancelled = await trainSimdPoint(p, {
            split: { threads: 2 },
            afterStep: step => (asked ||= step === 55),
            shouldStop: () => asked,
        });
        expect(cancelled.stopped).toBe('cancelled');
        expect(cancelled.steps).toBe(60);
        const sixty = await trainSimdPoint({ ...p, steps: 60 }, { split: { threads: 1 } });
        expect(cancelled.weights).toEqual(sixty.weights);
    });

    it('fails with the reason when a row worker dies mid-run, and leaves no thread behind', async () => {
        const p = plan(OPTIMIZERS[0][1], 100_000);
        let workers: Worker[] = [];
        const exits: Promise<number>[] = [];
        let killedAt: number | undefined;
        const run = trainSimdPoint(p, {
            split: {
                threads: 3,
                onWorkers: started => {
                    workers = started;
                    exits.push(...started.map(w => new Promise<number>(resolve => w.once('exit', resolve))));
                },
            },
            afterStep: step => {
                // the first worker ends while the run is at step 50 (terminate: the thread dies where it stands)
                if (step === 50) {
                    killedAt = step;
                    void workers[0].terminate();
                }
            },
        });
        await expect(run).rejects.toThrow(/split-run worker 1 \(rows 13-24\) exited with code 1/);
        expect(killedAt).toBe(50);
        // the other worker was ended by the run itself
        expect(await Promise.all(exits)).toHaveLength(2);
    });
});

describe('the split threads', () => {
    it('share the rows evenly, in order, covering each once', () => {
        expect(shareRows(37, 2)).toEqual([
            { first: 0, count: 18 },
            { first: 18, count: 19 },
        ]);
        const shares = shareRows(1000, 3);
        expect(shares.reduce((s, r) => s + r.count, 0)).toBe(1000);
        shares.slice(1).forEach((r, k) => expect(r.first).toBe(shares[k].first + shares[k].count));
    });

    it('are chosen by the cost model: none for a small or short run, two cores for a long run at n = 500', () => {
        const at = (size: number, steps: number) =>
            compileExperiment(makeSpec({ operation: { size }, experiment: { steps, batch: 64, evaluations: [] } }));
        expect(chooseSplitThreads(at(10, 3000), 2)).toBe(1);
        expect(chooseSplitThreads(at(500, 3), 2)).toBe(1);
        expect(chooseSplitThreads(at(500, 3000), 2)).toBe(2);
        expect(chooseSplitThreads(at(500, 3000), 1)).toBe(1);
        // a masking-2 network trains on the graph: never split
        expect(chooseSplitThreads(compileExperiment(makeSpec({ operation: { size: 500 }, network: { masking: 2 } })), 2)).toBe(1);
    });
});
