// The failure policy shared by the CLI and the editor: verdicts, what is written, kept and removed, what still stands after a reload.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveRun, standingFailure, verdictOf } from '../engine/results/failure-policy.js';
import type { ExperimentResult, PointResult } from '../engine/results/result-types.js';
import { ResultsStore } from '../engine/results/results-store.js';

let dir: string;
let specPath: string;
beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emn-policy-'));
    specPath = join(dir, 'paper.emn');
    writeFileSync(specPath, '// spec\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const nan = { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN };
const good = { mse: 1e-8, rmse: 1e-4, maxAbsError: 3e-4, relError: 1e-4 };

function result(over: Partial<ExperimentResult> = {}): ExperimentResult {
    return {
        experiment: 'Paper',
        operation: 'Op',
        network: 'Net',
        backend: 'cpu',
        steps: 100,
        wallMs: 12,
        stepsPerSecond: 900,
        stopped: 'steps',
        metrics: good,
        evaluations: [],
        planHash: 'abc',
        startedAt: '2024-01-01T00:00:00.000Z',
        finishedAt: '2024-01-01T00:00:01.000Z',
        ...over,
    };
}

function point(params: PointResult['params'], over: Partial<PointResult> = {}): PointResult {
    return { params, metrics: good, evaluations: [], steps: 40, stopped: 'steps', wallMs: 1, stepsPerSecond: 40, lossCurve: [], ...over };
}

const diverged = (over: Partial<ExperimentResult> = {}) =>
    result({ stopped: 'diverged', divergedAt: { step: 10, loss: 3.2e12 }, metrics: nan, finishedAt: '2024-01-02T00:00:00.000Z', ...over });

describe('failure policy', () => {
    it('a divergence verdict names the step, the loss and what to change; in a sweep also the point', () => {
        expect(verdictOf(diverged(), { lr: 80 })).toBe('diverged at step 10 (loss 3.20e12): lower lr (now 80), e.g. to 8');
        const sweep = diverged({
            runs: [
                point({ size: 2, sparsity: 0.2 }),
                point({ size: 2, sparsity: 0.8 }, { stopped: 'diverged', steps: 10, divergedAt: { step: 10, loss: NaN }, metrics: nan }),
            ],
        });
        expect(verdictOf(sweep, { lr: 0.05 })).toBe(
            'diverged in point 1 of 2 (size 2, sparsity 0.8) at step 10 (loss NaN): lower lr (now 0.05), e.g. to 0.005; the other 1 point trained',
        );
    });

    it('a cancelled sweep counts the points that never ran', () => {
        const r = result({
            stopped: 'cancelled',
            runs: [point({ size: 3 }, { stopped: 'cancelled', steps: 7 })],
            notRun: [{ size: 4 }, { size: 5 }],
        });
        expect(verdictOf(r, { lr: 1 })).toBe('cancelled in point 0 of 3 (size 3) at step 7; 2 of 3 points not run');
    });

    it('says the last good result was kept only when there is one', () => {
        const store = new ResultsStore();
        const first = saveRun(store, specPath, diverged(), { lr: 80 });
        expect(first.kept).toBeUndefined();
        expect(first.report).toContain('there is no earlier good result');
        expect(first.report.join('\n')).not.toMatch(/was kept/);
        saveRun(store, specPath, result(), { lr: 80 });
        const second = saveRun(store, specPath, diverged(), { lr: 80 });
        expect(second.kept).toEqual({ path: store.resultPath(specPath, 'Paper'), finishedAt: '2024-01-01T00:00:01.000Z' });
        expect(second.report).toContain(`the last good result (trained 2024-01-01 00:00 UTC) was kept: ${second.kept!.path}`);
        expect(store.load(specPath, 'Paper').result!.stopped).toBe('steps');
        expect(store.loadFailure(specPath, 'Paper').result!.verdict).toBe(second.verdict);
    });

    it('a good run removes the older last-failure file', () => {
        const store = new ResultsStore();
        saveRun(store, specPath, diverged(), { lr: 80 });
        expect(existsSync(store.failurePath(specPath, 'Paper'))).toBe(true);
        const saved = saveRun(store, specPath, result({ finishedAt: '2024-01-03T00:00:00.000Z' }), { lr: 80 });
        expect(saved.removedFailure).toBe(true);
        expect(existsSync(store.failurePath(specPath, 'Paper'))).toBe(false);
    });

    it('a sweep with a diverged point keeps its good points as the result, the failed point marked', () => {
        const store = new ResultsStore();
        const r = diverged({
            runs: [
                point({ lr: 0.05 }),
                point({ lr: 80 }, { stopped: 'diverged', steps: 10, divergedAt: { step: 10, loss: NaN }, metrics: nan }),
            ],
        });
        const saved = saveRun(store, specPath, r, { lr: 0.05 });
        expect(saved.resultPath).toBe(store.resultPath(specPath, 'Paper'));
        expect(saved.failurePath).toBe(store.failurePath(specPath, 'Paper'));
        expect(store.load(specPath, 'Paper').result!.runs!.map(p => p.stopped)).toEqual(['steps', 'diverged']);
        // still the latest word on the experiment: the editor keeps warning after a reload
        expect(standingFailure(store, specPath, 'Paper')?.message).toMatch(/^training diverged in point 1 of 2 \(lr 80\) at step 10/);
    });

    it('a divergence on disk stands (for the editor after a reload) until a later good run; a cancel never does', () => {
        const store = new ResultsStore();
        saveRun(store, specPath, diverged({ planHash: 'h1' }), { lr: 80 });
        expect(standingFailure(store, specPath, 'Paper')).toEqual({
            outcome: 'diverged',
            planHash: 'h1',
            message: 'training diverged at step 10 (loss 3.20e12): lower lr (now 80), e.g. to 8',
        });
        saveRun(store, specPath, result({ finishedAt: '2024-01-03T00:00:00.000Z' }), { lr: 80 });
        expect(standingFailure(store, specPath, 'Paper')).toBeUndefined();
        saveRun(store, specPath, result({ stopped: 'cancelled', finishedAt: '2024-01-04T00:00:00.000Z' }), { lr: 80 });
        expect(standingFailure(store, specPath, 'Paper')).toBeUndefined();
    });
});
