// The Slurm batch script of one array of a sweep's submission: task T runs `emn train SPEC --manifest M --manifest-array A
// --point-from-env`.
import { join } from 'node:path';
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
    /** The submission's manifest (absolute), and which of its arrays this script runs. */
    manifestPath: string;
    arrayNumber: number;
    /** Tasks of this array (indices 0..tasks-1) and the points they hold, for the header comment. */
    tasks: number;
    pointsHere: number;
    /** Number of points of the sweep (for the header comment). */
    points: number;
    /** At most this many tasks of this array at once (--array=...%M). */
    throttle?: number;
    cpusPerTask: number;
    /** Whether Slurm puts a task back in the queue when its node fails (the task then skips the points it wrote). */
    requeue: boolean;
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
    if (/["\n\r]/.test(path))
        throw new Error(
            `the path ${JSON.stringify(path)} holds a double quote or a line break, which an #SBATCH line cannot carry; move the spec`,
        );
    return `"${path.replace(/%/g, '%%')}${pattern}"`;
}

/** Output file name pattern of a task, in the log folder: <job>_<task>.out (%A the array's job id, %a the task's index). */
const TASK_LOG_PATTERN = '/%A_%a.out';

export function taskLogPath(logFolder: string, jobId: string, index: number): string {
    return join(logFolder, `${jobId}_${index}.out`);
}

export function batchScript(input: BatchScriptInput): string {
    if (input.tasks === 0) throw new Error('no points to submit');
    const command = [
        ...input.emnCommand,
        'train',
        input.specPath,
        '--experiment',
        input.experiment,
        '--manifest',
        input.manifestPath,
        '--manifest-array',
        String(input.arrayNumber),
        '--point-from-env',
        ...input.trainOptions,
    ];
    const env = Object.entries(input.environment ?? {}).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    // a job name is a word for squeue, not a path: keep it to safe characters
    const jobName = `emn-${sanitizeName(input.experiment)}`.slice(0, 60);
    return [
        '#!/bin/bash',
        `# EMN sweep: experiment ${sanitizeName(input.experiment)}, ${input.pointsHere} of ${input.points} points in ${input.tasks} task${input.tasks === 1 ? '' : 's'}` +
            ` (array ${input.arrayNumber} of the submission).`,
        '# Written by `emn sweep slurm`; array task T trains the points the manifest lists for it (tasks numbered from 0)',
        "# and writes one point file each beside the experiment's result, skipping points already trained with this plan.",
        '# `emn sweep collect` merges the point files, `emn sweep status` shows progress, `emn sweep cancel` stops it.',
        `#SBATCH --job-name=${jobName}`,
        `#SBATCH --array=0-${input.tasks - 1}${input.throttle ? `%${input.throttle}` : ''}`,
        `#SBATCH --cpus-per-task=${input.cpusPerTask}`,
        '#SBATCH --ntasks=1',
        input.requeue ? '#SBATCH --requeue' : '#SBATCH --no-requeue',
        // a requeued task appends: its log keeps the markers of the first round
        '#SBATCH --open-mode=append',
        `#SBATCH --output=${sbatchPath(input.logFolder, TASK_LOG_PATTERN)}`,
        `#SBATCH --chdir=${sbatchPath(input.workDir)}`,
        ...env,
        // exec: the scheduler's SIGTERM (scancel, time limit) reaches emn, which records the point as failed with that reason
        `exec ${command.map(shellQuote).join(' ')}`,
        '',
    ].join('\n');
}
