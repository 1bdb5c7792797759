// Slurm's own commands, run without a shell and without blocking: sbatch (submit, optionally wait), squeue (task states), scancel.
import { execFile } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';

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
        } catch { /* next */ }
    }
    return false;
}

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        execFile(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
            const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
            resolve({ code, stdout: stdout ?? '', stderr: stderr || (err && !stdout ? err.message : '') });
        });
    });
}

/** Submits a batch script with sbatch; resolves with the job id. */
export async function sbatch(script: string, extraArgs: string[], cwd: string): Promise<string> {
    const r = await run('sbatch', ['--parsable', ...extraArgs, script], cwd);
    // --parsable: "jobid" or "jobid;cluster"
    const m = /^(\d+)/.exec(r.stdout.trim());
    if (r.code !== 0 || !m) throw new Error(`sbatch refused the job: ${r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`}`);
    return m[1];
}

/**
 * Resolves when no task of the job is pending or running any more, looking at squeue every `intervalMs` (sbatch
 * --wait polls at up to 30 s, which would make a short sweep wait half a minute for nothing).
 */
export async function waitForJob(jobId: string, opts: { intervalMs?: number; signal?: AbortSignal; onPoll?: (tasks: Map<number, TaskState>) => void } = {}): Promise<void> {
    for (;;) {
        let tasks: Map<number, TaskState> | undefined;
        try {
            tasks = await squeueTasks(jobId);
        } catch {
            // the controller did not answer this time: ask again
        }
        if (tasks) opts.onPoll?.(tasks);
        if ((tasks && ![...tasks.values()].some(t => isActive(t.state))) || opts.signal?.aborted) return;
        await new Promise(r => setTimeout(r, opts.intervalMs ?? 1000));
    }
}

/** The state of every task of an array job Slurm still knows (finished tasks drop out after MinJobAge). */
export async function squeueTasks(jobId: string): Promise<Map<number, TaskState>> {
    const r = await run('squeue', ['-h', '-r', '-t', 'all', '-j', jobId, '-o', '%K|%T|%r']);
    const tasks = new Map<number, TaskState>();
    // an id Slurm has forgotten is "Invalid job id": no tasks known; any other failure (a busy controller timing out)
    // is not "no tasks", which would end a wait or conclude a sweep while its tasks still run
    if (r.code !== 0) {
        if (/invalid job id/i.test(r.stderr)) return tasks;
        throw new Error(`squeue failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
    }
    for (const line of r.stdout.split('\n')) {
        const [index, state, reason] = line.trim().split('|');
        if (index !== undefined && /^\d+$/.test(index)) tasks.set(Number(index), { state: state ?? '', reason: reason ?? '' });
    }
    return tasks;
}

export async function scancel(jobId: string): Promise<void> {
    const r = await run('scancel', [jobId]);
    if (r.code !== 0) throw new Error(`scancel ${jobId} failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
}

/** States in which a task still holds or waits for a node. */
export function isActive(state: string): boolean {
    return ['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING', 'SIGNALING', 'STAGE_OUT'].includes(state);
}
