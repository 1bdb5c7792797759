// Fuzzed Matrix Market files: mutated copies of the shipped graphs and small files of every field and symmetry. The
// reader answers each with a well-formed square matrix or an error on a line of the file, and `emn check` on specs
// that read them exits 0 or 1 with file:line:col diagnostics and no stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMatrixMarket } from '../engine/graphs/matrix-market.js';
import { ensureFreshDist } from './fresh-dist.js';
import { caseState, Rng, seedFrom } from './fuzz/prng.js';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.cjs');
const SEED = seedFrom(process.env.EMN_FUZZ_SEED?.trim() || '20240505');
const CASES = Number(process.env.EMN_FUZZ_MTX_CASES || 3000);

const SEEDS = [
    readFileSync(join(ROOT, 'examples', 'graphs', 'karate.mtx'), 'utf8'),
    readFileSync(join(ROOT, 'examples', 'graphs', 'grid-6x6.mtx'), 'utf8'),
    '%%MatrixMarket matrix coordinate real general\n% weights\n3 3 4\n1 1 0.5\n2 3 -1.25e-1\n3 1 2\n1 2 4\n',
    '%%MatrixMarket matrix coordinate integer symmetric\n3 3 3\n1 1 4\n2 1 1\n3 2 7\n',
    '%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 2\n2 1\n',
];
/** Tokens that hit the reader's rules: indices out of range, huge and odd numbers, header words it refuses. */
const TOKENS = ['0', '-1', '35', '1e309', '-1e-400', 'NaN', 'Infinity', 'abc', '', '1.5', '99999999999', '2.', '0x10', '+3'];
const HEADER_WORDS = ['matrix', 'vector', 'coordinate', 'array', 'real', 'integer', 'pattern', 'complex', 'general', 'symmetric'];

/** One mutated file of case `index`: one to four edits of a seed (lines, tokens, bytes, the header). */
function mutatedFile(index: number): string {
    const rng = new Rng(caseState(SEED, index));
    let lines = rng.pick(SEEDS).split('\n');
    const edits = rng.geometric(0.5, 4);
    for (let e = 0; e < edits; e++) {
        if (lines.length === 0) lines = [''];
        const at = rng.int(0, lines.length - 1);
        switch (rng.weighted({ delete: 2, duplicate: 2, swap: 2, token: 4, bytes: 1, header: 2, truncate: 1 })) {
            case 'delete':
                lines.splice(at, 1);
                break;
            case 'duplicate':
                lines.splice(at, 0, lines[at]);
                break;
            case 'swap': {
                const other = rng.int(0, lines.length - 1);
                [lines[at], lines[other]] = [lines[other], lines[at]];
                break;
            }
            case 'token': {
                const words = lines[at].split(' ');
                words[rng.int(0, words.length - 1)] = rng.pick(TOKENS);
                lines[at] = words.join(' ');
                break;
            }
            case 'bytes':
                lines[at] += String.fromCharCode(...Array.from({ length: rng.int(1, 6) }, () => rng.int(0, 0xffff)));
                break;
            case 'header': {
                const words = lines[0].split(' ');
                words[rng.int(1, Math.max(1, words.length - 1))] = rng.pick(HEADER_WORDS);
                lines[0] = words.join(' ');
                break;
            }
            case 'truncate':
                lines = lines.slice(0, at);
                break;
        }
    }
    return lines.join('\n');
}

/** What is wrong with the reader's answer to `text` (empty when it keeps its contract); counts matrices and errors. */
function readerProblems(text: string, outcomes: { matrices: number; errors: number }): string[] {
    let parsed: ReturnType<typeof parseMatrixMarket>;
    try {
        parsed = parseMatrixMarket(text);
    } catch (err) {
        return [`threw ${String(err)}`];
    }
    const lineCount = text.split(/\r?\n/).length;
    if ('error' in parsed) {
        outcomes.errors++;
        const { line, message } = parsed.error;
        return [
            ...(Number.isInteger(line) && line >= 1 && line <= lineCount + 1 ? [] : [`error on line ${line} of ${lineCount}`]),
            ...(message.trim() ? [] : ['an empty error message']),
        ];
    }
    outcomes.matrices++;
    const m = parsed.file.matrix;
    const problems: string[] = [];
    if (!(Number.isInteger(m.n) && m.n >= 1)) problems.push(`size ${m.n}`);
    if (m.rows.length !== m.cols.length || m.rows.length !== m.values.length) problems.push('entry arrays of different lengths');
    const seen = new Set<number>();
    m.rows.forEach((r, k) => {
        const c = m.cols[k];
        if (!(Number.isInteger(r) && Number.isInteger(c) && r >= 0 && c >= 0 && r < m.n && c < m.n)) problems.push(`entry (${r}, ${c})`);
        if (!Number.isFinite(m.values[k])) problems.push(`value ${m.values[k]} at (${r}, ${c})`);
        if (seen.has(r * m.n + c)) problems.push(`(${r}, ${c}) twice`);
        seen.add(r * m.n + c);
    });
    return problems;
}

describe(`Matrix Market fuzz (seed ${SEED}, ${CASES} files)`, () => {
    it('every mutated file is a well-formed square matrix or an error on one of its lines', () => {
        const failures: string[] = [];
        const outcomes = { matrices: 0, errors: 0 };
        for (let index = 0; index < CASES && failures.length < 20; index++) {
            const problems = readerProblems(mutatedFile(index), outcomes);
            if (problems.length) failures.push(`case ${index}: ${problems.join('; ')}`);
        }
        expect(failures, `replay with EMN_FUZZ_SEED and the case index`).toEqual([]);
        // both answers are exercised: the mutations leave some files readable and break others
        expect(outcomes.matrices).toBeGreaterThan(CASES / 20);
        expect(outcomes.errors).toBeGreaterThan(CASES / 20);
    });

    describe('through emn check', () => {
        const folder = mkdtempSync(join(tmpdir(), 'emn-fuzz-mtx-'));
        beforeAll(() => ensureFreshDist(), 300_000);
        afterAll(() => rmSync(folder, { recursive: true, force: true }));

        it('specs reading mutated files get exit 0 or 1, file:line:col diagnostics and no stack trace', async () => {
            const specs: string[] = [];
            for (let index = 0; index < 60; index++) {
                writeFileSync(join(folder, `g${index}.mtx`), mutatedFile(index));
                const spec = `s${index}.emn`;
                writeFileSync(
                    join(folder, spec),
                    `operation G {\n    matvec\n    matrix "g${index}.mtx"\n    normalize ${['none', 'rows', 'symmetric'][index % 3]}\n}\n` +
                        'network N { width 2  depth 1 }\nexperiment E { learn G with N  steps 10 }\n',
                );
                specs.push(spec);
            }
            const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(resolve =>
                execFile(process.execPath, [CLI, 'check', ...specs], { cwd: folder, timeout: 120_000 }, (err, stdout, stderr) =>
                    resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
                ),
            );
            expect([0, 1]).toContain(run.code);
            expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
            const lines = run.stdout.trim() === '' ? [] : run.stdout.trim().split('\n');
            for (const line of lines) expect(line).toMatch(/^s\d+\.emn:\d+:\d+: (error|warning): \S/);
            // the mutations break most files: the errors are said at the matrix string (line 3)
            expect(lines.filter(l => /^s\d+\.emn:3:\d+: error: matrix "g\d+\.mtx"/.test(l)).length).toBeGreaterThan(10);
        }, 180_000);
    });
});
