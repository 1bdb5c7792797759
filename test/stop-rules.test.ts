// The stop rules of a training run: divergence that a zero loss cannot fake, a target that a lucky batch cannot fake.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { selectBackend } from '../engine/training/backend.js';
import { DIVERGENCE_FACTOR, LossScale, TARGET_READS, TargetRule, trainPoint } from '../engine/training/train-point.js';
import { makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await selectBackend('cpu');
});

const SEEDS = Array.from({ length: 12 }, (_, k) => k + 1);

describe('stop rules', () => {
    it('a first batch of all-zero matrices (loss exactly 0) does not make later losses "diverge"', async () => {
        const verdicts: string[] = [];
        for (const seed of SEEDS) {
            const plan = compileExperiment(
                makeSpec({
                    operation: { size: 2, sparsity: 0.8 },
                    experiment: { batch: 2, steps: 60, seed, optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 } },
                }),
            );
            const r = await trainPoint(plan);
            verdicts.push(
                `seed ${seed}: ${r.stopped}${r.divergedAt ? ` at ${r.divergedAt.step} loss ${r.divergedAt.loss}` : ''} first ${r.lossCurve[0][1]}`,
            );
        }
        expect(verdicts.filter(v => v.includes('diverged'))).toEqual([]);
    });

    it('a lucky batch below the target does not stop a run whose test error is far above it', async () => {
        const verdicts: string[] = [];
        for (const seed of SEEDS.slice(0, 6)) {
            const plan = compileExperiment(
                makeSpec({
                    operation: { size: 2, sparsity: 0.8 },
                    experiment: { batch: 2, steps: 400, seed, stopBelowMse: 1e-6 },
                }),
            );
            const r = await trainPoint(plan);
            verdicts.push(`seed ${seed}: ${r.stopped} at ${r.steps}, test mse ${r.metrics.mse}`);
        }
        expect(verdicts.filter(v => v.includes('target') && Number(v.split('test mse ')[1]) > 1e-5)).toEqual([]);
    });

    it('divergence is judged against the larger of the first loss and the mean y^2 seen', () => {
        const scale = new LossScale();
        scale.addBatch([0, 0, 0, 0]);
        expect(scale.diverged(0)).toBe(false); // first loss 0, y all 0: no reference yet
        scale.addBatch([0.5, -0.5, 0, 0]);
        expect(scale.diverged(0.1)).toBe(false); // reference mean y^2 = 0.0625
        expect(scale.diverged(0.0625 * DIVERGENCE_FACTOR * 0.9)).toBe(false);
        expect(scale.diverged(0.0625 * DIVERGENCE_FACTOR * 1.1)).toBe(true);
        expect(new LossScale().diverged(NaN)).toBe(true);
        expect(new LossScale().diverged(Infinity)).toBe(true);
    });

    it('the target needs several reads below it on average and a held-out confirmation', () => {
        let confirmations = 0;
        let heldOut = 0.5;
        const rule = new TargetRule(1e-6, () => {
            confirmations++;
            return heldOut;
        });
        // one lucky read among bad ones: never even confirmed
        expect([0.1, 0, 0.1, 0.2].map(l => rule.reached(l))).toEqual([false, false, false, false]);
        expect(confirmations).toBe(0);
        // reads below the target, but held-out samples say otherwise: no stop, and a new window before the next check
        const low = Array.from({ length: TARGET_READS }, () => 1e-8);
        expect(low.map(l => rule.reached(l)).at(-1)).toBe(false);
        expect(confirmations).toBe(1);
        heldOut = 1e-7;
        const next = low.map(l => rule.reached(l));
        expect(next).toEqual([...low.slice(1).map(() => false), true]);
        expect(confirmations).toBe(2);
    });
});
