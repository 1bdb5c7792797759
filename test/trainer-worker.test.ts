// The training worker (dist/training-worker.cjs): streams progress, returns results, cancels, survives crashes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingProgress } from '../engine/results/result-types.js';
import { TrainingWorkerClient } from '../engine/training/worker-client.js';
import { freshBundle } from './fresh-dist.js';
import { makePlan } from './trainer-fixtures.js';
import { withDeadline } from './wait-until.js';

let workerPath: string;
const clients: TrainingWorkerClient[] = [];
const client = () => {
    const c = new TrainingWorkerClient({ workerPath });
    clients.push(c);
    return c;
};

beforeAll(async () => {
    workerPath = await freshBundle('training-worker.cjs');
});
afterAll(async () => {
    await Promise.all(clients.map(c => c.dispose()));
});

describe('TrainingWorkerClient', () => {
    it('streams progress (at most ~10/s) and returns the result', async () => {
        const progress: TrainingProgress[] = [];
        const times: number[] = [];
        const c = client();
        const outcome = await c.run(makePlan({ experiment: { steps: 1500 } }), {
            backend: 'cpu',
            onProgress: p => {
                progress.push(p);
                times.push(performance.now());
            },
        });
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        expect(outcome.result.backend).toBe('cpu');
        expect(outcome.result.stopped).toBe('steps');
        expect(outcome.result.steps).toBe(1500);
        expect(outcome.result.metrics.mse).toBeLessThan(1e-4);
        expect(outcome.result.weights?.length).toBe(3);
        expect(progress.length).toBeGreaterThan(0);
        expect(progress.every(p => p.experiment === 'Exp' && p.steps === 1500 && p.points === 1)).toBe(true);
        // the client forwards at most one message per 100 ms
        for (let k = 1; k < times.length; k++) expect(times[k] - times[k - 1]).toBeGreaterThanOrEqual(95);
        expect(c.busy).toBe(false);
    });

    it('gives the same numbers as another run with the same seed', async () => {
        const plan = makePlan({ experiment: { steps: 50 } });
        const [a, b] = [await client().run(plan, { backend: 'cpu' }), await client().run(plan, { backend: 'cpu' })];
        expect(a.ok && b.ok).toBe(true);
        if (a.ok && b.ok) expect(b.result.weights).toEqual(a.result.weights);
    });

    it('cancels a long run promptly and reports it as cancelled', async () => {
        const c = client();
        const controller = new AbortController();
        let seen = 0;
        const outcome = await withDeadline(
            c.run(makePlan({ experiment: { steps: 10_000_000 } }), {
                backend: 'cpu',
                signal: controller.signal,
                onProgress: p => {
                    seen = p.step;
                    if (p.step > 50) controller.abort();
                },
            }),
            60_000,
            'the run cancelled after step 50 to end',
        );
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        expect(outcome.result.stopped).toBe('cancelled');
        expect(outcome.result.steps).toBeGreaterThanOrEqual(seen);
        expect(outcome.result.steps).toBeLessThan(10_000_000);
    });

    it('refuses a second run while one is in progress', async () => {
        const c = client();
        const first = c.run(makePlan({ experiment: { steps: 10_000_000 } }), { backend: 'cpu' });
        const second = await c.run(makePlan(), { backend: 'cpu' });
        expect(second).toEqual({ ok: false, error: expect.stringMatching(/already in progress/), reason: 'busy' });
        c.cancel();
        const r = await withDeadline(first, 60_000, 'the first run to end after cancel()');
        expect(r.ok && r.result.stopped).toBe('cancelled');
    });

    it('reports an unavailable forced backend as an error outcome', async () => {
        const outcome = await client().run(makePlan(), { backend: 'tensorflow' });
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) {
            expect(outcome.error).toMatch(/backend tensorflow is not available: @tensorflow\/tfjs-node/);
            expect(outcome.reason).toBe('backend-unavailable');
        }
    });

    it('turns a worker crash into an error outcome, not a throw', async () => {
        const crashing = join(workerPath, '..', 'crashing-worker.cjs');
        writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => { process.exit(3); });\n");
        const c = new TrainingWorkerClient({ workerPath: crashing });
        clients.push(c);
        const outcome = await c.run(makePlan(), { backend: 'cpu' });
        expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/exited with code 3/), reason: 'worker-failed' });
        const missing = await new TrainingWorkerClient({ workerPath: join(workerPath, '..', 'nope.cjs') }).run(makePlan());
        expect(missing).toEqual({ ok: false, error: expect.stringMatching(/not found/), reason: 'worker-failed' });
    });
});
