// Submits a sweep (all its points, or some) as a Slurm job array: writes the batch script into the results store, runs sbatch, records the job.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ResultsStore } from '../results/results-store.js';
import { writeAtomically } from '../results/results-store.js';
import { batchScript } from './batch-script.js';
import { sbatch } from './slurm-commands.js';
import { recordJob, slurmFolder, type SubmittedJob } from './sweep-jobs.js';

export interface SubmitInput {
    store: ResultsStore;
    specPath: string;
    experiment: string;
    planHash: string;
    points: number;
    indices: number[];
    maxParallel?: number;
    sbatchArgs?: string[];
    /** How the node starts `emn` (absolute node binary and CLI path), and options of its `emn train`. */
    emnCommand: string[];
    trainOptions: string[];
    environment?: Record<string, string>;
}

export async function submitSweep(input: SubmitInput): Promise<SubmittedJob> {
    const escape = input.store.escape(input.specPath);
    if (escape) throw new Error(`refusing to write results: ${escape}`);
    const folder = slurmFolder(input.store, input.specPath, input.experiment);
    const logs = join(folder, 'logs');
    mkdirSync(logs, { recursive: true });
    const script = join(folder, 'job.sh');
    const specPath = resolve(input.specPath);
    writeAtomically(script, batchScript({
        specPath, experiment: input.experiment, indices: input.indices, points: input.points, maxParallel: input.maxParallel,
        emnCommand: input.emnCommand, trainOptions: input.trainOptions, environment: input.environment,
        logFolder: logs, workDir: dirname(specPath),
    }));
    const jobId = await sbatch(script, input.sbatchArgs ?? [], dirname(specPath));
    const job: SubmittedJob = { jobId, indices: input.indices, planHash: input.planHash, submittedAt: new Date().toISOString(), script };
    recordJob(input.store, input.specPath, input.experiment, job);
    return job;
}
