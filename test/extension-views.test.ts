// The extension's pure view helpers: weights export (CSV indices, JSON per sweep point) and the compiled-plan markdown.
import { describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../engine/results/result-types.js';
import { isFromWebviewMessage } from '../extension/results-view/messages.js';
import { weightsToCsv, weightsToJson } from '../extension/results-view/weights-export.js';
import { renderPlan } from '../engine/compiler/plan-markdown.js';
import { firstLayer, slice, sweepSlice } from '../extension/results-view/webview/tensor-slices.js';
import type { PointResult } from '../engine/results/result-types.js';
import { makePlan } from './trainer-fixtures.js';

const metrics = { mse: 1e-9, rmse: 3e-5, maxAbsError: 1e-4, relError: 1e-5 };
function result(extra: Partial<ExperimentResult> = {}): ExperimentResult {
    return {
        experiment: 'Exp',
        operation: 'Op',
        network: 'Net',
        backend: 'cpu',
        steps: 10,
        wallMs: 5,
        stepsPerSecond: 2000,
        stopped: 'steps',
        metrics,
        evaluations: [],
        planHash: 'h',
        startedAt: '',
        finishedAt: '',
        weights: [
            { name: 'mask1.W', shape: [2, 1, 2], values: [1, 2, 3, 4] },
            { name: 'output.W', shape: [2, 1], values: [5, 6] },
        ],
        pathWeights: { name: 'E', shape: [2, 2], values: [1, 1, 1, 1] },
        ...extra,
    };
}

describe('weights export', () => {
    it('writes one CSV row per entry with its row-major multi-index', () => {
        const lines = weightsToCsv(result()).trim().split('\n');
        expect(lines[0]).toBe('tensor,i0,i1,i2,value');
        expect(lines[1]).toBe('mask1.W,0,0,0,1');
        expect(lines[2]).toBe('mask1.W,0,0,1,2');
        expect(lines[3]).toBe('mask1.W,1,0,0,3');
        expect(lines[5]).toBe('output.W,0,0,,5');
        expect(lines[8]).toBe('E,0,1,,1');
        expect(lines).toHaveLength(1 + 4 + 2 + 4);
    });

    it('exports the selected sweep point, with its parameters', () => {
        const point = {
            ...result(),
            params: { size: 3 },
            weights: [{ name: 'output.W', shape: [1], values: [9] }],
            pathWeights: undefined,
            lossCurve: [] as [number, number][],
        };
        const json = JSON.parse(weightsToJson(result({ runs: [point, { ...point, params: { size: 4 } }] }), 1));
        expect(json.params).toEqual({ size: 4 });
        expect(json.weights).toEqual([{ name: 'output.W', shape: [1], values: [9] }]);
        expect(json.pathWeights).toBeUndefined();
    });
});

describe('row clusters and sweep slices', () => {
    it('takes W1[i] (w x n) and row i of E out of the row-major tensors', () => {
        const w1 = firstLayer(result().weights!)!;
        expect(w1.name).toBe('mask1.W');
        expect(slice(w1, 1)).toEqual({ name: 'mask1.W[1]', shape: [1, 2], values: [3, 4] });
        expect(slice({ name: 'E', shape: [2, 2], values: [1, 2, 3, 4] }, 0)).toEqual({ name: 'E[0]', shape: [1, 2], values: [1, 2] });
    });

    it('keeps the points where the other parameters have their fixed values, sorted by the chosen one', () => {
        const point = (size: number, sparsity: number, mse: number) =>
            ({ params: { size, sparsity }, metrics: { ...metrics, mse } }) as unknown as PointResult;
        const runs = [point(4, 0.5, 4), point(3, 0.5, 3), point(3, 0.2, 2), point(4, 0.2, 1)];
        expect(sweepSlice(runs, 'size', { sparsity: 0.5 }, 'mse')).toEqual([
            { x: 3, y: 3 },
            { x: 4, y: 4 },
        ]);
        expect(sweepSlice(runs, 'sparsity', { size: 4 }, 'mse')).toEqual([
            { x: 0.2, y: 1 },
            { x: 0.5, y: 4 },
        ]);
    });
});

describe('webview messages', () => {
    it('accepts well-formed messages and rejects others', () => {
        expect(isFromWebviewMessage({ type: 'ready' })).toBe(true);
        expect(isFromWebviewMessage({ type: 'exportWeights', format: 'csv', point: 2 })).toBe(true);
        expect(isFromWebviewMessage({ type: 'exportWeights', format: 'xml' })).toBe(false);
        expect(isFromWebviewMessage({ type: 'exportPng', name: 'loss', dataUrl: 'javascript:alert(1)' })).toBe(false);
        expect(isFromWebviewMessage({ type: 'runShell' })).toBe(false);
        expect(isFromWebviewMessage({ type: 'showRun', run: 3 })).toBe(true);
        expect(isFromWebviewMessage({ type: 'showRun' })).toBe(true);
        expect(isFromWebviewMessage({ type: 'showRun', run: '3' })).toBe(false);
        expect(isFromWebviewMessage({ type: 'compare', a: 1, b: 2 })).toBe(true);
        expect(isFromWebviewMessage({ type: 'compare', a: 1 })).toBe(false);
        expect(isFromWebviewMessage({ type: 'compare', a: 0, b: 2.5 })).toBe(false);
        expect(isFromWebviewMessage(null)).toBe(false);
    });
});

describe('compiled plan markdown', () => {
    it('lists every layer with its shapes and the parameter count', () => {
        const experiment = makePlan();
        const plan = experiment.points[0].plan;
        const md = renderPlan(experiment);
        expect(md.split('\n')[0]).toBe('# Exp: Op (y = A x) learned by Net');
        for (const layer of plan.layers) expect(md).toMatch(new RegExp(`\\| ${layer.name} +\\| ${layer.kind}`));
        expect(md).toContain(`parameters (emn): **${plan.parameterCount.toLocaleString('en-US')}**`);
        expect(md).toMatch(/\| mask1 +\| masked \(gated by A\) +\| \[5\] +\| \[5, 4\] +\| \[5, 4, 5\] +\|/);
    });

    it('says one in the singular ("1 unit per cluster", "a pool of 1 matrix") and small densities with their digits', () => {
        const one = renderPlan(makePlan({ network: { width: 1 }, experiment: { pool: 1 } }));
        expect(one).toContain('1 unit per cluster');
        expect(one).toContain('pool of 1 matrix');
        expect(one).not.toMatch(/\b1 units\b|\b1 matrices\b/);
        const two = renderPlan(makePlan({ network: { width: 2 }, experiment: { pool: 2 } }));
        expect(two).toContain('2 units per cluster');
        expect(two).toContain('pool of 2 matrices');
        // n = 100000: a pruned layer keeps 1/n of a dense layer's weights, 0.001%, not "0.0%"
        const wide = renderPlan(makePlan({ operation: { size: 100000 }, network: { width: 1, depth: 2 } }));
        expect(wide).toMatch(/\| hidden2 .*\| +0\.001% \|/);
        expect(wide).not.toMatch(/ 0\.0% /);
    });

    it('renders a sweep as a section per point, each with its own plan (not JSON)', () => {
        const experiment = makePlan({
            experiment: {
                sweep: [
                    { parameter: 'size', values: [3, 4] },
                    { parameter: 'lr', values: [0.1] },
                ],
            },
        });
        const md = renderPlan(experiment);
        expect(md.split('\n')[0]).toBe('# Exp: 2 sweep points of Op learned by Net');
        expect(md.match(/^## .*/gm)).toEqual(['## size 3, lr 0.1', '## size 4, lr 0.1']);
        expect(md).toMatch(/\| mask1 +\| masked \(gated by A\) +\| \[3\] +\| \[3, 4\] +\| \[3, 4, 3\] +\|/);
        expect(md).toMatch(/\| mask1 +\| masked \(gated by A\) +\| \[4\] +\| \[4, 4\] +\| \[4, 4, 4\] +\|/);
        expect(md.match(/sgd\(lr 0\.1, momentum 0\.9\)/g)?.length).toBe(2);
        expect(md).not.toContain('"format"');
    });
});
