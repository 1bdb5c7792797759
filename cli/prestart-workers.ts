// `emn train`: starts the training worker threads before the spec is parsed, so that they load while it is compiled.
import { readFileSync } from 'node:fs';
import { TrainingWorkerClient } from '../language-server/training/worker-client.js';

/**
 * Starts the workers `emn train FILE --workers N` will likely use: N when the spec text mentions a sweep or seeds
 * (several points), else 1. Only a guess made before parsing: the compiled plan decides how many train, the pool starts
 * any missing worker itself and ends the spare ones.
 */
export function prestartTrainingWorkers(file: string, workers: number): void {
    let text = '';
    try {
        text = readFileSync(file, 'utf8');
    } catch {
        return; // the train command reports the unreadable file
    }
    const severalPoints = /^\s*(sweep|seeds)\b/m.test(text);
    TrainingWorkerClient.prestart(severalPoints ? workers : 1);
}
