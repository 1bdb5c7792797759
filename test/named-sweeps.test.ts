// Sweeps over names and the schedule: order, masks, metaEpochs, maskSteps, activation, pruning, momentum; validation,
// expansion, and results format version 2 (params may hold names) while version-1 files still read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectError, expectNoIssues, expectWarning, type ValidationResult } from 'langium/test';
import type { Spec } from '../language-server/generated/ast.js';
import { compileExperimentPlan } from '../engine/compiler/compile-sweep.js';
import { expandSweep } from '../engine/spec/expand-sweep.js';
import { ResultsStore } from '../engine/results/results-store.js';
import { formatPoint } from '../engine/format-numbers.js';
import { offsetOf, useEmnServices } from './emn-test-services.js';
import { makeSpec } from './trainer-fixtures.js';

const BASE = 'operation Op { size 5 }\nnetwork Net { width 2 }\n';

function expectAt(result: ValidationResult<Spec>, severity: 'error' | 'warning', message: string | RegExp, needle: string, nth = 0): void {
    const options = { offset: offsetOf(result.document.textDocument.getText(), needle, nth), length: needle.length };
    if (severity === 'error') expectError(result, message, options);
    else expectWarning(result, message, options);
}

describe('named sweeps: validation', () => {
    const { validate } = useEmnServices();

    test('names and schedule parameters that fit are clean', async () => {
        expectNoIssues(
            await validate(
                BASE +
                    `experiment E { learn Op with Net
            schedule metaEpochs 2 masks 3 steps 4
            sweep order [fixed, shuffled, sparsity], masks [2, 4], maskSteps [1, 3]
            sweep activation [none, relu], pruning [rowwise, none] }
experiment F { learn Op with Net schedule metaEpochs 2 masks 3 steps 4 sweep metaEpochs [1, 2], momentum [0, 0.5], weights [per-edge, shared] }`,
            ),
        );
    });

    test('an unknown name says the allowed ones, and the nearest', async () => {
        const r = await validate(BASE + 'experiment E { learn Op with Net sweep activation [none, rleu] }');
        expectAt(r, 'error', 'activation cannot be rleu; did you mean relu? It is one of none, relu or tanh', 'rleu');
        expect(r.diagnostics).toHaveLength(1);
    });

    test('numbers for a named parameter, names for a numeric one: one message each', async () => {
        const r = await validate(
            BASE + 'experiment E { learn Op with Net sweep pruning [1, 2] }\nexperiment F { learn Op with Net sweep lr [relu] }',
        );
        expectAt(r, 'error', 'pruning is swept by name: rowwise or none, e.g. `sweep pruning [rowwise, none]`', '1');
        expectAt(r, 'error', /^lr is swept by number, e\.g\. `sweep lr \[0\.01, 0\.1\]`/, 'relu');
        expect(r.diagnostics).toHaveLength(2);
    });

    test('swept numbers keep their ranges: momentum in [0, 1), masks a positive integer', async () => {
        const r = await validate(
            BASE + 'experiment E { learn Op with Net schedule metaEpochs 1 masks 2 steps 3 sweep momentum [0.5, 1], masks [0] }',
        );
        expectAt(r, 'error', 'momentum (swept) must be in [0, 1); got 1', '1', 1);
        expectAt(r, 'error', 'masks (swept) must be a positive integer; got 0', '0', 1);
    });

    test('a sweep whose points would be identical says so', async () => {
        const r = await validate(
            BASE +
                `experiment J { learn Op with Net sweep order [fixed, shuffled] }
experiment A { learn Op with Net optimizer adam(lr 0.01) sweep momentum [0, 0.9] }
experiment T { learn Op with Net sweep activation [relu, tanh, relu] }`,
        );
        expectAt(r, 'warning', /^sweeping order without `schedule metaEpochs M masks K steps E` trains identical points/, 'order');
        expectAt(
            r,
            'warning',
            'sweeping momentum with adam trains identical points: momentum is an option of sgd (adam has beta1)',
            'momentum',
        );
        expectAt(r, 'warning', 'activation relu is listed twice: those points would be identical (remove one)', 'relu', 1);
        expect(r.diagnostics).toHaveLength(3);
    });
});

describe('named sweeps: expansion and plans', () => {
    test('each named value reaches the point it names; the plans differ', () => {
        const spec = makeSpec({
            experiment: {
                schedule: { kind: 'metaEpochs', metaEpochs: 1, masks: 2, stepsPerMask: 3, order: 'shuffled' },
                sweep: [
                    { parameter: 'order', values: ['fixed', 'sparsity'] },
                    { parameter: 'activation', values: ['none', 'tanh'] },
                    { parameter: 'maskSteps', values: [5] },
                    { parameter: 'momentum', values: [0.5] },
                ],
            },
        });
        const points = expandSweep(spec);
        expect(points.map(p => formatPoint(p.params))).toEqual([
            'order fixed, activation none, maskSteps 5, momentum 0.5',
            'order fixed, activation tanh, maskSteps 5, momentum 0.5',
            'order sparsity, activation none, maskSteps 5, momentum 0.5',
            'order sparsity, activation tanh, maskSteps 5, momentum 0.5',
        ]);
        const last = points[3].experiment;
        expect(last.schedule).toEqual({ kind: 'metaEpochs', metaEpochs: 1, masks: 2, stepsPerMask: 5, order: 'sparsity' });
        expect(last.network.activation).toBe('tanh');
        expect(last.optimizer).toMatchObject({ kind: 'sgd', momentum: 0.5 });
        const plan = compileExperimentPlan(spec);
        expect(new Set(plan.points.map(p => JSON.stringify(p.plan))).size).toBe(4);
    });
});

describe('results format version 2', () => {
    test('names in params are written as version 2 and read back; version-1 files still read', () => {
        const dir = mkdtempSync(join(tmpdir(), 'emn-v2-'));
        try {
            const specPath = join(dir, 'spec.emn');
            const store = new ResultsStore();
            const run = {
                params: { activation: 'relu' },
                metrics: { mse: 0.1, rmse: 0.3, maxAbsError: 0.5, relError: 0.2 },
                evaluations: [],
                steps: 10,
                stopped: 'steps' as const,
                wallMs: 1,
                stepsPerSecond: 10,
                lossCurve: [] as [number, number][],
            };
            const result = {
                experiment: 'E',
                operation: 'Op',
                network: 'Net',
                backend: 'cpu' as const,
                steps: 10,
                wallMs: 1,
                stepsPerSecond: 10,
                stopped: 'steps' as const,
                metrics: run.metrics,
                evaluations: [],
                runs: [run],
                planHash: 'h',
                startedAt: '2026-01-01T00:00:00.000Z',
                finishedAt: '2026-01-01T00:00:01.000Z',
            };
            const saved = store.save(specPath, result);
            expect(JSON.parse(readFileSync(saved.path, 'utf8')).version).toBe(2);
            expect(store.load(specPath, 'E').result!.runs![0].params).toEqual({ activation: 'relu' });
            const v1 = { ...result, experiment: 'Old', runs: [{ ...run, params: { lr: 0.1 } }] };
            mkdirSync(store.folder(specPath), { recursive: true });
            writeFileSync(
                store.resultPath(specPath, 'Old'),
                JSON.stringify({ format: 'emn-results', version: 1, specFile: 'spec.emn', result: v1 }),
            );
            const loaded = store.load(specPath, 'Old');
            expect(loaded.warning).toBeUndefined();
            expect(loaded.result!.runs![0].params).toEqual({ lr: 0.1 });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
