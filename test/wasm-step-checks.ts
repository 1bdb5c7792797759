// What the wasm steps' tests check alike: the stated tolerance against the ops graph, and central differences of the loss.
import { expect } from 'vitest';
import type { PointOutcome } from '../engine/training/train-point.js';

/*
 * Stated tolerance of an f32 SIMD step against the reference (the tfjs ops graph, EMN_KERNELS=ops) over 1,000 steps:
 * every logged loss within 1e-3 relative while the reference loss is above 1e-6, within 1e-2 relative down to 1e-9
 * (rounding differences grow relative to a loss that falls exponentially), below 1e-8 once the reference is under
 * 1e-9 (float32's noise floor, where the f64-accumulating JS kernel disagrees with the graph by as much); the final
 * weights within 1e-3 of the largest weight.
 */
const FLOOR = 1e-9,
    WEIGHT_TOL = 1e-3;
const lossTolerance = (loss: number) => (loss > 1e-6 ? 1e-3 : 1e-2) * loss;

/** `mine` (a wasm step's run) against `ref` (the ops graph's run of the same plan), by the stated tolerance. */
export function expectWithinReferenceTolerance(ref: PointOutcome, mine: PointOutcome): void {
    expect(mine.stopped).toBe('steps');
    expect(mine.lossCurve.length).toBe(ref.lossCurve.length);
    ref.lossCurve.forEach(([step, loss], k) => {
        expect(mine.lossCurve[k][0]).toBe(step);
        if (loss > FLOOR) expect(Math.abs(mine.lossCurve[k][1] - loss)).toBeLessThanOrEqual(lossTolerance(loss));
        else expect(mine.lossCurve[k][1]).toBeLessThan(10 * FLOOR);
    });
    for (const [name, values] of ref.finalWeights!) {
        const weights = mine.finalWeights!.get(name)!;
        const scale = Math.max(...Array.from(values, Math.abs));
        values.forEach((v, e) => expect(Math.abs(weights[e] - v)).toBeLessThanOrEqual(WEIGHT_TOL * scale));
    }
}

/** What the check needs of a trainer: setting a weight tensor and the loss of the batch drawn from a stream state. */
interface LossOfWeights<Draw> {
    setWeight(p: number, values: Float32Array): void;
    loss(s0: number, draw: Draw): number;
}

/**
 * Perturbs every element of every weight by +-eps (float32), takes (up - down) / (the step float32 really made), and
 * returns the worst relative disagreement with `grads` and how many elements were checked; the weights are restored.
 */
export function worstCentralDifference<Draw>(
    trainer: LossOfWeights<Draw>,
    weights: Float32Array[],
    grads: Float32Array[],
    s0: number,
    draw: Draw,
    eps: number,
): { worst: number; checked: number } {
    let worst = 0,
        checked = 0;
    weights.forEach((values, p) => {
        for (let e = 0; e < values.length; e++) {
            const v = Float32Array.from(values);
            v[e] = values[e] + eps;
            trainer.setWeight(p, v);
            const up = trainer.loss(s0, draw);
            v[e] = values[e] - eps;
            trainer.setWeight(p, v);
            const down = trainer.loss(s0, draw);
            trainer.setWeight(p, values);
            const numeric = (up - down) / (Math.fround(values[e] + eps) - Math.fround(values[e] - eps));
            worst = Math.max(worst, Math.abs(numeric - grads[p][e]) / (Math.abs(numeric) + Math.abs(grads[p][e]) + 1e-2));
            checked++;
        }
    });
    return { worst, checked };
}
