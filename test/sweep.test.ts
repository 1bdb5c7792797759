// Sweeps: one PointResult per grid point, top-level metrics = the worst point, and a worker pool gives the same numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../engine/results/result-types.js';
import { selectBackend } from '../engine/training/backend.js';
import { runExperiment } from '../engine/training/run-experiment.js';
import { TrainingWorkerClient } from '../engine/training/worker-client.js';
import { freshBundle } from './fresh-dist.js';
import { makePlan } from './trainer-fixtures.js';
import { withDeadline } from './wait-until.js';

const plan = makePlan({
    experiment: {
        steps: 150,
        sweep: [
            { parameter: 'size', values: [3, 4] },
            { parameter: 'sparsity', values: [0.3, 0.6] },
        ],
    },
});
let sequential: ExperimentResult;
let client: TrainingWorkerClient;

beforeAll(async () => {
    await selectBackend('cpu');
    sequential = await runExperiment(plan, { backend: 'cpu' });
    client = new TrainingWorkerClient({ workerPath: await freshBundle('training-worker.cjs') });
});
afterAll(() => client?.dispose());

const strip = (r: ExperimentResult) =>
    r.runs!.map(({ wallMs: _w, stepsPerSecond: _s, ...p }) => {
        void _w;
        void _s;
        return p;
    });

describe('sweeps', () => {
    it('has one run per point, in grid order (first axis outermost)', () => {
        expect(sequential.runs!.map(r => r.params)).toEqual([
            { size: 3, sparsity: 0.3 },
            { size: 3, sparsity: 0.6 },
            { size: 4, sparsity: 0.3 },
            { size: 4, sparsity: 0.6 },
        ]);
        expect(sequential.runs!.every(r => r.steps === 150 && r.weights && r.lossCurve.length > 0)).toBe(true);
        expect(sequential.steps).toBe(600);
        expect(sequential.planHash).toBe(plan.hash);
    });

    it('reports the worst point at the top level', () => {
        const worst = Math.max(...sequential.runs!.map(r => r.metrics.mse));
        expect(sequential.metrics.mse).toBe(worst);
        expect(sequential.runs![sequential.worstRun!].metrics).toEqual(sequential.metrics);
        expect(sequential.evaluations).toEqual(sequential.runs![sequential.worstRun!].evaluations);
        expect(sequential.stopped).toBe('steps');
    });

    it('gives the same numbers on a pool of two workers as sequentially', async () => {
        const progressPoints = new Set<number>();
        const outcome = await client.run(plan, { backend: 'cpu', workers: 2, onProgress: p => progressPoints.add(p.point) });
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        expect(strip(outcome.result)).toEqual(strip(sequential));
        expect(outcome.result.metrics).toEqual(sequential.metrics);
        expect(outcome.result.planHash).toBe(sequential.planHash);
        expect(progressPoints.size).toBeGreaterThan(0);
    });

    it("gives the same numbers when the calling thread trains points too (hostTrains: emn train's main thread)", async () => {
        const progressPoints = new Set<number>();
        const both = await client.run(plan, { backend: 'cpu', workers: 2, hostTrains: true, onProgress: p => progressPoints.add(p.point) });
        expect(both.ok).toBe(true);
        if (!both.ok) return;
        expect(strip(both.result)).toEqual(strip(sequential));
        expect(progressPoints.size).toBeGreaterThan(0);
        // one thread, the caller's: no worker is started, so none has to exist
        const alone = await new TrainingWorkerClient({ workerPath: '/nonexistent/training-worker.cjs' }).run(plan, {
            backend: 'cpu',
            workers: 1,
            hostTrains: true,
        });
        expect(alone.ok).toBe(true);
        if (!alone.ok) return;
        expect(strip(alone.result)).toEqual(strip(sequential));
    });

    it('cancels points the calling thread trains, within a few steps', async () => {
        const long = makePlan({ experiment: { steps: 200_000, sweep: [{ parameter: 'size', values: [5, 6] }] } });
        const controller = new AbortController();
        const c = new TrainingWorkerClient({ workerPath: '/nonexistent/training-worker.cjs' });
        const running = c.run(long, {
            backend: 'cpu',
            workers: 1,
            hostTrains: true,
            signal: controller.signal,
            onProgress: p => {
                if (p.step >= 100) controller.abort();
            },
        });
        const outcome = await withDeadline(running, 60_000, 'the sweep cancelled at step 100 to end');
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        expect(outcome.result.stopped).toBe('cancelled');
        expect(outcome.result.steps).toBeLessThan(200_000);
    });

    it('a diverging point makes the sweep diverged (and the worst)', async () => {
        const bad = makePlan({ experiment: { steps: 200, sweep: [{ parameter: 'lr', values: [0.05, 80] }] } });
        const r = await runExperiment(bad, { backend: 'cpu' });
        expect(r.runs!.map(p => p.stopped)).toEqual(['steps', 'diverged']);
        expect(r.stopped).toBe('diverged');
        expect(r.worstRun).toBe(1);
        expect(r.divergedAt).toEqual(r.runs![1].divergedAt);
    });
});
