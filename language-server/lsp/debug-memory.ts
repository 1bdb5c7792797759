// Test-only: with EMN_DEBUG_MEMORY=1 the server answers emn/debugMemory (a forced GC, then its memory, handles, threads, fds).
import { readdirSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RequestType, type Connection } from 'vscode-languageserver';

export interface DebugMemoryParams {
    /** Also write a V8 heap snapshot to this path (after the GC). */
    heapSnapshot?: string;
}

/** The server process after a full garbage collection, as the soak test (test/soak-session.ts) samples it. */
export interface DebugMemoryResponse {
    /** process.memoryUsage() after the GC, in bytes. */
    rss: number;
    heapUsed: number;
    heapTotal: number;
    external: number;
    arrayBuffers: number;
    /** Of heapUsed, what V8's code space holds (compiled code: it grows as more functions get optimised, then levels off). */
    codeSpaceUsed: number;
    /** Active handles and requests (process.getActiveResourcesInfo()). */
    resources: number;
    /** Threads of the process (/proc/self/status), undefined off Linux. */
    threads?: number;
    /** Open file descriptors (/proc/self/fd), undefined off Linux. */
    fds?: number;
}

const DebugMemoryRequest = new RequestType<DebugMemoryParams, DebugMemoryResponse, void>('emn/debugMemory');

/** The environment variable that turns the request on; nothing else in the server reads it. */
const DEBUG_MEMORY_ENV = 'EMN_DEBUG_MEMORY';

/** V8's gc(): the global one under --expose-gc, else the flag set at run time and gc taken from a fresh context. */
function fullGc(): () => void {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) return exposed;
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
}

function linuxCount(read: () => number): number | undefined {
    try {
        return read();
    } catch {
        return undefined;
    }
}

/** Registers emn/debugMemory when EMN_DEBUG_MEMORY=1 (a user's server never answers it). */
export function registerDebugMemoryRequest(connection: Connection): void {
    if (process.env[DEBUG_MEMORY_ENV] !== '1') return;
    const gc = fullGc();
    connection.onRequest(DebugMemoryRequest, ({ heapSnapshot }) => {
        // twice: weak references and finalizers freed by the first collection are collected by the second
        gc();
        gc();
        const usage = process.memoryUsage();
        if (heapSnapshot) writeHeapSnapshot(heapSnapshot);
        return {
            rss: usage.rss,
            heapUsed: usage.heapUsed,
            heapTotal: usage.heapTotal,
            external: usage.external,
            arrayBuffers: usage.arrayBuffers,
            codeSpaceUsed: getHeapSpaceStatistics().find(space => space.space_name === 'code_space')?.space_used_size ?? 0,
            resources: process.getActiveResourcesInfo().length,
            threads: linuxCount(() => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1])),
            fds: linuxCount(() => readdirSync('/proc/self/fd').length),
        };
    });
}
