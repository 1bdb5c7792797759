// Faults: a run cancelled at a random step, 100 times (seeded), on the in-process trainer: no tensor is ever left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { compileExperimentPlan } from '../engine/compiler/compile-sweep.js';
import { selectBackend } from '../engine/training/backend.js';
import { Rng } from '../engine/training/rng.js';
import { runPoints } from '../engine/training/run-experiment.js';
import { tf } from '../engine/training/tf.js';
import { trainPoint } from '../engine/training/train-point.js';
import { makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

const small = { operation: { size: 3 }, network: { width: 2, depth: 2 }, experiment: { steps: 60, batch: 8, evaluations: [] } };
const adam = { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

describe('cancel at random steps', () => {
    it('100 cancellations (flag, abort signal, mid-sweep) leave tf.memory() where it started', async () => {
        const plans = [
            compileExperiment(makeSpec(small)),
            compileExperiment(makeSpec({ ...small, experiment: { ...small.experiment, optimizer: adam } })),
            compileExperiment(
                makeSpec({
                    ...small,
                    experiment: {
                        ...small.experiment,
                        schedule: { kind: 'metaEpochs', metaEpochs: 2, masks: 3, stepsPerMask: 10, order: 'shuffled' },
                    },
                }),
            ),
        ];
        const sweep = compileExperimentPlan(
            makeSpec({ ...small, experiment: { ...small.experiment, sweep: [{ parameter: 'sparsity', values: [0.2, 0.5, 0.8] }] } }),
        );
        const rng = new Rng(20_240_607);
        const before = tf.memory();
        const stoppedAt: number[] = [];
        for (let k = 0; k < 100; k++) {
            const plan = plans[k % plans.length];
            // 0 cancels before the first step; up to plan.steps - 1 cancels before the last
            const at = Math.floor(rng.next() * plan.steps);
            let step = 0;
            if (k % 4 === 3) {
                // the CLI's path (Ctrl+C): an AbortSignal, aborted from inside the run
                const controller = new AbortController();
                if (at === 0) controller.abort();
                const out = await trainPoint(plan, {
                    signal: controller.signal,
                    afterStep: s => {
                        if (s >= at) controller.abort();
                    },
                });
                expect(out.stopped).toBe('cancelled');
                stoppedAt.push(out.steps);
            } else if (k % 4 === 2) {
                // the worker's path: runPoints over a sweep, the shared flag set somewhere in the middle
                // progress comes every 10 steps and at each point's end: about 7 per point, 21 in all
                let total = 0;
                const limit = Math.floor(rng.next() * 20);
                const run = await runPoints(sweep, [0, 1, 2], {
                    shouldStop: () => total >= limit,
                    onProgress: () => {
                        total++;
                    },
                    progressIntervalMs: 0,
                });
                expect(run.points.length).toBeGreaterThan(0);
                expect(run.points[run.points.length - 1].result.stopped).toBe('cancelled');
                stoppedAt.push(total);
            } else {
                const out = await trainPoint(plan, {
                    shouldStop: () => step >= at,
                    afterStep: s => {
                        step = s;
                    },
                });
                expect({ stopped: out.stopped, steps: out.steps }).toEqual({ stopped: 'cancelled', steps: at });
                stoppedAt.push(out.steps);
            }
            // after every single run, not only at the end: a leak that a later run happened to free would hide
            expect(tf.memory().numTensors).toBe(before.numTensors);
        }
        expect(tf.memory().numBytes).toBe(before.numBytes);
        // the seeded steps really spread over the run
        expect(new Set(stoppedAt).size).toBeGreaterThan(20);
    });
});
