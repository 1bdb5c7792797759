// Slurm's own commands, run without a shell and without blocking: sbatch (submit, optionally wait), squeue (task states), scancel.
import { execFile, spawn } from 'node:child_process';
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

/**
 * Submits a batch script; resolves with the job id as soon as sbatch prints it. With `wait`, `finished` resolves when
 * every task of the array has ended (sbatch --wait), with sbatch's exit code (non-zero when a task failed).
 */
export function sbatch(script: string, extraArgs: string[], opts: { wait: boolean; cwd: string }): { jobId: Promise<string>; finished: Promise<number> } {
    const args = ['--parsable', ...(opts.wait ? ['--wait'] : []), ...extraArgs, script];
    const child = spawn('sbatch', args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let gotId: (id: string) => void = () => {};
    let noId: (e: Error) => void = () => {};
    const jobId = new Promise<string>((res, rej) => { gotId = res; noId = rej; });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        // --parsable: "jobid" or "jobid;cluster" on the first line
        const m = /^(\d+)(?:;\S+)?\s*\n/.exec(out);
        if (m) gotId(m[1]);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const finished = new Promise<number>(resolve => {
        child.on('error', e => { noId(new Error(`sbatch could not run: ${e.message}`)); resolve(127); });
        child.on('close', code => {
            const m = /^(\d+)/.exec(out.trim());
            if (m) gotId(m[1]);
            else noId(new Error(`sbatch refused the job: ${err.trim() || `exit code ${code}`}`));
            resolve(code ?? 1);
        });
    });
    return { jobId, finished };
}

/** The state of every task of an array job Slurm still knows (finished tasks drop out after MinJobAge). */
export async function squeueTasks(jobId: string): Promise<Map<number, TaskState>> {
    const r = await run('squeue', ['-h', '-r', '-t', 'all', '-j', jobId, '-o', '%K|%T|%r']);
    const tasks = new Map<number, TaskState>();
    // an id Slurm has forgotten is "Invalid job id": no tasks known
    if (r.code !== 0) return tasks;
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
