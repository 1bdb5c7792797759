// Faults: the disk fills up during a save (a small tmpfs filled to the last page): the save fails with ENOSPC in words,
// the earlier result and history stay byte for byte, no temporary file is left, and a save succeeds once there is room.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRun } from '../engine/results/failure-policy.js';
import type { ExperimentResult } from '../engine/results/result-types.js';
import { ResultsStore } from '../engine/results/results-store.js';

/** Mounts a 256 KB tmpfs on a new temporary folder (root and mount needed); throws when it cannot. */
function mountSmallDisk(): string {
    const dir = mkdtempSync(join(tmpdir(), 'emn-disk-full-'));
    try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'pipe' });
        return dir;
    } catch (err) {
        rmdirSync(dir);
        throw err;
    }
}

/** Why no small disk can be had here (the test is then skipped, saying so), or undefined: tried once, at collection. */
function noSmallDisk(): string | undefined {
    try {
        const dir = mountSmallDisk();
        execFileSync('umount', [dir]);
        rmdirSync(dir);
        return undefined;
    } catch (err) {
        return `no small file system can be mounted here (root and mount needed): ${(err as Error).message.split('\n')[0]}`;
    }
}

function result(steps: number): ExperimentResult {
    return {
        experiment: 'Paper',
        operation: 'Op',
        network: 'Net',
        backend: 'cpu',
        steps,
        wallMs: 12,
        stepsPerSecond: 900,
        stopped: 'steps',
        metrics: { mse: 1e-8, rmse: 1e-4, maxAbsError: 3e-4, relError: 1e-4 },
        evaluations: [],
        lossCurve: [
            [1, 2],
            [steps, 1e-8],
        ],
        weights: [{ name: 'mask1.W', shape: [64, 64], values: Array.from({ length: 4096 }, (_, k) => Math.sin(k)) }],
        planHash: `h${steps}`,
        startedAt: '2026-12-07T10:00:00.000Z',
        finishedAt: '2026-12-07T10:00:01.000Z',
    };
}

const unavailable = noSmallDisk();

describe('a full disk during a save', () => {
    let dir = '';
    beforeAll(() => {
        if (!unavailable) dir = mountSmallDisk();
    });
    afterAll(() => {
        if (!dir) return;
        execFileSync('umount', [dir]);
        rmSync(dir, { recursive: true, force: true });
    });

    it.skipIf(unavailable !== undefined)(
        `fails in words and keeps the earlier result${unavailable ? ` (skipped: ${unavailable})` : ''}`,
        () => {
            const spec = join(dir, 'paper.emn');
            writeFileSync(spec, '// spec\n');
            const store = new ResultsStore();
            expect(saveRun(store, spec, result(100), { lr: 0.01 }).outcome).toBe('completed');
            const path = store.resultPath(spec, 'Paper');
            const before = readFileSync(path, 'utf8');
            // fill the disk to the last byte it takes
            const filler = join(dir, 'filler');
            for (const chunk of [65536, 4096, 1]) {
                try {
                    for (;;) appendFileSync(filler, Buffer.alloc(chunk));
                } catch (err) {
                    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
                }
            }
            expect(() => saveRun(store, spec, result(200), { lr: 0.01 })).toThrow(
                /^cannot write .*Paper\.json \(the previous file, if any, is unchanged\): ENOSPC/,
            );
            expect(readFileSync(path, 'utf8')).toBe(before);
            expect(store.load(spec, 'Paper').result?.planHash).toBe('h100');
            expect(readdirSync(store.folder(spec)).filter(f => f.endsWith('.tmp'))).toEqual([]);

            rmSync(filler);
            expect(saveRun(store, spec, result(300), { lr: 0.01 }).outcome).toBe('completed');
            expect(store.load(spec, 'Paper').result?.planHash).toBe('h300');
        },
    );
});
