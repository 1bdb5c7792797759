// The spread over seeds and the lens's words for it: median/min/max per setting, seeds that reached the target, the loss band.
import { describe, expect, it } from 'vitest';
import { sci } from '../engine/format-numbers.js';
import { seedSummary } from '../language-server/lsp/training/result-summary.js';
import { hintMse } from '../language-server/lsp/training/emn-inlay-hint-provider.js';
import type { ExperimentResult, PointResult } from '../engine/results/result-types.js';
import { seedGroups, spreadOf } from '../engine/results/seed-spread.js';
import { expandSweep, replicateSeeds } from '../engine/spec/expand-sweep.js';

function point(
    params: PointResult['params'],
    mse: number,
    stopped: PointResult['stopped'] = 'steps',
    curve: [number, number][] = [
        [0, 1],
        [10, mse],
    ],
): PointResult {
    return {
        params,
        metrics: { mse, rmse: Math.sqrt(mse), maxAbsError: mse, relError: mse },
        evaluations: [],
        steps: 10,
        stopped,
        wallMs: 1,
        stepsPerSecond: 1,
        lossCurve: curve,
    };
}

describe('seed spread', () => {
    it('median of an even count is the mean of the middle two; NaN (diverged) is left out', () => {
        expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
        expect(spreadOf([NaN, 5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
        expect(spreadOf([NaN])).toBeUndefined();
    });

    it('groups runs by every sweep value but the seed, counts the seeds that reached the target and bands the loss', () => {
        const runs = [
            point({ lr: 0.1, seed: 1 }, 1e-9, 'target'),
            point({ lr: 0.1, seed: 2 }, 3e-9, 'target'),
            point({ lr: 0.1, seed: 3 }, 2e-6),
            point({ lr: 0.2, seed: 1 }, 1e-3),
            point({ lr: 0.2, seed: 2 }, 2e-3),
        ];
        const groups = seedGroups({ runs }, 1e-6);
        expect(groups.map(g => [g.params, g.runs, g.reachedTarget])).toEqual([
            [{ lr: 0.1 }, [0, 1, 2], 2],
            [{ lr: 0.2 }, [3, 4], 0],
        ]);
        expect(groups[0].metrics.mse).toEqual({ median: 3e-9, min: 1e-9, max: 2e-6 });
        expect(groups[0].lossBand).toEqual([
            [0, 1, 1, 1],
            [10, 3e-9, 1e-9, 2e-6],
        ]);
    });

    it("the loss band runs to the last seed's last step: a seed that stopped early keeps its final loss", () => {
        const runs = [
            point({ seed: 1 }, 0.25, 'target', [
                [0, 1],
                [10, 0.25],
            ]),
            point({ seed: 2 }, 0.125, 'steps', [
                [0, 1],
                [10, 0.75],
                [15, 0.5],
                [20, 0.125],
            ]),
            point({ seed: 3 }, NaN, 'diverged', [
                [0, 1],
                [5, 1e9],
            ]),
        ];
        expect(seedGroups({ runs })[0].lossBand).toEqual([
            [0, 1, 1, 1],
            [10, 0.5, 0.25, 0.75],
            [15, 0.375, 0.25, 0.5],
            [20, 0.1875, 0.125, 0.25],
        ]);
    });

    it('the lens says the median and how many seeds reached the target', () => {
        const runs = Array.from({ length: 10 }, (_, k) => point({ seed: k }, k < 8 ? 2.1e-9 : 5e-5, k < 8 ? 'target' : 'steps'));
        const result = { runs, seedGroups: seedGroups({ runs }, 1e-6) } as unknown as ExperimentResult;
        expect(seedSummary(result)).toBe(`MSE ${sci(2.1e-9)} (median of 10; 8/10 < ${sci(1e-6)})`);
        // the inlay hint gives the median too, not the luckiest seed
        expect(hintMse(result)).toBe(`mse ${sci(2.1e-9)} (median of 10)`);
        // diverged seeds (NaN metrics) are left out of the median, and the words say over how many it is
        const some = runs.map((r, k) => (k >= 8 ? point(r.params, NaN, 'diverged') : r));
        const withDiverged = { runs: some, seedGroups: seedGroups({ runs: some }, 1e-6) } as unknown as ExperimentResult;
        expect(seedSummary(withDiverged)).toBe(`MSE ${sci(2.1e-9)} (median of 8; 2/10 diverged; 8/10 < ${sci(1e-6)})`);
        expect(hintMse(withDiverged)).toBe(`mse ${sci(2.1e-9)} (median of 8; 2/10 diverged)`);
        const sweep = [0.1, 0.2].flatMap(lr => [1, 2, 3].map(seed => point({ lr, seed }, lr * (seed === 1 ? 1e-9 : 1e-3))));
        expect(hintMse({ runs: sweep, seedGroups: seedGroups({ runs: sweep }) } as unknown as ExperimentResult)).toBe(
            `best median mse ${sci(1e-4)}`,
        );
    });

    it("seeds N expands each sweep point N times; the first seed is the spec's, the others distinct", () => {
        const seeds = replicateSeeds(7, 10);
        expect(seeds[0]).toBe(7);
        expect(new Set(seeds).size).toBe(10);
        const spec = {
            seed: 7,
            seeds: 3,
            sweep: [{ parameter: 'lr', values: [0.1, 0.2] }],
            optimizer: { kind: 'sgd', lr: 0.1, momentum: 0 },
            evaluations: [],
            operation: { name: 'Op' },
        };
        const points = expandSweep(spec as never);
        expect(points.map(p => p.params)).toEqual([0.1, 0.2].flatMap(lr => replicateSeeds(7, 3).map(seed => ({ lr, seed }))));
        expect(points.map(p => p.experiment.seed)).toEqual(points.map(p => p.params.seed));
    });
});
