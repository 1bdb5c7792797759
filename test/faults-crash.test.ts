// Faults: the language server killed (SIGKILL) mid-run and restarted on the same workspace, a training worker that runs
// out of memory, and the clean-up of temporary files a killed writer left (never a live writer's).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GetHistoryResponse, GetResultsResponse } from '../language-server/protocol.js';
import { ResultsStore } from '../engine/results/results-store.js';
import { saveRun } from '../engine/results/failure-policy.js';
import type { ExperimentResult } from '../engine/results/result-types.js';
import { snapshot, tinySpec, trainGood } from './fault-specs.js';
import { positionOf, ROOT, TrainingLspClient } from './training-lsp-client.js';

/** A process that has exited: its pid names no live process (until the system reuses it, which a test run does not reach). */
async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise(resolve => child.on('exit', resolve));
    return child.pid!;
}

/** A live process (ended in afterEach) standing for a writer that is still writing. */
const live: ChildProcess[] = [];
async function livePid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    live.push(child);
    await new Promise(resolve => child.on('spawn', resolve));
    return child.pid!;
}
afterEach(() => {
    for (const c of live.splice(0)) c.kill();
});

const tempOf = (target: string, pid: number, host = hostname()) => `${target}.${pid}@${host}.${Date.now().toString(36)}.tmp`;
const temps = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter(n => n.endsWith('.tmp'))
        .sort();

function goodResult(experiment: string): ExperimentResult {
    return {
        experiment,
        planHash: 'h1',
        stopped: 'steps',
        backend: 'cpu',
        steps: 10,
        metrics: { mse: 1e-3, rmse: 0.03, maxAbsError: 0.1, relError: 0.01 },
        startedAt: '2026-12-07T10:00:00.000Z',
        finishedAt: '2026-12-07T10:00:01.000Z',
    } as ExperimentResult;
}

describe('temporary files of the results store', () => {
    it('name their writer, and a clean-up removes only those of writers that are gone', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'emn-temps-'));
        try {
            const spec = join(dir, 'a.emn');
            writeFileSync(spec, '');
            const store = new ResultsStore();
            store.save(spec, goodResult('E'));
            const folder = store.folder(spec);
            const history = join(folder, 'E.history');
            mkdirSync(history);
            const target = store.resultPath(spec, 'E');
            const dead = await deadPid();
            const alive = await livePid();
            const deadTemp = tempOf(target, dead);
            const deadInHistory = tempOf(join(history, 'run-0001.json'), dead);
            const liveTemp = tempOf(target, alive);
            const ownTemp = tempOf(target, process.pid);
            const otherHost = tempOf(target, dead, 'node-17.cluster');
            const oldOtherHost = tempOf(join(history, 'run-0002.json'), dead, 'node-18.cluster');
            const unnamedOld = `${target}.12345.lq3k.tmp`;
            for (const f of [deadTemp, deadInHistory, liveTemp, ownTemp, otherHost, oldOtherHost, unnamedOld])
                writeFileSync(f, '{"format": "emn-re');
            const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
            utimesSync(oldOtherHost, twoDaysAgo, twoDaysAgo);
            utimesSync(unnamedOld, twoDaysAgo, twoDaysAgo);

            expect(store.removeAbandonedTemps(spec).sort()).toEqual([deadTemp, deadInHistory, oldOtherHost, unnamedOld].sort());
            // a live writer's file, this process's own and a recent one of another host stay
            expect(temps(folder)).toEqual([liveTemp, ownTemp, otherHost].map(p => p.slice(folder.length + 1)).sort());
            // the store's own writes name this process and leave nothing behind
            const saved = saveRun(store, spec, goodResult('E'), { lr: 0.01 });
            expect(saved.outcome).toBe('completed');
            expect(temps(folder)).toEqual([liveTemp, ownTemp, otherHost].map(p => p.slice(folder.length + 1)).sort());
            expect(store.load(spec, 'E').result?.planHash).toBe('h1');
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('the language server killed during a run', () => {
    it('restarted on the same workspace shows the last good result, serves the results view and leaves no temporary file', async () => {
        const first = new TrainingLspClient({ initializationOptions: { trusted: true, backend: 'cpu' } });
        let second: TrainingLspClient | undefined;
        try {
            await first.initialize();
            const short = tinySpec(100);
            const { uri, good, resultsDir, before } = await trainGood(first, 'crash.emn');
            let from: number;

            const long = tinySpec(1_000_000);
            await first.change(uri, long);
            from = first.messages.length;
            expect((await first.execute('emn.server.train', [uri, 'Quick'])).experiments).toEqual(['Quick']);
            await first.waitFor(m => m.method === 'emn/trainingProgress' && m.params.progress.step > 0, 60_000, from, 'progress');
            const pid = first.pid!;
            process.kill(pid, 'SIGKILL');
            await first.exitCode;
            expect(first.exit?.signal).toBe('SIGKILL');
            // what a kill inside a save leaves: the half-written file under the killed server's name (the window is too
            // short to hit on purpose, so it is written here as that server would have)
            writeFileSync(tempOf(join(resultsDir, 'Quick.json'), pid), '{"format":"emn-results","vers');
            // nothing of the killed run reached the store
            expect(Object.fromEntries(Object.entries(snapshot(resultsDir)).filter(([name]) => !name.endsWith('.tmp')))).toEqual(before);

            // the restart: what vscode-languageclient does after a crash, a new server on the same workspace and text
            second = new TrainingLspClient({ initializationOptions: { trusted: true, backend: 'cpu' }, folder: first.folder });
            await second.initialize();
            const uri2 = await second.open('crash.emn', long);
            expect(uri2).toBe(uri);
            const titles = await second.lensTitles(uri);
            expect(titles).toContain('▶ Train');
            expect(titles.some(t => t.startsWith('stale: spec changed · MSE '))).toBe(true);
            // the results view's requests: the last good result and its history
            const stored: GetResultsResponse = await second.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
            expect(stored.result?.planHash).toBe(good.result?.planHash);
            expect(stored.warning).toBeUndefined();
            const history: GetHistoryResponse = await second.connection.sendRequest('emn/getHistory', { uri, experiment: 'Quick' });
            expect(history.runs.map(r => r.run)).toEqual([1]);
            expect(history.warnings).toEqual([]);
            const at = positionOf(long, 'width 2', 1);
            expect(await second.hoverText(uri, at.line, at.character)).toContain('Learned weights');
            // the killed server's temporary file is gone, and the store is as it was
            expect(temps(resultsDir)).toEqual([]);
            expect(snapshot(resultsDir)).toEqual(before);

            // and it trains
            await second.change(uri, short);
            from = second.messages.length;
            await second.execute('emn.server.train', [uri, 'Quick']);
            expect((await second.finished(uri, 'Quick', from)).outcome).toBe('completed');
            expect(temps(resultsDir)).toEqual([]);
        } finally {
            await second?.dispose();
            await first.dispose();
        }
    }, 180_000);
});

describe('a training worker that runs out of memory', () => {
    it('ends the run as failed saying so, keeps the earlier results, and trains again with a new worker', async () => {
        const client = new TrainingLspClient({
            initializationOptions: { trusted: true, backend: 'cpu' },
            // the real worker, which allocates without end once a run passes step 150, on a 48 MB heap
            trainingWorker: join(ROOT, 'test', 'fixtures', 'oom-training-worker.cjs'),
            env: { EMN_TEST_OOM_AT_STEP: '150', EMN_TEST_WORKER_HEAP_MB: '48' },
        });
        try {
            await client.initialize();
            const short = tinySpec(100);
            const { uri, good, resultsDir, before } = await trainGood(client, 'oom.emn');
            let from: number;

            const long = tinySpec(100_000);
            await client.change(uri, long);
            from = client.messages.length;
            await client.execute('emn.server.train', [uri, 'Quick']);
            const died = await client.finished(uri, 'Quick', from, 120_000);
            expect(died.outcome).toBe('failed');
            expect(died.message).toMatch(
                /^training failed at step \d+\/100000: training worker ran out of memory \(its heap limit is 48 MB\)/,
            );
            expect(snapshot(resultsDir)).toEqual(before);
            const stored: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
            expect(stored.result?.planHash).toBe(good.result?.planHash);
            expect(await client.lensTitles(uri)).toContain('▶ Train');

            await client.change(uri, short);
            from = client.messages.length;
            await client.execute('emn.server.train', [uri, 'Quick']);
            expect((await client.finished(uri, 'Quick', from)).outcome).toBe('completed');
            expect(temps(resultsDir)).toEqual([]);
        } finally {
            await client.dispose();
        }
    }, 180_000);
});
