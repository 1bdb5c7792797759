// Slurm's own commands, run without a shell and without blocking: sbatch (submit, optionally wait), squeue (task states), scancel.
import { execFile } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import { userInfo } from 'node:os';

export interface TaskState {
    /** Slurm's state name: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, ... */
    state: string;
    /** Slurm's reason (why pending, or why it ended). */
    reason: string;
}

/** Whether an executable `name` is on the PATH (sbatch present: this machine can submit). */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
    for (const dir of (env.PATH ?? '').split(delimiter)) {
        if (!dir) continue;
        try {
            accessSync(join(dir, name), constants.X_OK);
            return true;
        } catch {
            /* next */
        }
    }
    return false;
}

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        execFile(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
            const code = err
                ? typeof (err as NodeJS.ErrnoException).code === 'number'
                    ? Number((err as NodeJS.ErrnoException).code)
                    : 1
                : 0;
            resolve({ code, stdout: stdout ?? '', stderr: stderr || (err && !stdout ? err.message : '') });
        });
    });
}

/** sbatch's words for a per-user or per-account limit (MaxSubmitJobs, MaxArraySize, ...): what the user can do about it. */
const LIMIT_REFUSAL = /MaxSubmit|MaxJobs|MaxArraySize|Invalid job array|QOS|Assoc|policy|limit/i;

/** Submits a batch script with sbatch; resolves with the job id, or rejects with sbatch's own words and what they mean. */
export async function sbatch(script: string, extraArgs: string[], cwd: string): Promise<string> {
    const r = await run('sbatch', ['--parsable', ...extraArgs, script], cwd);
    // --parsable: "jobid" or "jobid;cluster"
    const m = /^(\d+)/.exec(r.stdout.trim());
    if (r.code === 0 && m) return m[1];
    const said = r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`;
    const hint = LIMIT_REFUSAL.test(said)
        ? ' (a limit of the cluster or your account: fewer tasks at once with --max-parallel, more points per task with --points-per-task,' +
          ' or submit the rest later with --missing)'
        : '';
    throw new Error(`sbatch refused the job: ${said}${hint}`);
}

/**
 * The cluster's MaxArraySize (the largest array index is one less), from `scontrol show config`; Slurm's default 1001 when it does not say.
 */
export async function maxArraySize(): Promise<number> {
    const r = await run('scontrol', ['show', 'config']);
    const m = /^\s*MaxArraySize\s*=\s*(\d+)/m.exec(r.stdout);
    return m && Number(m[1]) > 0 ? Number(m[1]) : 1001;
}

/**
 * Resolves when no task of the jobs is pending or running any more, looking at squeue every `intervalMs` (sbatch
 * --wait polls at up to 30 s, which would make a short sweep wait half a minute for nothing).
 */
export async function waitForJobs(
    jobIds: string[],
    opts: { intervalMs?: number; signal?: AbortSignal; onPoll?: (tasks: JobTasks) => void } = {},
): Promise<void> {
    for (;;) {
        let tasks: JobTasks | undefined;
        try {
            tasks = await squeueTasks(jobIds);
        } catch {
            // the controller did not answer this time: ask again
        }
        if (tasks) opts.onPoll?.(tasks);
        if ((tasks && !anyActive(tasks)) || opts.signal?.aborted) return;
        await new Promise(r => setTimeout(r, opts.intervalMs ?? 1000));
    }
}

/** Task states by array job id, then by task index. */
export type JobTasks = Map<string, Map<number, TaskState>>;

export function anyActive(tasks: JobTasks): boolean {
    return [...tasks.values()].some(job => [...job.values()].some(t => isActive(t.state)));
}

/**
 * The state of every task of the given array jobs that Slurm still knows (finished tasks drop out after MinJobAge):
 * one squeue call for all of them, over this user's jobs (squeue refuses a whole list when one id is forgotten).
 */
export async function squeueTasks(jobIds: string[]): Promise<JobTasks> {
    const tasks: JobTasks = new Map(jobIds.map(id => [id, new Map<number, TaskState>()]));
    if (jobIds.length === 0) return tasks;
    const r = await run('squeue', ['-h', '-r', '-t', 'all', '-u', userInfo().username, '-o', '%F|%K|%T|%r']);
    // a failure (a busy controller timing out) is not "no tasks", which would end a wait or conclude a sweep while its tasks still run
    if (r.code !== 0) throw new Error(`squeue failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
    for (const line of r.stdout.split('\n')) {
        const [job, index, state, reason] = line.trim().split('|');
        const known = tasks.get(job ?? '');
        if (known && index !== undefined && /^\d+$/.test(index)) known.set(Number(index), { state: state ?? '', reason: reason ?? '' });
    }
    return tasks;
}

/** scancel of several jobs (every array of a sweep) at once. */
export async function scancel(jobIds: string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const r = await run('scancel', jobIds);
    if (r.code !== 0) throw new Error(`scancel ${jobIds.join(' ')} failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
}

/** States in which a task still holds or waits for a node. */
export function isActive(state: string): boolean {
    return ['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING', 'SIGNALING', 'STAGE_OUT'].includes(
        state,
    );
}
