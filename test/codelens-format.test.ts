// The texts CodeLens, inlay hints and hovers show for results and progress, and the hover's heatmap.
import { describe, expect, it } from 'vitest';
import { progressTitle } from '../language-server/lsp/training/emn-code-lens-provider.js';
import { sci } from '../engine/format-numbers.js';
import { resultSummary, sweepSummary } from '../language-server/lsp/training/result-summary.js';
import { downsample, heatmapSvg } from '../engine/results/heatmap-svg.js';
import { pathErrorColour, pathErrorPosition } from '../engine/results/path-error-scale.js';
import { hintMse } from '../language-server/lsp/training/emn-inlay-hint-provider.js';
import type { ExperimentResult, PointResult } from '../engine/results/result-types.js';

const metrics = (mse: number) => ({ mse, rmse: Math.sqrt(mse), maxAbsError: 4e-6, relError: 1e-6 });
const point = (params: PointResult['params'], mse: number): PointResult => ({
    params,
    metrics: metrics(mse),
    evaluations: [],
    steps: 10,
    stopped: 'steps',
    wallMs: 1,
    stepsPerSecond: 1,
    lossCurve: [],
});
const result = (runs?: PointResult[]): ExperimentResult => ({
    experiment: 'Paper',
    operation: 'Op',
    network: 'Net',
    backend: 'wasm',
    steps: 3000,
    wallMs: 800,
    stepsPerSecond: 1,
    stopped: 'steps',
    metrics: metrics(3.1e-12),
    evaluations: [],
    runs,
    planHash: 'h',
    startedAt: '',
    finishedAt: '',
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
        const sweep = result([
            point({ size: 20, sparsity: 0.8 }, 3e-7),
            point({ size: 5, sparsity: 0.2 }, 1e-12),
            point({ size: 10, sparsity: 0.5 }, NaN),
        ]);
        expect(sweepSummary(sweep)).toBe('best 1.0e-12 (size 5, sparsity 0.2) · worst NaN (size 10, sparsity 0.5)');
        expect(hintMse(sweep)).toBe('best mse 1.0e-12');
        expect(hintMse(result())).toBe('mse 3.1e-12');
        expect(sweepSummary(result())).toBeUndefined();
    });

    it('titles progress with the sweep point only when there are several', () => {
        expect(progressTitle({ point: 0, points: 1, step: 120, steps: 3000, loss: 1.23e-3 })).toBe('training… step 120/3000 · loss 1.2e-3');
        expect(progressTitle({ point: 1, points: 4, step: 5, steps: 10, loss: 2 })).toBe('training… point 1 of 4 · step 5/10 · loss 2.0e0');
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

    it('draws one rect per cell, weights with colours symmetric about 0', () => {
        const svg = heatmapSvg({ name: 'W', shape: [2, 2], values: [0, 0, -1, 1] });
        expect(svg.match(/<rect /g)).toHaveLength(4);
        const fills = [...svg.matchAll(/fill="([^"]+)"/g)].map(m => m[1]);
        expect(fills[0]).toBe(fills[1]);
        expect(fills[2]).not.toBe(fills[3]);
        // a 2 x 2 picture gets the largest cells (16 px): hovers stay small but readable
        expect(svg).toContain('width="32" height="32"');
    });
});

describe('path-weight heatmap scale: |E - 1| on a log scale from 1e-8 to 1', () => {
    const rgb = (svg: string) => [...svg.matchAll(/fill="rgb\((\d+), (\d+), (\d+)\)"/g)].map(m => [+m[1], +m[2], +m[3]]);
    it("tells a converged E's least exact cells from its exact ones, and a wrong one stands out", () => {
        const [exact, close, off, wrong] = rgb(
            heatmapSvg({ name: 'E', shape: [1, 4], values: [1, 1 + 1e-6, 1 - 1e-3, 0] }, pathErrorColour),
        );
        // log positions 0, 0.25, 0.625, 1: the colours get darker (less green and blue) step by step
        expect(close[1]).toBeLessThan(exact[1]);
        expect(off[1]).toBeLessThan(close[1] - 30);
        expect(wrong[1]).toBeLessThan(off[1]);
        expect(wrong[0]).toBeGreaterThan(wrong[1] + 80);
    });

    it('places |E - 1| on the log scale, clamped at both ends', () => {
        expect(pathErrorPosition(1)).toBe(0);
        expect(pathErrorPosition(1 + 1e-9)).toBe(0);
        expect(pathErrorPosition(1 - 1e-4)).toBeCloseTo(0.5, 6);
        expect(pathErrorPosition(3)).toBe(1);
        expect(pathErrorPosition(NaN)).toBe(1);
    });
});
