// The TrainingEngine of the language server process: compiler, training worker and results store of the engine modules.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { compileExperimentPlan, ResultsStore, sanitizeName, saveRun, TrainingWorkerClient } from '../../../engine/index.js';
import type { StoredResult, TrainingEngine } from './engine.js';

/** The store for a spec and a results folder setting (relative to the spec's folder, already validated). */
export function storeFor(specPath: string, resultsFolder: string): ResultsStore {
    // confined to the spec's folder: a symbolic link in the workspace must not send results elsewhere
    return new ResultsStore(join(dirname(specPath), resultsFolder, sanitizeName(basename(specPath))), { confineTo: dirname(specPath) });
}

/**
 * Training runs in worker threads (never on the server's main thread). `workerPath` replaces the worker script
 * (default: training-worker.cjs beside the bundle): tests give a crashing one through a module override.
 */
export function createNodeTrainingEngine({ workerPath }: { workerPath?: string } = {}): TrainingEngine {
    // one client for the server: its workers stay warm between runs (loading tfjs takes a while); the service runs one at a time
    const client = new TrainingWorkerClient({ workerPath });
    // a sweep's points train in parallel workers, leaving one core for the editor's requests
    const workers = Math.max(1, Math.min(4, availableParallelism() - 1));
    // CodeLens, hints and hovers load results on every request: decode a file again only when it changed on disk
    const cache = new Map<string, { stamp: string; stored: StoredResult }>();
    return {
        compile: compileExperimentPlan,
        start(plan, { backend, onProgress }) {
            const result = client.train(plan, { backend, onProgress, workers });
            return { result, cancel: () => client.cancel() };
        },
        load(specPath, resultsFolder, experiment) {
            const store = storeFor(specPath, resultsFolder);
            const path = store.resultPath(specPath, experiment);
            let stamp: string;
            try {
                const s = statSync(path);
                stamp = `${s.mtimeMs}:${s.size}`;
            } catch {
                cache.delete(path);
                return {};
            }
            const hit = cache.get(path);
            if (hit && hit.stamp === stamp) return hit.stored;
            const loaded = store.load(specPath, experiment);
            const stored = { result: loaded.result, warning: loaded.warning };
            cache.set(path, { stamp, stored });
            return stored;
        },
        save(specPath, resultsFolder, result, advice) {
            // a throwing save becomes a rejection, as the interface says
            return new Promise(resolve => resolve(saveRun(storeFor(specPath, resultsFolder), specPath, result, advice)));
        },
    };
}
