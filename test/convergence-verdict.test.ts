// The convergence verdict on synthetic loss readings (noisy floors stay floors, slow decay is improving) and steps below decades.
import { describe, expect, it } from 'vitest';
import { judgeConvergence, stepsBelowDecades, stepsToThreshold } from '../engine/training/convergence.js';
import { Rng } from '../engine/training/rng.js';

/** Readings every 10 steps (and step 1) up to `steps`, loss(step) times log-normal noise of `noise` decades. */
function readings(steps: number, loss: (step: number) => number, noise: number, seed: number): [number, number][] {
    const rng = new Rng(seed);
    const out: [number, number][] = [];
    for (let step = 1; step <= steps; step = step === 1 ? 10 : step + 10) out.push([step, loss(step) * 10 ** (noise * rng.normal())]);
    return out;
}

describe('convergence verdict', () => {
    it('calls a noisy floor a floor, over 40 noise draws (minibatch noise of 0.1 and 0.3 decades)', () => {
        for (const noise of [0.1, 0.3]) {
            for (let seed = 1; seed <= 20; seed++) {
                const reads = readings(3000, step => 4 + 100 / step, noise, seed);
                expect(judgeConvergence('steps', reads, 1e-6).convergence, `noise ${noise}, seed ${seed}`).toBe('floor');
            }
        }
    });

    it('calls a noisy floor with outliers (a few batches of zero matrices) a floor', () => {
        const reads = readings(3000, () => 2, 0.1, 3).map(([s, l], k): [number, number] => [s, k % 17 === 0 ? 0 : l]);
        expect(judgeConvergence('steps', reads, 1e-6).convergence).toBe('floor');
    });

    it('calls a slow power-law decay improving despite the noise (1/step: 0.3 decades per doubling; 1/sqrt(step): 0.15)', () => {
        for (let seed = 1; seed <= 20; seed++) {
            for (const [loss, noise] of [
                [(step: number) => 10 / step, 0.05],
                [(step: number) => 10 / Math.sqrt(step), 0.02],
            ] as const) {
                const judged = judgeConvergence('steps', readings(3000, loss, noise, seed), 1e-6);
                expect(judged.convergence, `seed ${seed}, noise ${noise}`).toBe('improving');
                expect(judged.info!.gainPerDoubling).toBeGreaterThan(0.08);
            }
        }
    });

    it('calls an exponential decay improving and a decay that ended below the threshold target', () => {
        expect(
            judgeConvergence(
                'steps',
                readings(3000, step => Math.exp(-step / 500), 0.1, 1),
                1e-6,
            ).convergence,
        ).toBe('improving');
        expect(
            judgeConvergence(
                'steps',
                readings(3000, step => Math.exp(-step / 100), 0.1, 1),
                1e-6,
            ).convergence,
        ).toBe('target');
        // the same run judged against a lower threshold: it has flattened (float32 noise) above it
        expect(
            judgeConvergence(
                'steps',
                readings(3000, step => Math.max(1e-9, Math.exp(-step / 50)), 0.1, 1),
                1e-12,
            ).convergence,
        ).toBe('floor');
    });

    it('takes diverged, cancelled and target from how the run stopped, and says too-short below 10 readings', () => {
        const reads = readings(3000, () => 1, 0.1, 1);
        expect(judgeConvergence('diverged', reads, 1e-6).convergence).toBe('diverged');
        expect(judgeConvergence('cancelled', reads, 1e-6).convergence).toBe('cancelled');
        expect(judgeConvergence('target', reads, 1e-6).convergence).toBe('target');
        expect(
            judgeConvergence(
                'steps',
                readings(80, () => 1, 0, 1),
                1e-6,
            ).convergence,
        ).toBe('too-short');
        expect(
            judgeConvergence(
                'steps',
                readings(90, step => 1 / step, 0, 1),
                1e-6,
            ).convergence,
        ).toBe('improving');
    });

    it('judges meta-epochs on their averages: a sawtooth that repeats is a floor, one that falls is improving', () => {
        // 6 meta-epochs of 8 masks x 50 steps: the loss jumps to 1 at every new mask and decays within it
        const period = 400;
        const sawtooth = (scale: (epoch: number) => number) => (step: number) =>
            scale(Math.ceil(step / period)) * Math.exp(-((step - 1) % 50) / 10);
        expect(
            judgeConvergence(
                'steps',
                readings(
                    6 * period,
                    sawtooth(() => 1),
                    0.05,
                    1,
                ),
                1e-6,
                period,
            ).convergence,
        ).toBe('floor');
        expect(
            judgeConvergence(
                'steps',
                readings(
                    6 * period,
                    sawtooth(e => 10 ** -e),
                    0.05,
                    1,
                ),
                1e-9,
                period,
            ).convergence,
        ).toBe('improving');
        expect(
            judgeConvergence(
                'steps',
                readings(
                    2 * period,
                    sawtooth(() => 1),
                    0.05,
                    1,
                ),
                1e-6,
                period,
            ).convergence,
        ).toBe('too-short');
    });

    it('records the first step below each decade, and the step for a threshold', () => {
        const reads: [number, number][] = [
            [1, 0.5],
            [10, 0.02],
            [20, 0.009],
            [30, 0.012],
            [40, 5e-5],
            [50, 2e-7],
        ];
        const below = stepsBelowDecades(reads);
        expect(below).toEqual({ '1e-2': 20, '1e-3': 40, '1e-4': 40, '1e-5': 50, '1e-6': 50 });
        expect(stepsToThreshold(below, 1e-6)).toBe(50);
        expect(stepsToThreshold(below, 5e-4)).toBe(40);
        expect(stepsToThreshold(below, 1e-8)).toBeUndefined();
    });
});
