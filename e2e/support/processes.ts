// Starts child processes in their own process group and stops exactly that group (never by name).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

// the one polling helper with a deadline lives with the tests' (test/wait-until.ts); e2e code may take it from here too
export { waitUntil } from '../../test/wait-until.js';

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
    const keep = (chunk: Buffer) => {
        text = (text + chunk.toString()).slice(-20_000);
    };
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
    if ((await Promise.race([exited, timer])) === 'timeout') {
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
