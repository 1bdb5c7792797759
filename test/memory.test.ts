// Tensor bookkeeping: tf.memory().numTensors stays flat across training steps and returns to its start after a run.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { selectBackend } from '../engine/training/backend.js';
import { tf } from '../engine/training/tf.js';
import { trainPoint } from '../engine/training/train-point.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

const configs: [string, SpecOverrides][] = [
    ['sgd rowwise', {}],
    [
        'adam dense',
        { network: { pruning: 'none' }, experiment: { optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } } },
    ],
    [
        'masking 2 with skips, tanh',
        { operation: { target: { kind: 'polynomial', coefficients: [1, 1, 1] } }, network: { masking: 2, activation: 'tanh' } },
    ],
    ['meta-epochs', { experiment: { schedule: { kind: 'metaEpochs', metaEpochs: 2, masks: 3, stepsPerMask: 10, order: 'shuffled' } } }],
];

describe('tensor memory', () => {
    for (const [name, overrides] of configs) {
        it(`${name}: no tensor grows across steps or survives the run`, async () => {
            const before = tf.memory().numTensors;
            const counts: number[] = [];
            const plan = compileExperiment(makeSpec({ ...overrides, experiment: { steps: 60, ...overrides.experiment } }));
            await trainPoint(plan, { afterStep: () => counts.push(tf.memory().numTensors) });
            // step 1 creates the optimiser slots; from then on the count is constant
            expect(counts.length).toBe(plan.steps);
            expect(new Set(counts.slice(1)).size).toBe(1);
            expect(tf.memory().numTensors).toBe(before);
        });
    }
});
