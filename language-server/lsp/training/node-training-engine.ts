// The TrainingEngine of the language server process: the engine's compiler, worker pool and results repositories.
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
    compileExperimentPlan,
    kernelPreference,
    openResults,
    ResultsStore,
    type ResultsRepository,
    sanitizeName,
    TrainingWorkerClient,
    type WorkerClientOptions,
} from '../../../engine/index.js';
import type { LoadedResult } from '../../../engine/index.js';
import type { TrainingEngine } from './training-engine.js';

/** The store for a spec and a results folder setting (relative to the spec's folder, already validated). */
export function storeFor(specPath: string, resultsFolder: string): ResultsStore {
    // confined to the spec's folder: a symbolic link in the workspace must not send results elsewhere
    return new ResultsStore(join(dirname(specPath), resultsFolder, sanitizeName(basename(specPath))), { confineTo: dirname(specPath) });
}

/**
 * Training runs in worker threads (never on the server's main thread). `workerPath` replaces the worker script
 * (default: training-worker.cjs beside the bundle) and `resourceLimits` bounds each worker's heap: tests give a crashing
 * or memory-hungry one through a module override.
 */
export function createNodeTrainingEngine(options: WorkerClientOptions = {}): TrainingEngine {
    // one client for the server: its workers stay warm between runs (loading tfjs takes a while); the service runs one at a time
    const client = new TrainingWorkerClient(options);
    // a sweep's points train in parallel workers, leaving one core for the editor's requests
    const workers = Math.max(1, Math.min(4, availableParallelism() - 1));
    const kernels = kernelPreference();
    // CodeLens, hints and hovers load results on every request: decode a file again only when it changed on disk
    const decoded = new Map<string, { stamp: string; loaded: LoadedResult }>();
    return {
        compile: compileExperimentPlan,
        start(plan, { backend, onProgress, memoryLimitMB }) {
            // a run splits by rows only on the cores the sweep may take (never the editor's)
            const result = client.train(plan, { backend, onProgress, workers, kernels, cores: workers, memoryLimitMB });
            return { result, cancel: () => client.cancel() };
        },
        results(specPath, resultsFolder): ResultsRepository {
            const repository = openResults(storeFor(specPath, resultsFolder), specPath);
            return {
                ...repository,
                load(experiment) {
                    const key = repository.store.resultPath(specPath, experiment);
                    const stamp = repository.stamp(experiment).split('|')[0];
                    if (stamp === '-') {
                        decoded.delete(key);
                        return { path: key };
                    }
                    const hit = decoded.get(key);
                    if (hit && hit.stamp === stamp) return hit.loaded;
                    // first read of this store by this server (a restart after a crash): clear a dead writer's leftovers
                    if (!hit) repository.store.removeAbandonedTemps(specPath);
                    const loaded = repository.load(experiment);
                    decoded.set(key, { stamp, loaded });
                    return loaded;
                },
            };
        },
    };
}
