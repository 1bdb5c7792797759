// The Slurm batch script of a sweep: one job array whose task K runs `emn train SPEC --experiment E --point-from-env` for point K.
import { join } from 'node:path';
import { formatPointRanges } from '../format-numbers.js';
import { sanitizeName } from '../results/results-store.js';

/*
 * Nothing from a spec or a path reaches the shell unquoted: every word of the node's command is single-quoted
 * (a ' inside becomes '\''), and the #SBATCH paths (read by sbatch, not by a shell) are double-quoted, with % doubled
 * (Slurm's file name patterns) and refused where they hold a double quote or a line break.
 */

export interface BatchScriptInput {
    /** Absolute path of the spec file the node trains. */
    specPath: string;
    experiment: string;
    /** Point indices of this submission (all of them, or the missing ones). */
    indices: number[];
    /** Number of points of the sweep (for the header comment). */
    points: number;
    maxParallel?: number;
    /** The program and arguments that start `emn` on the node: the running node binary and the CLI's bin path. */
    emnCommand: string[];
    /** Extra options of the `emn train` command (e.g. --backend cpu, --out DIR). */
    trainOptions: string[];
    /** Environment for the node's command (e.g. ELECTRON_RUN_AS_NODE=1 when the server runs on the editor's runtime). */
    environment?: Record<string, string>;
    /** Folder of the per-task output files. */
    logFolder: string;
    /** The experiment's Slurm folder (script, logs, jobs). */
    workDir: string;
}

/** A word for a POSIX shell: single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A path for an #SBATCH line (sbatch splits those lines itself, honouring double quotes); `pattern` is appended
 * as it is (Slurm's %A, %a), while a % of the path itself is doubled so that Slurm keeps it.
 */
function sbatchPath(path: string, pattern = ''): string {
    if (/["\n\r]/.test(path)) throw new Error(`the path ${JSON.stringify(path)} holds a double quote or a line break, which an #SBATCH line cannot carry; move the spec`);
    return `"${path.replace(/%/g, '%%')}${pattern}"`;
}

/** Slurm's --array value: the indices, throttled to M running at once with %M. */
export function arraySpec(indices: number[], maxParallel?: number): string {
    return formatPointRanges(indices) + (maxParallel ? `%${maxParallel}` : '');
}

/** Output file name pattern of a task, in the log folder: <job>_<task>.out (%A the array's job id, %a the task's index). */
const TASK_LOG_PATTERN = '/%A_%a.out';

export function taskLogPath(logFolder: string, jobId: string, index: number): string {
    return join(logFolder, `${jobId}_${index}.out`);
}

export function batchScript(input: BatchScriptInput): string {
    if (input.indices.length === 0) throw new Error('no points to submit');
    const command = [...input.emnCommand, 'train', input.specPath, '--experiment', input.experiment, '--point-from-env', ...input.trainOptions];
    const env = Object.entries(input.environment ?? {}).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    // a job name is a word for squeue, not a path: keep it to safe characters
    const jobName = `emn-${sanitizeName(input.experiment)}`.slice(0, 60);
    return [
        '#!/bin/bash',
        `# EMN sweep: experiment ${sanitizeName(input.experiment)}, ${input.indices.length} of ${input.points} points as one Slurm job array.`,
        '# Written by `emn sweep slurm`; array task K trains sweep point K and writes its point file beside the',
        '# experiment\'s result. `emn sweep collect` merges the point files, `emn sweep status` shows progress.',
        `#SBATCH --job-name=${jobName}`,
        `#SBATCH --array=${arraySpec(input.indices, input.maxParallel)}`,
        '#SBATCH --cpus-per-task=1',
        '#SBATCH --ntasks=1',
        `#SBATCH --output=${sbatchPath(input.logFolder, TASK_LOG_PATTERN)}`,
        `#SBATCH --chdir=${sbatchPath(input.workDir)}`,
        ...env,
        // exec: the scheduler's SIGTERM (scancel, time limit) reaches emn, which records the point as failed with that reason
        `exec ${command.map(shellQuote).join(' ')}`,
        '',
    ].join('\n');
}
