// `npm run bench:lsp`: LSP-side figures of the language server (dist/language-server.cjs over stdio), as a markdown table.
// Latency of hover and completion idle and while a training runs, validation of a 2,000-line spec, click-to-result of
// examples/paper.emn (cold and warm), peak RSS of the server, and a 12-point sweep. Run `node esbuild.mjs` first;
// package.json's bench:lsp bundles this file (it imports the tests' stdio client) to out/bench/ and runs it.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspStdioClient, workspaceOf, type Recorded } from '../test/lsp-stdio-client.js';

// `npm run` runs in the repository; the bench is bundled to out/bench/, so its own path says nothing of the repository
const ROOT = process.cwd();
const REQUESTS = Number(process.env.EMN_BENCH_REQUESTS ?? 200);
// a ceiling on each wait against a hung server (a training here takes seconds)
const WAIT_MS = 600_000;

interface Timed {
    uri: string;
    ms: number;
}

/** One language server process on a workspace folder, driven by the shared stdio client. */
class Server extends LspStdioClient {
    constructor(readonly folder: string) {
        super();
        this.launch({ script: join(ROOT, 'dist', 'language-server.cjs'), args: ['--stdio'], cwd: ROOT });
    }

    async start(): Promise<void> {
        await this.initialize({
            processId: process.pid,
            ...workspaceOf(this.folder, 'bench'),
            capabilities: {
                textDocument: { hover: { contentFormat: ['markdown'] }, completion: {}, publishDiagnostics: {} },
                workspace: {},
            },
            initializationOptions: { trusted: true },
        });
    }

    /** The first message from index `from` that matches, waited on. */
    next(from: number, match: (m: Recorded) => boolean, what: string): Promise<Recorded> {
        return this.waitFor(match, WAIT_MS, from, what);
    }

    /** Writes a spec into the workspace, opens it and waits for its first diagnostics; returns its URI and the ms it took. */
    async open(name: string, text: string): Promise<Timed> {
        const from = this.messages.length;
        const t0 = performance.now();
        const uri = await this.openFile(join(this.folder, name), text);
        const published = await this.next(
            from,
            m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri,
            `diagnostics of ${name}`,
        );
        // a spec with errors would measure a different (shorter) path than a user's working spec
        const errors = published.params.diagnostics.filter((d: { severity?: number }) => d.severity === 1);
        if (errors.length > 0) throw new Error(`${name}: ${errors[0].message}`);
        return { uri, ms: published.time - t0 };
    }

    async edit(uri: string, text: string): Promise<number> {
        const from = this.messages.length;
        const t0 = performance.now();
        await this.change(uri, text);
        return (
            (await this.next(from, m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, 'diagnostics')).time - t0
        );
    }

    finishedOf(uri: string, experiment: string, from: number): Promise<Recorded> {
        return this.next(
            from,
            m => m.method === 'emn/trainingFinished' && m.params.uri === uri && m.params.experiment === experiment,
            `trainingFinished of ${experiment}`,
        );
    }

    /** executeCommand train → trainingFinished, in ms; throws unless the run completed. */
    async train(uri: string, experiment: string): Promise<{ ms: number; result: any }> {
        const from = this.messages.length;
        const t0 = performance.now();
        const reply: any = await this.connection.sendRequest('workspace/executeCommand', {
            command: 'emn.server.train',
            arguments: [uri, experiment],
        });
        if (reply.experiments.length === 0) throw new Error(`train ${experiment} refused: ${reply.message}`);
        const { time, params } = await this.finishedOf(uri, experiment, from);
        if (params.outcome !== 'completed') throw new Error(`${experiment} ${params.outcome}: ${params.message}`);
        return { ms: time - t0, result: params.result };
    }

    /** Peak and current resident set of the server process (worker threads included), in MB. */
    memory(): { peakMb: number; rssMb: number } {
        const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
        const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
        return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
    }
}

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (values: number[]) => percentile(values, 50);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** Sequential requests (an editor sends one at a time while the user moves): latency of each in ms. */
async function latencies(server: Server, method: string, paramsAt: (k: number) => object): Promise<number[]> {
    const times: number[] = [];
    for (let k = 0; k < REQUESTS; k++) {
        const t0 = performance.now();
        await server.connection.sendRequest(method, paramsAt(k));
        times.push(performance.now() - t0);
    }
    return times;
}

function positionOf(text: string, needle: string, delta = 1): { line: number; character: number } {
    const before = text.slice(0, text.indexOf(needle) + delta);
    const lines = before.split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** A spec to hover in and train long: n = 20 for many steps, so the run outlasts every request. */
const LONG = `operation Long20 {
    matvec
    size 20
    sparsity 0.5
}

network LongEmn {
    width 4
    depth 2
    masking 1
}

experiment LongRun {
    learn Long20 with LongEmn
    optimizer sgd(lr 0.01, momentum 0.9)
    batch 64
    steps 2000000
    seed 3
}
`;

/** About `lines` lines of distinct operations, networks and experiments (names prefixed, so several never clash). */
function generatedSpec(lines: number, prefix: string): string {
    const blocks: string[] = [];
    for (let k = 0; blocks.join('\n').split('\n').length < lines; k++) {
        blocks.push(`// block ${k}
operation ${prefix}Op${k} {
    matvec
    size ${5 + (k % 16)}
    sparsity 0.${k % 9}
    entries binary
}

network ${prefix}Net${k} {
    width ${2 + (k % 4)}
    depth 2
    masking 1
    pruning rowwise
}

experiment ${prefix}Exp${k} {
    learn ${prefix}Op${k} with ${prefix}Net${k}
    optimizer adam(lr 0.01)
    batch 32
    steps 500
    seed ${k}
    evaluate 100 samples
}
`);
    }
    return blocks.join('\n');
}

async function main(): Promise<void> {
    if (!existsSync(join(ROOT, 'dist', 'language-server.cjs')))
        throw new Error('no dist/language-server.cjs here: run `node esbuild.mjs` and then `npm run bench:lsp` in the repository');
    const folder = mkdtempSync(join(tmpdir(), 'emn-bench-lsp-'));
    const rows: { figure: string; value: string; goal: string }[] = [];
    const add = (figure: string, value: string, goal: string) => rows.push({ figure, value, goal });
    try {
        // (c) click-to-result, cold: a fresh server, the first run of the paper spec
        copyFileSync(join(ROOT, 'examples', 'paper.emn'), join(folder, 'paper.emn'));
        let server = new Server(folder);
        await server.start();
        const paper = await server.open('paper.emn', readFileSync(join(folder, 'paper.emn'), 'utf8'));
        const cold = await server.train(paper.uri, 'Paper');
        const warm: { ms: number; result: any }[] = [];
        for (let k = 0; k < 3; k++) warm.push(await server.train(paper.uri, 'Paper'));
        warm.sort((a, b) => a.ms - b.ms);
        // where the time goes: the training steps themselves, and everything else (worker, backend, data, evaluation, save, LSP)
        const split = (run: { ms: number; result: any }) =>
            `${ms(run.ms)} ms: steps ${ms((1000 * run.result.steps) / run.result.stepsPerSecond)} ms + rest ${ms(run.ms - (1000 * run.result.steps) / run.result.stepsPerSecond)} ms`;
        add(
            'click-to-result examples/paper.emn, cold (fresh server, first run)',
            `${split(cold)} (${cold.result.backend}, ${cold.result.steps} steps at ${cold.result.stepsPerSecond.toFixed(0)}/s)`,
            '< 3000 ms',
        );
        add(
            'click-to-result examples/paper.emn, warm (median of 3 reruns)',
            `${split(warm[1])} (runs: ${warm.map(r => ms(r.ms)).join(', ')} ms)`,
            '< 1000 ms',
        );
        const afterPaper = server.memory();

        // (a) hover and completion, idle and while training
        const long = await server.open('long.emn', LONG);
        const hoverAt = [
            positionOf(LONG, 'width 4'),
            positionOf(LONG, 'sparsity 0.5'),
            positionOf(LONG, 'LongRun'),
            positionOf(LONG, 'sgd('),
        ];
        const hover = (k: number) => ({ textDocument: { uri: long.uri }, position: hoverAt[k % hoverAt.length] });
        const completeAt = [positionOf(LONG, '    depth 2', 4), positionOf(LONG, '    batch 64', 4)];
        const completion = (k: number) => ({ textDocument: { uri: long.uri }, position: completeAt[k % completeAt.length] });
        for (let k = 0; k < hoverAt.length; k++) {
            if (!(await server.connection.sendRequest('textDocument/hover', hover(k))))
                throw new Error(`no hover at ${JSON.stringify(hoverAt[k])}`);
        }
        const idleHover = await latencies(server, 'textDocument/hover', hover);
        const idleCompletion = await latencies(server, 'textDocument/completion', completion);
        const started = server.messages.length;
        const longFinished = server.finishedOf(long.uri, 'LongRun', started);
        const firstProgress = server.next(
            started,
            m => m.method === 'emn/trainingProgress' && m.params.experiment === 'LongRun' && m.params.progress.step > 0,
            'progress of LongRun',
        );
        await server.connection.sendRequest('workspace/executeCommand', { command: 'emn.server.train', arguments: [long.uri, 'LongRun'] });
        await firstProgress; // the worker is training, not loading
        const busyHover = await latencies(server, 'textDocument/hover', hover);
        const busyCompletion = await latencies(server, 'textDocument/completion', completion);
        let stillTraining = true;
        void longFinished.then(
            () => {
                stillTraining = false;
            },
            () => undefined,
        );
        await new Promise(r => setImmediate(r));
        if (!stillTraining) throw new Error('the long training ended before the requests did: the "while training" figures are not');
        await server.connection.sendRequest('workspace/executeCommand', { command: 'emn.server.cancel', arguments: [long.uri, 'LongRun'] });
        await longFinished;
        const row = (what: string, xs: number[], goal: string) =>
            add(
                `${what} (${xs.length} requests) p50 / p95`,
                `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))} ms (max ${ms(Math.max(...xs))})`,
                goal,
            );
        row('hover, idle', idleHover, '');
        row('hover, while training', busyHover, 'p95 < 50 ms');
        row('completion, idle', idleCompletion, '');
        row('completion, while training', busyCompletion, 'p95 < 50 ms');

        // (b) validation of a generated 2,000-line spec: didOpen → publishDiagnostics, 5 files; then full-text edits
        const opens: number[] = [];
        let big: Timed | undefined;
        let bigText = '';
        for (let k = 0; k < 5; k++) {
            bigText = generatedSpec(2000, `G${k}`);
            big = await server.open(`big${k}.emn`, bigText);
            opens.push(big.ms);
        }
        const edits: number[] = [];
        for (let k = 0; k < 5; k++) edits.push(await server.edit(big!.uri, bigText.replace('steps 500', `steps ${501 + k}`)));
        add(
            `validation of a ${bigText.split('\n').length}-line spec, didOpen → publishDiagnostics (median of 5)`,
            `${ms(median(opens))} ms (${opens.map(ms).join(', ')})`,
            '< 200 ms',
        );
        add(
            'same spec, one edit (full-text didChange) → publishDiagnostics (median of 5)',
            `${ms(median(edits))} ms (${edits.map(ms).join(', ')})`,
            '',
        );

        // (e) a 12-point sweep through the server
        copyFileSync(join(ROOT, 'examples', 'sweep.emn'), join(folder, 'sweep.emn'));
        const sweep = await server.open('sweep.emn', readFileSync(join(folder, 'sweep.emn'), 'utf8'));
        const swept = await server.train(sweep.uri, 'SizesBySparsity');
        add(
            '12-point sweep examples/sweep.emn, executeCommand → trainingFinished',
            `${ms(swept.ms)} ms (${swept.result.runs.length} points, ${swept.result.steps} steps in all, ${swept.result.backend})`,
            '< 10000 ms',
        );

        // (d) peak RSS of the server process (its training worker threads included)
        const end = server.memory();
        add('server peak RSS (VmHWM) after the paper runs', `${afterPaper.peakMb.toFixed(0)} MB`, '');
        add('server peak RSS (VmHWM) after everything above', `${end.peakMb.toFixed(0)} MB (RSS now ${end.rssMb.toFixed(0)} MB)`, '');
        await server.dispose();

        // the same fresh-server cold start once more, as a second sample of the noisiest figure
        server = new Server(folder);
        await server.start();
        const again = await server.open('paper.emn', readFileSync(join(folder, 'paper.emn'), 'utf8'));
        const cold2 = await server.train(again.uri, 'Paper');
        add('click-to-result, cold, second fresh server', `${ms(cold2.ms)} ms`, '< 3000 ms');
        await server.dispose();
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
    console.log(
        `Language server (dist/language-server.cjs --stdio), Node ${process.versions.node}, ${availableParallelism()} cores, ${REQUESTS} requests per latency row\n`,
    );
    console.log('| figure | measured | goal |');
    console.log('|---|---|---|');
    for (const r of rows) console.log(`| ${r.figure} | ${r.value} | ${r.goal} |`);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
});
