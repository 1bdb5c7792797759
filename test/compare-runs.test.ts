// compareRuns on results with known weights: the difference B - A and its summary numbers, and no difference with a diverged run's NaN
// weights.
import { describe, expect, it } from 'vitest';
import { compareRuns, type ComparedRun } from '../engine/results/compare-runs.js';
import { settingChanges } from '../engine/results/run-settings.js';
import { comparisonMarkdown } from '../cli/diff-command.js';
import type { PointResult } from '../engine/results/result-types.js';
import type { ExperimentResult, WeightTensor } from '../engine/results/result-types.js';

function run(label: string, w: number[], e: number[], over: Partial<ExperimentResult> = {}): ComparedRun {
    const tensor = (name: string, values: number[]): WeightTensor => ({ name, shape: [2, 2], values });
    const result: ExperimentResult = {
        experiment: 'Paper',
        operation: 'Op',
        network: 'Net',
        backend: 'cpu',
        steps: 100,
        wallMs: 1000,
        stepsPerSecond: 100,
        stopped: 'steps',
        metrics: { mse: 0.5, rmse: 0.7, maxAbsError: 1, relError: 0.1, pathWeightError: 0.2 },
        evaluations: [{ on: 'Op', samples: 10, mse: 0.5, maxAbsError: 1, relError: 0.1 }],
        lossCurve: [
            [0, 1],
            [100, 0.5],
        ],
        weights: [tensor('mask1.W', w)],
        pathWeights: tensor('E', e),
        planHash: label,
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.000Z',
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
        const diverged = run('B', [NaN, 1, 2, 3], [NaN, NaN, 1, 1], {
            stopped: 'diverged',
            metrics: { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN },
        });
        const c = compareRuns(run('A', [1, 2, 3, 4], [1, 1, 1, 1]), diverged);
        expect(c.weights).toEqual([]);
        expect(c.pathWeights).toBeUndefined();
        expect(c.weightsNote).toBe('the weights of B are not all finite (a diverged run): no weight difference');
        // its metrics are still side by side, without a ratio
        expect(c.metrics.find(m => m.metric === 'mse')).toEqual({ metric: 'mse', label: 'test mse', a: 0.5, b: NaN });
    });

    it("a seeded setting's loss curve is the median over its seeds; a sweep has none to overlay", () => {
        const point = (seed: number, curve: [number, number][]) => ({
            params: { seed },
            metrics: { mse: 0.5, rmse: 0.7, maxAbsError: 1, relError: 0.1 },
            evaluations: [],
            steps: 10,
            stopped: 'steps' as const,
            wallMs: 1,
            stepsPerSecond: 1,
            lossCurve: curve,
        });
        const seeded = run('B', [1, 2, 3, 4], [1, 1, 1, 1], {
            lossCurve: undefined,
            runs: [
                point(1, [
                    [0, 1],
                    [10, 0.5],
                ]),
                point(2, [
                    [0, 1],
                    [10, 0.25],
                ]),
            ],
            seedGroups: [
                {
                    params: {},
                    seeds: [1, 2],
                    runs: [0, 1],
                    metrics: {},
                    lossBand: [
                        [0, 1, 1, 1],
                        [10, 0.375, 0.25, 0.5],
                    ],
                },
            ],
        });
        expect(compareRuns(run('A', [1, 2, 3, 4], [1, 1, 1, 1]), seeded).lossCurves.b).toEqual([
            [0, 1],
            [10, 0.375],
        ]);
        const sweep = run('B', [1, 2, 3, 4], [1, 1, 1, 1], { lossCurve: undefined, runs: [point(1, [[0, 1]])] });
        expect(compareRuns(run('A', [1, 2, 3, 4], [1, 1, 1, 1]), sweep).lossCurves.b).toEqual([]);
    });

    it('a number spelt two ways is the same setting (runs kept by older versions wrote 1.00e-8)', () => {
        expect(
            settingChanges({ epsilon: '1.00e-8', stop: 'mse < 1.00e-6', lr: '0.05' }, { epsilon: '1e-8', stop: 'mse < 1e-6', lr: '0.02' }),
        ).toEqual([{ setting: 'lr', before: '0.05', after: '0.02' }]);
    });
});

describe('compareRuns: seeds and sweeps', () => {
    const point = (params: PointResult['params'], mse: number): PointResult => ({
        params,
        metrics: { mse, rmse: Math.sqrt(mse), maxAbsError: 10 * mse, relError: mse },
        evaluations: [{ on: 'Op', samples: 10, mse, maxAbsError: 10 * mse, relError: mse }],
        steps: 10,
        stopped: 'steps',
        wallMs: 1,
        stepsPerSecond: 1,
        lossCurve: [],
    });
    /** `seeds 3`: the top-level metrics are the worst seed's, the seed group has the medians. */
    const seeded = (label: string, mses: number[]) => {
        const sorted = [...mses].sort((x, y) => x - y);
        const spread = (f: (m: number) => number) => ({ median: f(sorted[1]), min: f(sorted[0]), max: f(sorted[2]) });
        const worst = mses.indexOf(sorted[2]);
        return run(label, [1, 2, 3, 4], [1, 1, 1, 1], {
            runs: mses.map((mse, k) => point({ seed: k + 1 }, mse)),
            worstRun: worst,
            metrics: { mse: sorted[2], rmse: Math.sqrt(sorted[2]), maxAbsError: 10 * sorted[2], relError: sorted[2] },
            seedGroups: [
                {
                    params: {},
                    seeds: [1, 2, 3],
                    runs: [0, 1, 2],
                    lossBand: [],
                    metrics: { mse: spread(m => m), rmse: spread(Math.sqrt), maxAbsError: spread(m => 10 * m), relError: spread(m => m) },
                },
            ],
        });
    };

    it('two seeded runs lead with the medians over their seeds, then the worst seed', () => {
        // the worst seeds differ x1.19, the medians x0.46
        const c = compareRuns(seeded('A', [1e-4, 2e-3, 5e-5]), seeded('B', [2.38e-3, 4.6e-5, 1e-5]));
        expect(c.metrics[0]).toMatchObject({ metric: 'mse median', label: 'test mse, median of 3 seeds', a: 1e-4, b: 4.6e-5 });
        expect(c.metrics[0].ratio).toBeCloseTo(0.46);
        expect(c.metrics.find(m => m.metric === 'mse')).toMatchObject({ label: 'test mse, worst seed', a: 2e-3, b: 2.38e-3 });
        const table = comparisonMarkdown(c)
            .split('## Metrics')[1]
            .split('\n')
            .filter(l => l.startsWith('| '));
        expect(table[1]).toMatch(/^\| test mse, median of 3 seeds +\| +1\.00e-4 \| +4\.60e-5 \| +x0\.46 \|$/);
        expect(table.findIndex(l => l.includes('worst seed'))).toBeGreaterThan(table.findIndex(l => l.includes('max |err|, median')));
    });

    it('sweeps whose grids overlap in part: the common points side by side, and which points are missing and why', () => {
        const sweep = (label: string, sizes: number[]) =>
            run(label, [1], [1], { runs: sizes.map(size => point({ size }, size / 1000)), weights: undefined, pathWeights: undefined });
        const c = compareRuns(sweep('A', [3, 4, 5]), sweep('B', [4, 5, 6]));
        expect(c.points.map(p => p.point)).toEqual(['size 4', 'size 5']);
        expect(c.pointsNote).toBe('2 points in both grids; only in A: size 3; only in B: size 6');
        expect(comparisonMarkdown(c)).toContain('2 points in both grids; only in A: size 3; only in B: size 6');
    });

    it('sweeps of different parameters have no point in common, and say so', () => {
        const a = run('A', [1], [1], { runs: [point({ size: 3 }, 1), point({ size: 4 }, 1)], weights: undefined });
        const b = run('B', [1], [1], { runs: [point({ size: 3, lr: 0.1 }, 1), point({ size: 3, lr: 0.2 }, 1)], weights: undefined });
        const c = compareRuns(a, b);
        expect(c.points).toEqual([]);
        expect(c.pointsNote).toBe('no point in both grids: A sweeps size, B sweeps size, lr (points match by all their sweep values)');
        const single = compareRuns(a, run('B', [1], [1]));
        expect(single.pointsNote).toBe('A is a sweep of 2 points, B a single run: no per-point table');
    });
});
