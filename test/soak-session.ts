// The soak: ONE language-server session driven through many train / edit / hover / show-results cycles (single runs, a
// sweep and a seeds experiment), sampling the server's RSS, heap after a forced GC, handles, threads and fds
// (emn/debugMemory, language-server/lsp/debug-memory.ts). Used by test/soak.test.ts (short) and bench/soak.ts (full).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugMemoryResponse } from '../language-server/lsp/debug-memory.js';
import { LspStdioClient, workspaceOf, type Recorded } from './lsp-stdio-client.js';

export interface SoakOptions {
    /** The server's script (absolute) and arguments, e.g. dist/language-server.cjs --stdio or bin/emn.cjs lsp --stdio. */
    script: string;
    args: string[];
    /** Node's options for the server process (V8 flags). */
    execArgv?: string[];
    /** The workspace folder (created); the spec and its .emn-results live there. */
    folder: string;
    /** Training runs in all (single runs, sweeps and seeds experiments counted alike). */
    runs: number;
    /** A sample after every this many runs (and one after the first run). */
    sampleEvery: number;
    onSample?: (s: SoakSample) => void;
    /** A ceiling on each wait (a hung server fails the soak instead of stalling it). */
    waitMs?: number;
    /** Runs after which the server also writes a V8 heap snapshot, as `<folder>/../heap-<run>.heapsnapshot` (finding what is kept). */
    heapSnapshotsAt?: number[];
}

export interface SoakSample extends DebugMemoryResponse {
    /** Runs trained so far. */
    run: number;
    /** Seconds since the session started. */
    seconds: number;
}

/** A tiny single run, a 3-point lr sweep and a 3-seed experiment: each trains in a fraction of a second. */
function soakSpec(cycle: number): string {
    // the lr moves every cycle, so every run trains a new plan (plan hash) and keeps a new history entry
    const lr = (0.02 + cycle * 1e-6).toPrecision(8);
    return `operation Soak3 {
    matvec
    size 3
    sparsity 0.3
}

network SoakNet {
    width 2
    depth 1
}

experiment Single {
    learn Soak3 with SoakNet
    optimizer adam(lr ${lr})
    batch 16
    steps 60
    evaluate 100 samples
}

experiment Sweep {
    learn Soak3 with SoakNet
    optimizer adam(lr ${lr})
    batch 16
    steps 40
    evaluate 100 samples
    sweep width [1, 2, 3]
}

experiment Seeds {
    learn Soak3 with SoakNet
    optimizer adam(lr ${lr})
    batch 16
    steps 40
    evaluate 100 samples
    seeds 3
}
`;
}

/** Which experiment cycle k trains: mostly the single run, every 10th a sweep, every 10th (offset) the seeds. */
function experimentOfCycle(cycle: number): string {
    if (cycle % 10 === 4) return 'Sweep';
    if (cycle % 10 === 9) return 'Seeds';
    return 'Single';
}

function positionOf(text: string, needle: string): { line: number; character: number } {
    const before = text.slice(0, text.indexOf(needle) + 1);
    const lines = before.split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** Runs the soak; resolves with every sample, the last one after the last run. Throws when a run does not complete. */
export async function runSoak(options: SoakOptions): Promise<SoakSample[]> {
    const waitMs = options.waitMs ?? 120_000;
    mkdirSync(options.folder, { recursive: true });
    const client = new LspStdioClient();
    client.launch({
        script: options.script,
        args: options.args,
        execArgv: options.execArgv,
        cwd: options.folder,
        env: { EMN_DEBUG_MEMORY: '1' },
    });
    const samples: SoakSample[] = [];
    const t0 = performance.now();
    const request = <T>(method: string, params: unknown): Promise<T> =>
        client.race(client.connection.sendRequest<T>(method, params), waitMs, method);
    const sample = async (run: number) => {
        const heapSnapshot = options.heapSnapshotsAt?.includes(run) ? join(options.folder, '..', `heap-${run}.heapsnapshot`) : undefined;
        const memory = await request<DebugMemoryResponse>('emn/debugMemory', heapSnapshot ? { heapSnapshot } : {});
        const s = { run, seconds: (performance.now() - t0) / 1000, ...memory };
        samples.push(s);
        options.onSample?.(s);
    };
    try {
        await client.initialize(
            {
                processId: process.pid,
                ...workspaceOf(options.folder, 'soak'),
                capabilities: {
                    workspace: { codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } },
                    textDocument: { hover: { contentFormat: ['markdown'] }, publishDiagnostics: {}, codeLens: {}, inlayHint: {} },
                },
                initializationOptions: { trusted: true, backend: 'cpu' },
            },
            waitMs,
        );
        let text = soakSpec(0);
        const uri = await client.openFile(join(options.folder, 'soak.emn'), text);
        const hoverAt = positionOf(text, 'width 2');
        for (let run = 1; run <= options.runs; run++) {
            // the client keeps nothing between cycles: what grows is the server's
            client.forget();
            text = soakSpec(run);
            await client.change(uri, text);
            const experiment = experimentOfCycle(run);
            const reply = await request<{ experiments: string[]; message?: string }>('workspace/executeCommand', {
                command: 'emn.server.train',
                arguments: [uri, experiment],
            });
            if (reply.experiments.length === 0) throw new Error(`run ${run}: train ${experiment} refused: ${reply.message}`);
            const finished: Recorded = await client.waitFor(
                m => m.method === 'emn/trainingFinished' && m.params.experiment === experiment,
                waitMs,
                0,
                `run ${run}: trainingFinished of ${experiment}`,
            );
            if (finished.params.outcome !== 'completed')
                throw new Error(`run ${run}: ${experiment} ${finished.params.outcome}: ${finished.params.message}`);
            // what an editor asks after a run: lenses, hints, the weights hover, and the results view's two requests
            await request('textDocument/codeLens', { textDocument: { uri } });
            await request('textDocument/inlayHint', {
                textDocument: { uri },
                range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } },
            });
            await request('textDocument/hover', { textDocument: { uri }, position: hoverAt });
            await request('emn/getResults', { uri, experiment });
            await request('emn/getHistory', { uri, experiment });
            // now and then: the view's history entry of an earlier run, a comparison and the compiled graph
            if (run % 10 === 0) {
                await request('emn/getResults', { uri, experiment, run: Math.max(1, run - 10) });
                await request('emn/compareRuns', { a: { uri, experiment: 'Single' }, b: { uri, experiment: 'Sweep' } });
                await request('emn/getPlan', { uri, experiment: 'Sweep' });
            }
            if (run === 1 || run % options.sampleEvery === 0 || run === options.runs) await sample(run);
        }
    } finally {
        await client.dispose();
    }
    return samples;
}

/** The samples as CSV (MB and counts). */
export function samplesCsv(samples: SoakSample[]): string {
    const mb = (b: number) => (b / 2 ** 20).toFixed(2);
    const rows = samples.map(s =>
        [
            s.run,
            s.seconds.toFixed(1),
            mb(s.rss),
            mb(s.heapUsed),
            mb(s.heapTotal),
            mb(s.external),
            mb(s.arrayBuffers),
            mb(s.codeSpaceUsed),
            s.resources,
            s.threads ?? '',
            s.fds ?? '',
        ].join(','),
    );
    return (
        [
            'run,seconds,rss_mb,heap_used_after_gc_mb,heap_total_mb,external_mb,array_buffers_mb,code_space_mb,resources,threads,fds',
            ...rows,
        ].join('\n') + '\n'
    );
}
