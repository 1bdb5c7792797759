// The built `emn` command (bin/emn.cjs, on a fresh dist/: test/fresh-dist.ts) run as a child process, in a temp folder per describe.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { sanitizeName } from '../engine/results/results-store.js';
import { ensureFreshDist, ROOT } from './fresh-dist.js';

export interface EmnRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** `node bin/emn.cjs ...args` in `cwd`; dist/ must be fresh (useEmnCli's beforeAll, or ensureFreshDist). */
export function runEmn(args: string[], cwd: string, timeout = 60_000): EmnRun {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/emn.cjs'), ...args], { cwd, encoding: 'utf8', timeout });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The built emn without blocking this worker while a sweep runs (vitest's worker must keep answering its runner). */
export function runEmnAsync(args: string[], cwd: string, timeout = 60_000): Promise<EmnRun> {
    return new Promise(resolve =>
        execFile(process.execPath, [join(ROOT, 'bin/emn.cjs'), ...args], { cwd, encoding: 'utf8', timeout }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
            resolve({ code, stdout, stderr });
        }),
    );
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
    afterAll(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
    });
    return {
        get dir() {
            return dir;
        },
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
    return join(dirname(file), '.emn-results', sanitizeName(basename(file)), ...rest);
}

/** The result inside a results file. */
export const readResult = (path: string): any => (JSON.parse(readFileSync(path, 'utf8')) as { result: unknown }).result;

/** A sweep result without what differs between two runs of the same numbers: clock times. */
export function withoutClockTimes(r: { runs: { wallMs: number; stepsPerSecond: number }[] } & Record<string, unknown>) {
    const { wallMs: _w, stepsPerSecond: _s, startedAt: _a, finishedAt: _f, runs, ...rest } = r;
    void _w;
    void _s;
    void _a;
    void _f;
    return {
        ...rest,
        runs: runs.map(({ wallMs: _x, stepsPerSecond: _y, ...p }) => {
            void _x;
            void _y;
            return p;
        }),
    };
}
