// Starts child processes in their own process group and stops exactly that group (never by name).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { errorMessage } from '../../engine/view.js';

export interface Started {
    child: ChildProcess;
    pid: number;
    /** Everything the process printed, for failure messages. */
    output: () => string;
}

export function startDetached(command: string, args: string[], options: SpawnOptions = {}): Started {
    // detached: the child leads a new process group, so kill(-pid) also ends its helpers (extension host, renderers)
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    let text = '';
    const keep = (chunk: Buffer) => { text = (text + chunk.toString()).slice(-20_000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return { child, pid: child.pid, output: () => text };
}

/** SIGTERM to the group, SIGKILL if it is still there after a grace period; resolves once the leader exited. */
export async function stopGroup(started: Started | undefined, graceMs = 5000): Promise<void> {
    if (!started) return;
    const { child, pid } = started;
    if (child.exitCode !== null || child.signalCode !== null) {
        killGroup(pid, 'SIGKILL'); // helpers may outlive the leader
        return;
    }
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
    killGroup(pid, 'SIGTERM');
    const timer = new Promise<'timeout'>(resolve => setTimeout(() => resolve('timeout'), graceMs));
    if (await Promise.race([exited, timer]) === 'timeout') {
        killGroup(pid, 'SIGKILL');
        await exited;
    }
    killGroup(pid, 'SIGKILL');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // the group is already gone
    }
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            const value = await check();
            if (value !== undefined && value !== false) return value;
        } catch (err) {
            lastError = err;
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${errorMessage(lastError)}` : ''}`);
        await new Promise(r => setTimeout(r, intervalMs));
    }
}
