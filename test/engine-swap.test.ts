// The language server reaches the engine only through its TrainingEngine service: with that service swapped for one
// that trains in this thread and keeps results in memory, a train command runs end to end and nothing touches the disk.
import { EmptyFileSystem } from 'langium';
import { clearDocuments, parseHelper } from 'langium/test';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { compileExperimentPlan, type KeepOptions, type KeptRun, type ResultsRepository, runPoints } from '../engine/index.js';
import { assembleResult } from '../engine/results/assemble-result.js';
import { ResultsStore } from '../engine/results/results-store.js';
import type { ExperimentResult } from '../engine/view.js';
import { createEmnServices } from '../language-server/emn-module.js';
import { isExperiment, type Spec } from '../language-server/generated/ast.js';
import type { TrainingEngine } from '../language-server/lsp/training/training-engine.js';

/** Results of one spec kept in a Map: what a test engine gives the server instead of the results store. */
function memoryResults(specPath: string, kept: (result: ExperimentResult) => void): ResultsRepository {
    const latest = new Map<string, ExperimentResult>();
    const unreachable = () => {
        throw new Error('this test keeps no history');
    };
    return {
        specPath,
        // a store object is part of the interface (the Slurm code's); a test engine never lets anything use it
        store: new ResultsStore('/nonexistent/emn-engine-swap'),
        folder: () => 'memory',
        load: experiment => ({ result: latest.get(experiment), path: `memory:${experiment}` }),
        loadFailure: experiment => ({ path: `memory:${experiment}.last-failure` }),
        keep(result: ExperimentResult, _options: KeepOptions): KeptRun {
            latest.set(result.experiment, result);
            kept(result);
            return { outcome: 'completed', removedFailure: false, report: ['kept in memory'] };
        },
        history: () => [],
        findRun: unreachable,
        compared: unreachable,
        standingFailure: () => undefined,
        stamp: experiment => (latest.has(experiment) ? 'kept' : '-'),
    };
}

describe('a swapped TrainingEngine', () => {
    const specPath = '/virtual/emn-engine-swap/spec.emn';
    let finished: (result: ExperimentResult) => void = () => undefined;
    const keptResult = new Promise<ExperimentResult>(resolve => {
        finished = resolve;
    });
    const repository = memoryResults(specPath, result => finished(result));
    const engine: TrainingEngine = {
        compile: compileExperimentPlan,
        start(plan, { onProgress }) {
            // trains in this thread with the engine's own point runner: no worker file, no results file
            const startedAt = new Date();
            const result = runPoints(
                plan,
                plan.points.map((_, k) => k),
                { backend: 'cpu', onProgress },
            ).then(run =>
                assembleResult(
                    plan,
                    run.points.map(p => p.result),
                    { backend: run.backend, fallbacks: run.fallbacks, startedAt, wallMs: 0 },
                ),
            );
            return { result, cancel: () => undefined };
        },
        results: () => repository,
    };
    const { shared, Emn: services } = createEmnServices(EmptyFileSystem, { training: { TrainingEngine: () => engine } });
    afterEach(() => clearDocuments(services));

    it('trains an experiment and keeps its result through the service only', async () => {
        // no client initialises this workspace: an empty one, so the service's document look-ups are answered
        await shared.workspace.WorkspaceManager.initializeWorkspace([]);
        const text =
            'operation Op { matvec size 3 }\nnetwork Net { width 2 }\nexperiment Quick { learn Op with Net steps 20 batch 8 evaluate 16 samples }\n';
        const document = await parseHelper<Spec>(services)(text, { documentUri: `file://${specPath}`, validation: true });
        expect(document.diagnostics?.filter(d => d.severity === 1)).toEqual([]);
        const reply = await services.training.TrainingService.train(document.uri.toString(), 'Quick');
        expect(reply).toEqual({ experiments: ['Quick'] });
        const deadline = new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('no result was kept within 60 s')), 60_000).unref(),
        );
        const idle = services.training.Runs.whenIdle().then(async () => {
            throw new Error(
                `the run ended without a kept result: ${JSON.stringify(await services.training.Outcomes.failure(document.uri.toString(), 'Quick'))}`,
            );
        });
        const result = await Promise.race([keptResult, idle, deadline]);
        expect(result.experiment).toBe('Quick');
        expect(result.steps).toBe(20);
        const node = document.parseResult.value.declarations.filter(isExperiment)[0];
        const stored = await services.training.TrainingService.storedResults(document, node);
        expect(stored.result?.finishedAt).toBe(result.finishedAt);
        expect(stored.stale).toBe(false);
        expect(existsSync('/virtual')).toBe(false);
    });
});
