// `emn train`: starts the training worker threads before the spec is parsed, so that they load while it is compiled.
import { readFileSync } from 'node:fs';
import { TrainingWorkerClient } from '../engine/index.js';

/**
 * Starts the worker threads `emn train FILE --workers N` will likely use: N - 1 (the main thread trains too) when the
 * spec text mentions a sweep or seeds (several points), else none. Only a guess made before parsing: the compiled
 * plan decides how many train, the pool starts any missing worker itself and ends the spare ones.
 */
export function prestartTrainingWorkers(file: string, workers: number): void {
    let text = '';
    try {
        text = readFileSync(file, 'utf8');
    } catch {
        return; // the train command reports the unreadable file
    }
    const severalPoints = /^\s*(sweep|seeds)\b/m.test(text);
    if (severalPoints) TrainingWorkerClient.prestart(workers - 1);
}
