// compareRuns on results with known weights: the difference B - A and its summary numbers, and no difference with a diverged run's NaN weights.
import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparedRun } from '../engine/results/compare-runs.js';
import { settingChanges } from '../engine/results/run-settings.js';
import type { ExperimentResult, WeightTensor } from '../engine/results/result-types.js';

function run(label: string, w: number[], e: number[], over: Partial<ExperimentResult> = {}): ComparedRun {
    const tensor = (name: string, values: number[]): WeightTensor => ({ name, shape: [2, 2], values });
    const result: ExperimentResult = {
        experiment: 'Paper', operation: 'Op', network: 'Net', backend: 'cpu', steps: 100, wallMs: 1000, stepsPerSecond: 100,
        stopped: 'steps', metrics: { mse: 0.5, rmse: 0.7, maxAbsError: 1, relError: 0.1, pathWeightError: 0.2 },
        evaluations: [{ on: 'Op', samples: 10, mse: 0.5, maxAbsError: 1, relError: 0.1 }], lossCurve: [[0, 1], [100, 0.5]],
        weights: [tensor('mask1.W', w)], pathWeights: tensor('E', e),
        planHash: label, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z',
        ...over,
    };
    return { label, specFile: 'paper.emn', experiment: 'Paper', settings: { lr: label === 'A' ? '0.05' : '0.02' }, result };
}

describe('compareRuns', () => {
    it('differences are B - A, with their largest and mean absolute value and the norm relative to A', () => {
        const c = compareRuns(run('A', [1, 2, 3, 4], [1, 1, 1, 1]), run('B', [1, 0, 3, 8], [1, 1, 0.5, 2]));
        expect(c.settings).toEqual([{ setting: 'lr', before: '0.05', after: '0.02' }]);
        expect(c.weights).toHaveLength(1);
        expect(c.weights[0].difference.values).toEqual([0, -2, 0, 4]);
        expect(c.weights[0].maxAbs).toBe(4);
        expect(c.weights[0].meanAbs).toBe(1.5);
        expect(c.weights[0].relative).toBeCloseTo(Math.sqrt(20 / 30), 12);
        expect(c.pathWeights?.difference.values).toEqual([0, 0, -0.5, 1]);
        expect(c.pathWeights?.relative).toBeCloseTo(Math.sqrt(1.25 / 4), 12);
        expect(c.weightsNote).toBeUndefined();
    });

    it('a diverged side (NaN weights) has no weight or E difference, and the note says why', () => {
        const diverged = run('B', [NaN, 1, 2, 3], [NaN, NaN, 1, 1], { stopped: 'diverged', metrics: { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN } });
        const c = compareRuns(run('A', [1, 2, 3, 4], [1, 1, 1, 1]), diverged);
        expect(c.weights).toEqual([]);
        expect(c.pathWeights).toBeUndefined();
        expect(c.weightsNote).toBe('the weights of B are not all finite (a diverged run): no weight difference');
        // its metrics are still side by side, without a ratio
        expect(c.metrics.find(m => m.metric === 'mse')).toEqual({ metric: 'mse', a: 0.5, b: NaN });
    });

    it('a seeded setting\'s loss curve is the median over its seeds; a sweep has none to overlay', () => {
        const point = (seed: number, curve: [number, number][]) => ({ params: { seed }, metrics: { mse: 0.5, rmse: 0.7, maxAbsError: 1, relError: 0.1 },
            evaluations: [], steps: 10, stopped: 'steps' as const, wallMs: 1, stepsPerSecond: 1, lossCurve: curve });
        const seeded = run('B', [1, 2, 3, 4], [1, 1, 1, 1], {
            lossCurve: undefined, runs: [point(1, [[0, 1], [10, 0.5]]), point(2, [[0, 1], [10, 0.25]])],
            seedGroups: [{ params: {}, seeds: [1, 2], runs: [0, 1], metrics: {}, lossBand: [[0, 1, 1, 1], [10, 0.375, 0.25, 0.5]] }],
        });
        expect(compareRuns(run('A', [1, 2, 3, 4], [1, 1, 1, 1]), seeded).lossCurves.b).toEqual([[0, 1], [10, 0.375]]);
        const sweep = run('B', [1, 2, 3, 4], [1, 1, 1, 1], { lossCurve: undefined, runs: [point(1, [[0, 1]])] });
        expect(compareRuns(run('A', [1, 2, 3, 4], [1, 1, 1, 1]), sweep).lossCurves.b).toEqual([]);
    });

    it('a number spelt two ways is the same setting (runs kept by older versions wrote 1.00e-8)', () => {
        expect(settingChanges({ epsilon: '1.00e-8', stop: 'mse < 1.00e-6', lr: '0.05' }, { epsilon: '1e-8', stop: 'mse < 1e-6', lr: '0.02' }))
            .toEqual([{ setting: 'lr', before: '0.05', after: '0.02' }]);
    });
});
