// The sweep preview's calibration (TrainingPlans.calibration): computed once per document and results, again when a result or a plan
// changes.
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { clearDocuments, parseHelper } from 'langium/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isExperiment, type Spec } from '../language-server/generated/ast.js';
import { createEmnServices } from '../language-server/emn-module.js';
import { storeFor } from '../language-server/lsp/training/node-training-engine.js';
import type { ExperimentResult } from '../engine/results/result-types.js';

const SPEC = (steps: number) => `operation Op { matvec size 4 }
network Net { width 2 }
experiment Done { learn Op with Net steps ${steps} }
experiment Grid { learn Op with Net steps 100 sweep size [4, 6] }
`;

describe('sweep preview calibration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emn-calibration-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const specPath = join(dir, 'spec.emn');
    const services = createEmnServices(EmptyFileSystem).Emn;
    const plans = services.training.Plans;
    const open = (text: string) => parseHelper<Spec>(services)(text, { documentUri: URI.file(specPath).toString(), validation: true });

    /** Saves a finished result of Done as its current plan says, trained at `stepsPerSecond`. */
    function saveDone(document: LangiumDocument<Spec>, stepsPerSecond: number): void {
        const done = document.parseResult.value.declarations.filter(isExperiment).find(e => e.name === 'Done')!;
        const plan = plans.currentPlan(done);
        if ('error' in plan) throw new Error(plan.error);
        const result = {
            experiment: 'Done',
            operation: 'Op',
            network: 'Net',
            backend: 'cpu',
            planHash: plan.plan.hash,
            stopped: 'steps',
            steps: 100,
            stepsPerSecond,
            wallMs: 1,
            startedAt: '2026-01-01T00:00:00Z',
            finishedAt: '2026-01-01T00:00:01Z',
            metrics: { mse: 0.1, rmse: 0.3, maxAbsError: 1, relError: 0.5 },
            evaluations: [],
            lossCurve: [],
        } as unknown as ExperimentResult;
        storeFor(specPath, '.emn-results').save(specPath, result);
    }

    it('is the same object while nothing changes; a new result file or an edit of the plan calibrates again', async () => {
        let document = await open(SPEC(100));
        const nominal = await plans.calibration(document);
        expect(nominal.runs).toBe(0);
        expect(await plans.calibration(document)).toBe(nominal);

        saveDone(document, 500);
        const measured = await plans.calibration(document);
        expect(measured.runs).toBe(1);
        expect(await plans.calibration(document)).toBe(measured);

        // a faster rerun: a new file on disk (another size, so another stamp), a new rate
        saveDone(document, 250_000);
        const faster = await plans.calibration(document);
        expect(faster.runs).toBe(1);
        expect(faster.flopsPerSecond).toBeCloseTo(measured.flopsPerSecond! * 500, 0);

        // the spec edited: Done's stored result is of another plan now (stale), so nothing calibrates
        await clearDocuments(services);
        document = await open(SPEC(200));
        const edited = await plans.calibration(document);
        expect(edited).not.toBe(faster);
        expect(edited.runs).toBe(0);
    });
});
