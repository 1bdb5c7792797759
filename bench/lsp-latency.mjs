// `npm run bench:lsp`: LSP-side figures of the language server (dist/language-server.cjs over stdio), as a markdown table.
// Latency of hover and completion idle and while a training runs, validation of a 2,000-line spec, click-to-result of
// examples/paper.emn (cold and warm), peak RSS of the server, and a 12-point sweep. Run `node esbuild.mjs` first.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = Number(process.env.EMN_BENCH_REQUESTS ?? 200);

/** One language server process and a client that records notifications and can wait for one. */
class Server {
    constructor(folder) {
        this.folder = folder;
        this.child = spawn(process.execPath, [join(ROOT, 'dist', 'language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
        this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
        this.waiters = [];
        this.version = 1;
        // every notification goes to the waiters; a waiter is removed when its predicate matches
        this.connection.onNotification((method, params) => {
            const now = performance.now();
            this.waiters = this.waiters.filter(w => !(w.match(method, params) && (w.resolve(now), true)));
        });
        this.connection.onRequest(() => null);
        this.connection.listen();
    }

    async initialize() {
        const uri = pathToFileURL(this.folder).href;
        await this.connection.sendRequest('initialize', {
            processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'bench' }],
            capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, completion: {}, publishDiagnostics: {} }, workspace: {} },
            initializationOptions: { trusted: true },
        });
        await this.connection.sendNotification('initialized', {});
    }

    /** Resolves with the time (performance.now()) of the first notification matching; register before triggering. */
    next(match) {
        return new Promise(resolve => this.waiters.push({ match, resolve }));
    }

    diagnosticsOf(uri) {
        return this.next((m, p) => m === 'textDocument/publishDiagnostics' && p.uri === uri);
    }

    finishedOf(uri, experiment) {
        let params;
        const time = this.next((m, p) => m === 'emn/trainingFinished' && p.uri === uri && p.experiment === experiment && (params = p, true));
        return time.then(t => ({ time: t, params }));
    }

    /** Writes a spec into the workspace, opens it and waits for its first diagnostics; returns its URI and the ms it took. */
    async open(name, text) {
        const path = join(this.folder, name);
        writeFileSync(path, text);
        const uri = pathToFileURL(path).href;
        let errors = [];
        const diagnostics = this.next((m, p) => m === 'textDocument/publishDiagnostics' && p.uri === uri && (errors = p.diagnostics.filter(d => d.severity === 1), true));
        const t0 = performance.now();
        await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'emn', version: 1, text } });
        const time = await diagnostics;
        // a spec with errors would measure a different (shorter) path than a user's working spec
        if (errors.length > 0) throw new Error(`${name}: ${errors[0].message}`);
        return { uri, ms: time - t0 };
    }

    async change(uri, text) {
        const diagnostics = this.diagnosticsOf(uri);
        const t0 = performance.now();
        await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++this.version }, contentChanges: [{ text }] });
        return (await diagnostics) - t0;
    }

    /** executeCommand train → trainingFinished, in ms; throws unless the run completed. */
    async train(uri, experiment) {
        const finished = this.finishedOf(uri, experiment);
        const t0 = performance.now();
        const reply = await this.connection.sendRequest('workspace/executeCommand', { command: 'emn.server.train', arguments: [uri, experiment] });
        if (reply.experiments.length === 0) throw new Error(`train ${experiment} refused: ${reply.message}`);
        const { time, params } = await finished;
        if (params.outcome !== 'completed') throw new Error(`${experiment} ${params.outcome}: ${params.message}`);
        return { ms: time - t0, result: params.result };
    }

    /** Peak and current resident set of the server process (worker threads included), in MB. */
    memory() {
        const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
        const kb = key => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
        return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
    }

    async dispose() {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise(r => setTimeout(r, 2000))]).catch(() => undefined);
        await this.connection.sendNotification('exit').catch(() => undefined);
        this.connection.dispose();
        this.child.kill();
    }
}

function percentile(values, p) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = values => percentile(values, 50);
const ms = x => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** Sequential requests (an editor sends one at a time while the user moves): latency of each in ms. */
async function latencies(server, method, paramsAt) {
    const times = [];
    for (let k = 0; k < REQUESTS; k++) {
        const t0 = performance.now();
        await server.connection.sendRequest(method, paramsAt(k));
        times.push(performance.now() - t0);
    }
    return times;
}

function positionOf(text, needle, delta = 1) {
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
function generatedSpec(lines, prefix) {
    const blocks = [];
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

async function main() {
    const folder = mkdtempSync(join(tmpdir(), 'emn-bench-lsp-'));
    const rows = [];
    const add = (figure, value, goal) => rows.push({ figure, value, goal });
    try {
        // (c) click-to-result, cold: a fresh server, the first run of the paper spec
        copyFileSync(join(ROOT, 'examples', 'paper.emn'), join(folder, 'paper.emn'));
        let server = new Server(folder);
        await server.initialize();
        const paper = await server.open('paper.emn', readFileSync(join(folder, 'paper.emn'), 'utf8'));
        const cold = await server.train(paper.uri, 'Paper');
        const warm = [];
        for (let k = 0; k < 3; k++) warm.push(await server.train(paper.uri, 'Paper'));
        warm.sort((a, b) => a.ms - b.ms);
        // where the time goes: the training steps themselves, and everything else (worker, backend, data, evaluation, save, LSP)
        const split = run => `${ms(run.ms)} ms: steps ${ms((1000 * run.result.steps) / run.result.stepsPerSecond)} ms + rest ${ms(run.ms - (1000 * run.result.steps) / run.result.stepsPerSecond)} ms`;
        add('click-to-result examples/paper.emn, cold (fresh server, first run)', `${split(cold)} (${cold.result.backend}, ${cold.result.steps} steps at ${cold.result.stepsPerSecond.toFixed(0)}/s)`, '< 3000 ms');
        add('click-to-result examples/paper.emn, warm (median of 3 reruns)', `${split(warm[1])} (runs: ${warm.map(r => ms(r.ms)).join(', ')} ms)`, '< 1000 ms');
        const afterPaper = server.memory();

        // (a) hover and completion, idle and while training
        const long = await server.open('long.emn', LONG);
        const hoverAt = [positionOf(LONG, 'width 4'), positionOf(LONG, 'sparsity 0.5'), positionOf(LONG, 'LongRun'), positionOf(LONG, 'sgd(')];
        const hover = k => ({ textDocument: { uri: long.uri }, position: hoverAt[k % hoverAt.length] });
        const completeAt = [positionOf(LONG, '    depth 2', 4), positionOf(LONG, '    batch 64', 4)];
        const completion = k => ({ textDocument: { uri: long.uri }, position: completeAt[k % completeAt.length] });
        for (let k = 0; k < hoverAt.length; k++) {
            if (!(await server.connection.sendRequest('textDocument/hover', hover(k)))) throw new Error(`no hover at ${JSON.stringify(hoverAt[k])}`);
        }
        const idleHover = await latencies(server, 'textDocument/hover', hover);
        const idleCompletion = await latencies(server, 'textDocument/completion', completion);
        const longFinished = server.finishedOf(long.uri, 'LongRun');
        let progressed;
        const firstProgress = new Promise(r => { progressed = r; });
        server.waiters.push({ match: (m, p) => m === 'emn/trainingProgress' && p.experiment === 'LongRun' && p.progress.step > 0, resolve: progressed });
        await server.connection.sendRequest('workspace/executeCommand', { command: 'emn.server.train', arguments: [long.uri, 'LongRun'] });
        await firstProgress; // the worker is training, not loading
        const busyHover = await latencies(server, 'textDocument/hover', hover);
        const busyCompletion = await latencies(server, 'textDocument/completion', completion);
        let stillTraining = true;
        void longFinished.then(() => { stillTraining = false; });
        await new Promise(r => setImmediate(r));
        if (!stillTraining) throw new Error('the long training ended before the requests did: the "while training" figures are not');
        await server.connection.sendRequest('workspace/executeCommand', { command: 'emn.server.cancel', arguments: [long.uri, 'LongRun'] });
        await longFinished;
        const row = (what, xs, goal) => add(`${what} (${xs.length} requests) p50 / p95`, `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))} ms (max ${ms(Math.max(...xs))})`, goal);
        row('hover, idle', idleHover, '');
        row('hover, while training', busyHover, 'p95 < 50 ms');
        row('completion, idle', idleCompletion, '');
        row('completion, while training', busyCompletion, 'p95 < 50 ms');

        // (b) validation of a generated 2,000-line spec: didOpen → publishDiagnostics, 5 files; then full-text edits
        const opens = [];
        let big;
        let bigText;
        for (let k = 0; k < 5; k++) {
            bigText = generatedSpec(2000, `G${k}`);
            big = await server.open(`big${k}.emn`, bigText);
            opens.push(big.ms);
        }
        const edits = [];
        for (let k = 0; k < 5; k++) edits.push(await server.change(big.uri, bigText.replace('steps 500', `steps ${501 + k}`)));
        add(`validation of a ${bigText.split('\n').length}-line spec, didOpen → publishDiagnostics (median of 5)`, `${ms(median(opens))} ms (${opens.map(ms).join(', ')})`, '< 200 ms');
        add('same spec, one edit (full-text didChange) → publishDiagnostics (median of 5)', `${ms(median(edits))} ms (${edits.map(ms).join(', ')})`, '');

        // (e) a 12-point sweep through the server
        copyFileSync(join(ROOT, 'examples', 'sweep.emn'), join(folder, 'sweep.emn'));
        const sweep = await server.open('sweep.emn', readFileSync(join(folder, 'sweep.emn'), 'utf8'));
        const swept = await server.train(sweep.uri, 'SizesBySparsity');
        add('12-point sweep examples/sweep.emn, executeCommand → trainingFinished', `${ms(swept.ms)} ms (${swept.result.runs.length} points, ${swept.result.steps} steps in all, ${swept.result.backend})`, '< 10000 ms');

        // (d) peak RSS of the server process (its training worker threads included)
        const end = server.memory();
        add('server peak RSS (VmHWM) after the paper runs', `${afterPaper.peakMb.toFixed(0)} MB`, '');
        add('server peak RSS (VmHWM) after everything above', `${end.peakMb.toFixed(0)} MB (RSS now ${end.rssMb.toFixed(0)} MB)`, '');
        await server.dispose();

        // the same fresh-server cold start once more, as a second sample of the noisiest figure
        server = new Server(folder);
        await server.initialize();
        const again = await server.open('paper.emn', readFileSync(join(folder, 'paper.emn'), 'utf8'));
        const cold2 = await server.train(again.uri, 'Paper');
        add('click-to-result, cold, second fresh server', `${ms(cold2.ms)} ms`, '< 3000 ms');
        await server.dispose();
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
    console.log(`Language server (dist/language-server.cjs --stdio), Node ${process.versions.node}, ${availableParallelism()} cores, ${REQUESTS} requests per latency row\n`);
    console.log('| figure | measured | goal |');
    console.log('|---|---|---|');
    for (const r of rows) console.log(`| ${r.figure} | ${r.value} | ${r.goal} |`);
}

main().catch(err => { console.error(err); process.exit(1); });
