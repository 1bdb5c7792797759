// Temporary files of the results store's atomic writes: named with their writer (pid and host), and removed after a
// crash only when that writer is gone, so a clean-up never removes a file a live process is still writing.
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/*
 * Rules (ours):
 * - A write goes to `<target>.<pid>@<host>.<time>.tmp` in the target's folder and is renamed over the target; a writer
 *   killed between the two (SIGKILL, power loss) leaves that file behind.
 * - A temporary file of this host is abandoned when no process has its pid (kill(pid, 0) says ESRCH). A live pid keeps
 *   it, even when the pid was reused by another program: the file then stays until that process ends, which is safe.
 * - A temporary file of another host (a Slurm node writing into a shared folder) cannot be checked from here: it is
 *   abandoned only when untouched for a day, far longer than any write takes. So is one without a writer in its name.
 */

/** A temporary file of another host (or of no known writer) untouched this long is abandoned. */
const FOREIGN_TEMP_MAX_AGE_MS = 24 * 3600 * 1000;

const TEMP_NAME = /\.(\d+)@([^/\\]+)\.[0-9a-z]+\.tmp$/;

/** The temporary name the atomic write of `path` uses, naming this process and host. */
export function tempPathFor(path: string): string {
    return `${path}.${process.pid}@${hostname()}.${Date.now().toString(36)}.tmp`;
}

/** Whether a process with this pid exists here (a process of another user counts: EPERM). */
function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/** Whether the temporary file `name` in `folder` was left by a writer that is gone (see the rules above). */
function abandoned(folder: string, name: string, now: number): boolean {
    const writer = TEMP_NAME.exec(name);
    if (writer && writer[2] === hostname()) return !processAlive(Number(writer[1]));
    try {
        return now - statSync(join(folder, name)).mtimeMs > FOREIGN_TEMP_MAX_AGE_MS;
    } catch {
        return false;
    }
}

/**
 * Removes the abandoned temporary files in `folder` and its sub-folders one level down (a history's or a sweep's
 * point files); returns the paths removed. Never throws: a folder that cannot be read has nothing to remove.
 */
export function removeAbandonedTemps(folder: string): string[] {
    const removed: string[] = [];
    const now = Date.now();
    const visit = (dir: string, depth: number) => {
        let entries;
        try {
            entries = readdirSync(dir, { withFileTypes: true });
        } catch {
            return;
        }
        for (const e of entries) {
            if (e.isDirectory() && depth > 0) visit(join(dir, e.name), depth - 1);
            else if (e.isFile() && e.name.endsWith('.tmp') && abandoned(dir, e.name, now)) {
                try {
                    unlinkSync(join(dir, e.name));
                    removed.push(join(dir, e.name));
                } catch {
                    /* removed by another clean-up meanwhile */
                }
            }
        }
    };
    visit(folder, 1);
    return removed;
}
