// Fuzzes the real language server over stdio: mutated specs must get well-formed diagnostics, hover and completion answers, and no crash.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CompletionRequest, HoverRequest, ResponseError, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ensureBuilt } from './fuzz/build.js';
import { fuzzConfig, loadCorpus, ROOT, writeFailure } from './fuzz/corpus.js';
import { checkDiagnostic, lspLines, messageText } from './fuzz/invariants.js';
import { makeCase, type FuzzCase } from './fuzz/mutate.js';
import { caseState, Rng } from './fuzz/prng.js';
import { LspStdioClient, type Recorded } from './lsp-stdio-client.js';

const config = fuzzConfig(1000);
// 4 huge (10^5-line) cases per 1000: each costs seconds, and CI must stay within a few minutes
const HUGE_EVERY = Number(process.env.EMN_FUZZ_HUGE_EVERY || 250);
const MAX_FAILURES = Number(process.env.EMN_FUZZ_MAX_FAILURES || 25);
const MAX_RESTARTS = 5;
const TIMEOUT_MS = 20_000;
const HUGE_TIMEOUT_MS = 120_000;
const INTERNAL_ERROR = -32603;
// the file need not exist: the server works on the text the client sends
const uri = pathToFileURL(join(ROOT, 'test-results', 'fuzz', 'fuzz.emn')).href;

interface Failure {
    index: number;
    problem: string;
    file?: string;
}

/** window/logMessage text: the server's console.error (e.g. a validator's stack trace) arrives here, not on stderr. */
function logText(messages: Recorded[]): string {
    return messages
        .filter(m => m.method === 'window/logMessage')
        .map(m => `${m.params.message}\n`)
        .join('');
}

describe(`language server fuzz (seed ${config.seedText}, ${config.cases} cases)`, () => {
    let session: LspStdioClient;

    /** Spawns the server, initializes it and opens the one document every case is written into. */
    async function startSession(): Promise<void> {
        session = new LspStdioClient();
        // requests from the server (none are expected: the client declares no dynamic registration, configuration or
        // progress support) get a null answer, which the server must tolerate anyway
        session.launch({ script: join(ROOT, 'dist', 'language-server.cjs'), args: ['--stdio'], cwd: ROOT });
        await session.initialize(
            {
                processId: process.pid,
                rootUri: null,
                workspaceFolders: null,
                capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, hover: {}, completion: {} } },
            },
            TIMEOUT_MS,
        );
        await session.didOpen(uri, 'operation Op { matvec }');
        await nextDiagnostics(0, TIMEOUT_MS);
    }

    async function stopSession(): Promise<void> {
        // a polite shutdown first; the kill by pid is the fallback
        await session?.dispose();
    }

    /** The first publishDiagnostics recorded from index `from` on. */
    async function nextDiagnostics(
        from: number,
        ms: number,
        match: (p: PublishDiagnosticsParams) => boolean = () => true,
    ): Promise<PublishDiagnosticsParams> {
        const m = await session.waitFor(
            m => m.method === 'textDocument/publishDiagnostics' && match(m.params),
            ms,
            from,
            'publishDiagnostics',
        );
        return m.params;
    }

    beforeAll(async () => {
        await ensureBuilt(['language-server.cjs']);
        await startSession();
    });

    afterAll(stopSession);

    /**
     * Langium publishes without a version, so each case is preceded by a sentinel text whose parse error names
     * `fuzz_sync_<index>`: the first publish after the sentinel's is the case's own, never a stale one.
     */
    async function syncBarrier(index: number, ms: number): Promise<void> {
        const marker = `fuzz_sync_${index}`;
        const from = session.messages.length;
        await session.change(uri, marker);
        await nextDiagnostics(from, ms, p => p.uri === uri && p.diagnostics.some(d => messageText(d.message).includes(marker)));
    }

    async function request(kind: 'hover' | 'completion', line: number, character: number, ms: number): Promise<string | undefined> {
        const type = kind === 'hover' ? HoverRequest.type : CompletionRequest.type;
        try {
            // null is an answer; what matters is that one comes and that it is not an internal error
            await session.race(
                session.connection.sendRequest(type as typeof HoverRequest.type, { textDocument: { uri }, position: { line, character } }),
                ms,
                `${kind} answer`,
            );
            return undefined;
        } catch (err) {
            if (err instanceof ResponseError) {
                return err.code === INTERNAL_ERROR
                    ? `${kind} at ${line}:${character} failed with internal error: ${err.message}`
                    : undefined;
            }
            throw err;
        }
    }

    /** Runs one case; returns its problems (empty when it holds). Throws when the server is gone or stuck. */
    async function runCase(c: FuzzCase): Promise<string[]> {
        const ms = c.huge ? HUGE_TIMEOUT_MS : TIMEOUT_MS;
        await syncBarrier(c.index, ms);
        const from = session.messages.length;
        const sent = await session.change(uri, c.text);
        const published = await nextDiagnostics(from, ms);
        const problems: string[] = [];
        if (published.uri !== uri) problems.push(`diagnostics for another document: ${published.uri}`);
        if (published.version !== undefined && published.version !== sent)
            problems.push(`diagnostics of version ${published.version}, expected ${sent}`);
        const lines = lspLines(c.text);
        if (process.env.EMN_FUZZ_VERBOSE) {
            console.log(
                `case ${c.index} (${c.base}; ${c.ops.join(',')}; ${lines.length} lines): ${published.diagnostics.length} diagnostics; first: ${messageText(published.diagnostics[0]?.message ?? '').slice(0, 120)}`,
            );
        }
        for (const d of published.diagnostics) problems.push(...checkDiagnostic(d, lines));
        const rng = new Rng(caseState(config.seed ^ 0x5eed, c.index));
        const position = (): [number, number] => {
            const line = rng.int(0, lines.length - 1);
            // LSP says a character past the line end means the end: servers must accept it
            return [line, rng.chance(0.9) ? rng.int(0, lines[line].length) : lines[line].length + rng.int(1, 3)];
        };
        const answers = await Promise.all([request('hover', ...position(), ms), request('completion', ...position(), ms)]);
        problems.push(...answers.filter((a): a is string => a !== undefined));
        return [...new Set(problems)].slice(0, 20);
    }

    test(
        'mutated specs never crash the server and get well-formed answers',
        async () => {
            const corpus = loadCorpus();
            const failures: Failure[] = [];
            const timings: { index: number; ms: number; ops: string }[] = [];
            const started = Date.now();
            let deaths = 0;
            for (const index of config.indices) {
                const c = makeCase(corpus, config.seed, index, { hugeEvery: HUGE_EVERY });
                // what earlier cases recorded is not needed again (10,000 cases would keep it all)
                session.forget();
                const stderrBefore = session.stderr.length;
                const t0 = Date.now();
                let problems: string[];
                let fatal = false;
                try {
                    problems = await runCase(c);
                } catch (err) {
                    problems = [String(err instanceof Error ? err.message : err)];
                    fatal = true;
                }
                timings.push({ index, ms: Date.now() - t0, ops: c.ops.join(',') });
                if (problems.length > 0) {
                    const file = writeFailure('lsp', config, index, c.text, {
                        base: c.base,
                        ops: c.ops,
                        problems,
                        stderr: session.stderr.slice(stderrBefore).slice(-20_000),
                        log: logText(session.messages).slice(-20_000),
                        exit: session.exit,
                    });
                    failures.push({ index, problem: problems.join('\n    '), file });
                    console.error(
                        `fuzz-lsp: seed ${config.seedText} case ${index} (${c.base}; ${c.ops.join(', ')}) failed:\n    ${problems.join('\n    ')}\n    input: ${file}`,
                    );
                }
                if (failures.length >= MAX_FAILURES) break;
                if (fatal) {
                    // a dead or stuck server cannot answer the next case: a fresh one can, so one crash hides no others
                    deaths++;
                    if (deaths > MAX_RESTARTS) break;
                    await stopSession();
                    await startSession();
                }
            }
            const slowest = [...timings]
                .sort((a, b) => b.ms - a.ms)
                .slice(0, 5)
                .map(t => `#${t.index} ${t.ms} ms (${t.ops})`);
            console.log(
                `fuzz-lsp: ${timings.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${config.seedText}; slowest: ${slowest.join('; ')}`,
            );
            if (failures.length > 0 && session.stderr.trim())
                console.error(`fuzz-lsp: server stderr (tail):\n${session.stderr.slice(-4000)}`);
            expect(
                failures.map(f => `case ${f.index}: ${f.problem}\n    input: ${f.file}`),
                `seed ${config.seedText}: replay one case with EMN_FUZZ_SEED=${config.seedText} EMN_FUZZ_ONLY=<index>`,
            ).toEqual([]);
            expect(deaths, 'server processes that exited or hung').toBe(0);
        },
        Math.max(300_000, config.cases * 2_000),
    );
});
