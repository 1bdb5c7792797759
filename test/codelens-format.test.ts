// The texts CodeLens, inlay hints and hovers show for results and progress, and the hover's heatmap.
import { describe, expect, it } from 'vitest';
import { progressTitle } from '../language-server/lsp/training/code-lens-provider.js';
import { sci } from '../language-server/format-numbers.js';
import { resultSummary, sweepSummary } from '../language-server/lsp/training/format.js';
import { downsample, heatmapSvg } from '../language-server/lsp/training/heatmap-svg.js';
import { hintMse } from '../language-server/lsp/training/inlay-hint-provider.js';
import type { ExperimentResult, PointResult } from '../language-server/results/result-types.js';

const metrics = (mse: number) => ({ mse, rmse: Math.sqrt(mse), maxAbsError: 4e-6, relError: 1e-6 });
const point = (params: PointResult['params'], mse: number): PointResult => ({
    params, metrics: metrics(mse), evaluations: [], steps: 10, stopped: 'steps', wallMs: 1, stepsPerSecond: 1, lossCurve: [],
});
const result = (runs?: PointResult[]): ExperimentResult => ({
    experiment: 'Paper', operation: 'Op', network: 'Net', backend: 'wasm', steps: 3000, wallMs: 800, stepsPerSecond: 1,
    stopped: 'steps', metrics: metrics(3.1e-12), evaluations: [], runs, planHash: 'h', startedAt: '', finishedAt: '',
});

describe('result and progress texts', () => {
    it('formats numbers as short scientific values', () => {
        expect(sci(3.1e-12)).toBe('3.1e-12');
        expect(sci(0.00123)).toBe('1.2e-3');
        expect(sci(NaN)).toBe('NaN');
        expect(sci(0)).toBe('0');
        expect(sci(12345)).toBe('1.2e4');
    });

    it('summarises a run and a sweep', () => {
        expect(resultSummary(result())).toBe('MSE 3.1e-12 · max err 4.0e-6 · 0.8 s · wasm');
        const sweep = result([point({ size: 20, sparsity: 0.8 }, 3e-7), point({ size: 5, sparsity: 0.2 }, 1e-12), point({ size: 10, sparsity: 0.5 }, NaN)]);
        expect(sweepSummary(sweep)).toBe('best 1.0e-12 (size 5, sparsity 0.2) · worst NaN (size 10, sparsity 0.5)');
        expect(hintMse(sweep)).toBe('best mse 1.0e-12');
        expect(hintMse(result())).toBe('mse 3.1e-12');
        expect(sweepSummary(result())).toBeUndefined();
    });

    it('titles progress with the sweep point only when there are several', () => {
        expect(progressTitle({ point: 0, points: 1, step: 120, steps: 3000, loss: 1.23e-3 })).toBe('training… step 120/3000 · loss 1.2e-3');
        expect(progressTitle({ point: 1, points: 4, step: 5, steps: 10, loss: 2 })).toBe('training… point 2/4 · step 5/10 · loss 2.0e0');
    });
});

describe('weight heatmap', () => {
    it('keeps at most 20 x 20 cells, averaging blocks', () => {
        const values = Array.from({ length: 40 * 40 }, (_, k) => (Math.floor(k / 40) < 20 ? 1 : -1));
        const grid = downsample({ name: 'W', shape: [40, 40], values });
        expect(grid).toHaveLength(20);
        expect(grid[0]).toHaveLength(20);
        expect(grid[0][0]).toBe(1);
        expect(grid[19][19]).toBe(-1);
        // [n, w, n] folds its first two axes into rows
        expect(downsample({ name: 'mask1', shape: [3, 2, 3], values: Array(18).fill(0.5) })).toHaveLength(6);
    });

    it('draws one rect per cell with colours symmetric about the centre', () => {
        const svg = heatmapSvg({ name: 'E', shape: [2, 2], values: [1, 1, 0, 2] }, 1);
        expect(svg.match(/<rect /g)).toHaveLength(4);
        const fills = [...svg.matchAll(/fill="([^"]+)"/g)].map(m => m[1]);
        expect(fills[0]).toBe(fills[1]);
        expect(fills[2]).not.toBe(fills[3]);
        expect(svg).toContain('width="16" height="16"');
    });
});

describe('path-weight heatmap scale', () => {
    it('keeps a learned E (ones up to noise) pale, and an unlearned edge (E = 0) saturated', () => {
        const learned = heatmapSvg({ name: 'E', shape: [1, 2], values: [1 + 1e-5, 1 - 1e-5] }, 1, 1);
        const fills = [...learned.matchAll(/fill="rgb\((\d+), (\d+), (\d+)\)"/g)].map(m => [+m[1], +m[2], +m[3]]);
        for (const rgb of fills) expect(Math.min(...rgb)).toBeGreaterThan(230);
        const unlearned = heatmapSvg({ name: 'E', shape: [1, 2], values: [1, 0] }, 1, 1);
        const [, zero] = [...unlearned.matchAll(/fill="rgb\((\d+), (\d+), (\d+)\)"/g)].map(m => [+m[1], +m[2], +m[3]]);
        expect(zero[0]).toBeGreaterThan(zero[2] + 50);
    });
});
