// Results store: round trip with base64 weights, failures kept apart, corrupt and foreign files, safe paths, atomic writes.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../engine/results/result-types.js';
import { loadPoints } from '../engine/results/point-files.js';
import { isStale, ResultsStore, sanitizeName, writeAtomically } from '../engine/results/results-store.js';
import { findRun, listRuns } from '../engine/results/run-history.js';

let dir: string;
let specPath: string;
beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emn-store-'));
    specPath = join(dir, 'paper.emn');
    writeFileSync(specPath, '// spec\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
        metrics: { mse: 1e-8, rmse: 1e-4, maxAbsError: 3e-4, relError: 1e-4, pathWeightError: 2e-5 },
        evaluations: [{ on: 'Op', samples: 10, mse: 1e-8, maxAbsError: 3e-4, relError: 1e-4 }],
        lossCurve: [
            [1, 2],
            [100, 1e-8],
        ],
        weights: [{ name: 'mask1.W', shape: [2, 1, 2], values: [0.5, -1.25, 3.0000001192092896, 1e-20] }],
        pathWeights: { name: 'E', shape: [2, 2], values: [1, 1, 0.99, 1.01] },
        planHash: 'abc',
        startedAt: '2024-01-01T00:00:00.000Z',
        finishedAt: '2024-01-01T00:00:01.000Z',
        ...over,
    };
}

describe('ResultsStore', () => {
    it('saves beside the spec and loads the same result (weights as float32)', () => {
        const store = new ResultsStore();
        const saved = store.save(specPath, result());
        expect(saved).toEqual({ kind: 'result', path: join(dir, '.emn-results', 'paper.emn', 'Paper.json') });
        const text = readFileSync(saved.path, 'utf8');
        expect(text).toContain('"base64"');
        const loaded = store.load(specPath, 'Paper');
        expect(loaded.warning).toBeUndefined();
        const expected = result();
        expected.weights![0].values = Array.from(Float32Array.from(expected.weights![0].values));
        expected.pathWeights!.values = Array.from(Float32Array.from(expected.pathWeights!.values));
        expect(loaded.result).toEqual(expected);
    });

    it('keeps sweep runs and their weights', () => {
        const store = new ResultsStore();
        const run = {
            params: { size: 5 },
            metrics: result().metrics,
            evaluations: [],
            steps: 5,
            stopped: 'steps' as const,
            wallMs: 1,
            stepsPerSecond: 5,
            lossCurve: [],
            weights: [{ name: 'w', shape: [1], values: [0.25] }],
        };
        store.save(specPath, result({ runs: [run] }));
        expect(store.load(specPath, 'Paper').result!.runs![0].weights![0].values).toEqual([0.25]);
    });

    it('never overwrites a good result with a failed run', () => {
        const store = new ResultsStore();
        store.save(specPath, result());
        const failed = store.save(
            specPath,
            result({
                stopped: 'diverged',
                divergedAt: { step: 3, loss: Infinity },
                metrics: { mse: NaN, rmse: NaN, maxAbsError: NaN, relError: NaN },
            }),
        );
        expect(failed.kind).toBe('failure');
        expect(failed.path.endsWith('Paper.last-failure.json')).toBe(true);
        expect(store.load(specPath, 'Paper').result!.stopped).toBe('steps');
        const f = store.loadFailure(specPath, 'Paper').result!;
        expect(f.stopped).toBe('diverged');
        expect(Number.isNaN(f.metrics.mse)).toBe(true);
        expect(store.save(specPath, result({ stopped: 'cancelled' })).kind).toBe('failure');
        expect(store.load(specPath, 'Paper').result!.stopped).toBe('steps');
    });

    it('turns corrupt, truncated, foreign and newer files into warnings', () => {
        const store = new ResultsStore();
        const path = store.resultPath(specPath, 'Paper');
        mkdirSync(join(path, '..'), { recursive: true });
        const cases: [string, RegExp][] = [
            ['{"format": "emn-res', /is truncated: its JSON stops unfinished after 19 bytes/],
            ['[1, 2, 3]', /not an EMN results file/],
            ['{"format": "something-else"}', /not an EMN results file/],
            ['{"format": "emn-results", "version": 99, "result": {}}', /newer/],
            ['{"format": "emn-results", "version": 1, "result": {"experiment": "Paper"}}', /malformed/],
            [
                '{"format": "emn-results", "version": 1, "result": {"experiment": "P", "planHash": "h", "stopped": "steps", "backend": "cpu", "metrics": {}, "weights": [{"name": "w", "shape": [3], "dtype": "float32", "base64": "AAAA"}]}}',
                /malformed/,
            ],
        ];
        for (const [text, warning] of cases) {
            writeFileSync(path, text);
            const loaded = store.load(specPath, 'Paper');
            expect(loaded.result).toBeUndefined();
            expect(loaded.warning).toMatch(warning);
        }
        expect(store.load(specPath, 'Missing')).toEqual({ path: store.resultPath(specPath, 'Missing') });
    });

    it('reads history runs and sweep point files with the same checks and words as result files', () => {
        const store = new ResultsStore();
        const folder = store.folder(specPath);
        const runPath = join(folder, 'Paper.history', 'run-0001.json');
        const pointPath = join(folder, 'Paper.points', '0.json');
        mkdirSync(join(runPath, '..'), { recursive: true });
        mkdirSync(join(pointPath, '..'), { recursive: true });
        const cases: [string, string, RegExp][] = [
            ['{"format": "emn-', '{"format": "emn-', /^\S+ is truncated: its JSON stops unfinished after 16 bytes; it is ignored$/],
            ['[1]', '[1]', /is not an EMN (run|point) file; it is ignored$/],
            [
                '{"format": "emn-run", "version": 7}',
                '{"format": "emn-point", "version": 7}',
                /has (run|point) format version 7, newer than this version reads \(2\)$/,
            ],
            [
                '{"format": "emn-run", "version": 1, "result": {}}',
                '{"format": "emn-point", "version": 1, "point": {"index": 0}}',
                /holds a malformed (run|point) \(.+\); it is ignored$/,
            ],
        ];
        for (const [run, point, warning] of cases) {
            writeFileSync(runPath, run);
            writeFileSync(pointPath, point);
            const history = listRuns(store, specPath, 'Paper');
            expect(history).toHaveLength(1);
            expect(history[0].record).toBeUndefined();
            expect(history[0].warning).toMatch(warning);
            expect(findRun(store, specPath, 'Paper', '1')).toBe(history[0].warning);
            const points = loadPoints(store, specPath, 'Paper');
            expect(points.get(0)?.record).toBeUndefined();
            expect(points.get(0)?.warning).toMatch(warning);
        }
        // gone (a pruned run, a point not written yet): nothing to warn about
        rmSync(runPath);
        rmSync(pointPath);
        expect(listRuns(store, specPath, 'Paper')).toEqual([]);
        expect(loadPoints(store, specPath, 'Paper').size).toBe(0);
    });

    it('keeps result paths inside the results folder whatever the names', () => {
        const store = new ResultsStore();
        for (const name of ['../../etc/passwd', '..', '.', '', 'a/b\\c', '/abs', 'ok-name_1']) {
            const p = store.resultPath(specPath, name);
            const rel = relative(join(dir, '.emn-results', 'paper.emn'), p);
            expect(rel.startsWith('..')).toBe(false);
            expect(rel.includes('/')).toBe(false);
        }
        expect(sanitizeName('..')).toBe('_.');
        expect(sanitizeName('Paper')).toBe('Paper');
        store.save(specPath, result({ experiment: '../escape' }));
        expect(readdirSync(dir).sort()).toEqual(['.emn-results', 'paper.emn']);
    });

    it('writes into --out folders', () => {
        const out = join(dir, 'out');
        const saved = new ResultsStore(out).save(specPath, result());
        expect(saved.path).toBe(join(out, 'Paper.json'));
    });

    it('writes atomically: a failed write leaves the old file and no temporary files', () => {
        const store = new ResultsStore();
        const saved = store.save(specPath, result());
        const before = readFileSync(saved.path, 'utf8');
        // the rename cannot replace a directory: the write fails after the temp file was written
        const blocked = join(dir, 'blocked.json');
        mkdirSync(blocked);
        expect(() => writeAtomically(blocked, 'x')).toThrow();
        expect(readdirSync(dir).filter(f => f.endsWith('.tmp'))).toEqual([]);
        store.save(specPath, result({ steps: 200 }));
        expect(readFileSync(saved.path, 'utf8')).not.toBe(before);
        expect(readdirSync(join(saved.path, '..')).filter(f => f.endsWith('.tmp'))).toEqual([]);
        expect(existsSync(saved.path)).toBe(true);
    });

    it('marks results of another plan (or of a spec with no plan now) stale', () => {
        expect(isStale(result(), undefined)).toBe(true);
        expect(isStale(result(), 'abc')).toBe(false);
        expect(isStale(result(), 'other')).toBe(true);
    });
});
