// Fuzzes `emn check` on files: exit 0 or 1 only, every output line `file:line:col: severity: message` inside its file.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt } from './fuzz/build.js';
import { fuzzConfig, loadCorpus, ROOT, writeFailure } from './fuzz/corpus.js';
import { CAUGHT_CRASH, CHECK_LINE, lspLines } from './fuzz/invariants.js';
import { makeCase } from './fuzz/mutate.js';
import { caseState, Rng } from './fuzz/prng.js';

const config = fuzzConfig(1000);
const HUGE_EVERY = Number(process.env.EMN_FUZZ_HUGE_EVERY || 250);
// one CLI case per ten fuzz cases; indices ending in 9 so the huge cases (every 250th) are among them
const CLI_CASES = process.env.EMN_FUZZ_ONLY ? config.indices : Array.from({ length: Math.ceil(config.cases / 10) }, (_, i) => i * 10 + 9);
const BATCH = 20;
const CLI = join(ROOT, 'bin', 'emn.cjs');

interface Input {
    index: number;
    path: string;
    text: string | undefined;
    label: string;
}
interface RunResult {
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
    ms: number;
}

function runCheck(paths: string[], cwd: string): Promise<RunResult> {
    const t0 = Date.now();
    return new Promise(resolve => {
        execFile(
            process.execPath,
            [CLI, 'check', ...paths],
            { cwd, maxBuffer: 512 * 1024 * 1024, timeout: 300_000 },
            (err, stdout, stderr) => {
                const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
                resolve({ code, signal: err?.signal ?? null, stdout, stderr, ms: Date.now() - t0 });
            },
        );
    });
}

/** Problems with one `emn check` run over `inputs` (empty when the output keeps the contract). */
function checkRun(run: RunResult, inputs: Input[]): string[] {
    const problems: string[] = [];
    if (run.code !== 0 && run.code !== 1) problems.push(`exit ${run.code}${run.signal ? ` (signal ${run.signal})` : ''}, expected 0 or 1`);
    if (/internal error|^\s+at .+:\d+:\d+\)?$/m.test(run.stderr)) problems.push(`stack trace on stderr: ${run.stderr.slice(0, 2000)}`);
    const byLength = [...inputs].sort((a, b) => b.path.length - a.path.length);
    const lineCache = new Map<string, string[]>();
    let errors = 0;
    const out = run.stdout.endsWith('\n') ? run.stdout.slice(0, -1) : run.stdout;
    for (const line of out === '' ? [] : out.split('\n')) {
        if (!CHECK_LINE.test(line)) {
            problems.push(`line not in the file:line:col: severity: message form: ${JSON.stringify(line.slice(0, 300))}`);
            continue;
        }
        // a path may itself contain ":1:2: error: " (and messages name other files): split after the longest known path
        const input = byLength.find(i => line.startsWith(`${i.path}:`));
        if (!input) {
            problems.push(`unknown file in: ${JSON.stringify(line.slice(0, 300))}`);
            continue;
        }
        const m = /^(\d+):(\d+): (error|warning|info): (.+)$/.exec(line.slice(input.path.length + 1));
        if (!m) {
            problems.push(`line not in the file:line:col: severity: message form: ${JSON.stringify(line.slice(0, 300))}`);
            continue;
        }
        const [, l, c, severity, message] = m;
        const path = input.path;
        if (severity === 'error') errors++;
        if (CAUGHT_CRASH.test(message)) problems.push(`a validator threw: ${line.slice(0, 300)}`);
        if (input.text === undefined) {
            if (l !== '1' || c !== '1') problems.push(`unreadable ${input.label} reported at ${l}:${c}, expected 1:1`);
            continue;
        }
        if (!lineCache.has(path)) lineCache.set(path, lspLines(input.text));
        const lines = lineCache.get(path)!;
        const ln = Number(l),
            col = Number(c);
        if (ln < 1 || ln > lines.length) problems.push(`line ${ln} outside 1..${lines.length}: ${line.slice(0, 300)}`);
        else if (col < 1 || col > lines[ln - 1].length + 1)
            problems.push(`column ${col} outside 1..${lines[ln - 1].length + 1}: ${line.slice(0, 300)}`);
    }
    if (run.code === 0 && errors > 0) problems.push(`exit 0 with ${errors} errors reported`);
    if (run.code === 1 && errors === 0) problems.push('exit 1 without any error reported');
    return [...new Set(problems)].slice(0, 20);
}

describe(`emn check fuzz (seed ${config.seedText}, ${CLI_CASES.length} files)`, () => {
    let dir: string;
    beforeAll(async () => {
        await ensureBuilt(['cli.cjs']);
        dir = mkdtempSync(join(tmpdir(), 'emn-fuzz-check-'));
    });
    afterAll(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Files that are not specs at all: the CLI must say so as a diagnostic, not crash. */
    function oddInputs(): Input[] {
        const odd = join(dir, 'odd');
        mkdirSync(odd, { recursive: true });
        const rng = new Rng(caseState(config.seed, -1));
        const bytes = Buffer.from(Array.from({ length: 4096 }, () => rng.int(0, 255)));
        const inputs: Input[] = [];
        const file = (name: string, content: string | Buffer, label: string) => {
            const path = join(odd, name);
            writeFileSync(path, content);
            inputs.push({ index: -1, path, text: readFileSync(path, 'utf8'), label });
        };
        file('binary.emn', bytes, 'binary file');
        file('empty.emn', '', 'empty file');
        file('bom.emn', '\ufeffoperation Op { matvec }\n', 'BOM');
        file('colon:1:2: error: x.emn', 'operation Op { size 0 }\n', 'colons in the name');
        file('spaces and ünïcode 😀.emn', 'network N { width -1 }\n', 'unicode name');
        file('not-emn.txt', 'experiment E { learn Missing with Nothing }\n', 'other extension');
        mkdirSync(join(odd, 'a-directory.emn'), { recursive: true });
        inputs.push({ index: -1, path: join(odd, 'a-directory.emn'), text: undefined, label: 'directory' });
        inputs.push({ index: -1, path: join(odd, 'does-not-exist.emn'), text: undefined, label: 'missing file' });
        const locked = join(odd, 'no-permission.emn');
        writeFileSync(locked, 'operation Op { matvec }\n');
        chmodSync(locked, 0o000);
        // root reads it anyway: then it is an ordinary file
        let lockedText: string | undefined;
        try {
            lockedText = readFileSync(locked, 'utf8');
        } catch {
            lockedText = undefined;
        }
        inputs.push({ index: -1, path: locked, text: lockedText, label: 'unreadable file' });
        return inputs;
    }

    test(
        'mutated files get exit 0 or 1 and well-formed, in-range diagnostics',
        async () => {
            const corpus = loadCorpus();
            const batches: Input[][] = [oddInputs()];
            for (let b = 0; b * BATCH < CLI_CASES.length; b++) {
                // one directory per batch: check loads sibling .emn files, so a batch is also a small workspace
                const batchDir = join(dir, `batch-${b}`);
                mkdirSync(batchDir);
                batches.push(
                    CLI_CASES.slice(b * BATCH, (b + 1) * BATCH).map(index => {
                        const c = makeCase(corpus, config.seed, index, { hugeEvery: HUGE_EVERY });
                        const path = join(batchDir, `case-${index}.emn`);
                        writeFileSync(path, c.text);
                        // what the CLI reads: lone surrogates were written as U+FFFD
                        return { index, path, text: readFileSync(path, 'utf8'), label: `case ${index} (${c.base}; ${c.ops.join(', ')})` };
                    }),
                );
            }
            const failures: string[] = [];
            const started = Date.now();
            // two batches at a time: one per core
            for (let b = 0; b < batches.length; b += 2) {
                const group = batches.slice(b, b + 2);
                const runs = await Promise.all(
                    group.map(inputs =>
                        runCheck(
                            inputs.map(i => i.path),
                            dir,
                        ),
                    ),
                );
                group.forEach((inputs, k) => {
                    const problems = checkRun(runs[k], inputs);
                    if (problems.length === 0) return;
                    // name the case(s) a problem line points at, so one input can be replayed
                    const culprits = inputs.filter(i => problems.some(p => p.includes(i.path)) || inputs.length === 1);
                    const blamed = culprits.length > 0 ? culprits : inputs;
                    for (const input of blamed) {
                        if (input.index >= 0)
                            writeFailure('check', config, input.index, input.text ?? '', {
                                label: input.label,
                                problems,
                                stderr: runs[k].stderr.slice(0, 20_000),
                            });
                    }
                    const message = `batch ${b + k}: ${problems.join('\n    ')}\n    inputs: ${blamed.map(i => i.label).join('; ')}`;
                    failures.push(message);
                    console.error(`fuzz-check: seed ${config.seedText} ${message}`);
                });
            }
            console.log(
                `fuzz-check: ${CLI_CASES.length} mutated files and ${batches[0].length} odd inputs in ${batches.length} runs, ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${config.seedText}`,
            );
            expect(failures, `seed ${config.seedText}: failing inputs are in test-results/fuzz-failures/`).toEqual([]);
        },
        Math.max(300_000, CLI_CASES.length * 3_000),
    );
});
