// The built `emn` command (bin/emn.cjs, on a fresh dist/: test/fresh-dist.ts) run as a child process, in a temp folder per describe.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ensureFreshDist, ROOT } from './fresh-dist.js';

export interface EmnRun { code: number | null; stdout: string; stderr: string }

/** `node bin/emn.cjs ...args` in `cwd`; dist/ must be fresh (useEmnCli's beforeAll, or ensureFreshDist). */
export function runEmn(args: string[], cwd: string, timeout = 60_000): EmnRun {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/emn.cjs'), ...args], { cwd, encoding: 'utf8', timeout });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * For the surrounding describe (or file): before its tests dist/ is made fresh and a temp folder made, after them the
 * folder is removed. `dir` is that folder (read it inside tests); `emn(...args)` runs the CLI there.
 */
export function useEmnCli(prefix: string, timeout = 60_000): { readonly dir: string; emn: (...args: string[]) => EmnRun } {
    let dir = '';
    beforeAll(async () => {
        await ensureFreshDist();
        dir = mkdtempSync(join(tmpdir(), prefix));
    });
    afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
    return {
        get dir() { return dir; },
        emn: (...args) => runEmn(args, dir, timeout),
    };
}

/** Writes a spec into its own folder under `dir`, so that its results store is its own; returns its path. */
export function specInOwnFolder(dir: string, name: string, text: string): string {
    const folder = join(dir, name.replace(/\.emn$/, ''));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
}

/** Where the results of a spec file go by default (.emn-results/<file>/...). */
export function resultsOf(file: string, ...rest: string[]): string {
    return join(dirname(file), '.emn-results', basename(file), ...rest);
}
