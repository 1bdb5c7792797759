// One run across cores (engine/training/split-run.ts): `emn train` processes at n = 500 with --split 1 and 2, alternating,
// medians (steps/s, every step of the run), and the peak RSS of one run at n = 500, 1000, 2000 (the cost model's split).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAvg, median, runEmn, specText } from './user-path.mjs';

const quick = process.env.BENCH_QUICK === '1';

/** A spec of one run at size n (w 4, d 2, B 64, sgd momentum, binary A, sparsity 0.5) in its own folder of `dir`. */
function specFile(dir, n, steps) {
    const specDir = join(dir, `n${n}-${steps}`);
    mkdirSync(specDir, { recursive: true });
    const file = join(specDir, 'bench.emn');
    writeFileSync(file, specText({ n, opt: 'sgd', sparsity: 0.5, steps }));
    return file;
}

/** Steps/s of one run at n with --split 1 and --split 2, `repeats` processes each, alternating; medians and their ratio. */
export function splitSpeedup(n = 500, steps = quick ? 40 : 300, repeats = quick ? 1 : 5) {
    const dir = mkdtempSync(join(tmpdir(), 'emn-split-'));
    const lines = [];
    try {
        const file = specFile(dir, n, steps);
        const one = [],
            two = [];
        const load0 = loadAvg();
        for (let r = 0; r < repeats; r++) {
            // alternating, and the order flipped every other repeat, so a load swing falls on both
            const order = r % 2 === 0 ? [1, 2] : [2, 1];
            for (const threads of order) (threads === 1 ? one : two).push(runEmn(file, dir, ['--split', String(threads)]).sps);
        }
        const m1 = median(one),
            m2 = median(two);
        lines.push(
            `One run at n = ${n} (w 4, d 2, B 64, sgd momentum, ${steps} steps): \`emn train --split 1\` vs \`--split 2\`, ` +
                `${repeats} processes each, alternating. Load average before: ${load0}; after: ${loadAvg()}.`,
            '',
            '| threads | steps/s (each process) | median | vs 1 thread |',
            '|---:|---|---:|---:|',
            `| 1 | ${one.map(s => s.toFixed(1)).join(', ')} | ${m1.toFixed(1)} | 1.00x |`,
            `| 2 | ${two.map(s => s.toFixed(1)).join(', ')} | ${m2.toFixed(1)} | ${(m2 / m1).toFixed(2)}x |`,
        );
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    return lines;
}

/** Peak RSS (process.resourceUsage().maxRSS, every thread) of one run at each n, with the cost model's threads and with 1. */
export function splitMemory(sizes = quick ? [500] : [500, 1000, 2000], steps = quick ? 5 : 20) {
    const dir = mkdtempSync(join(tmpdir(), 'emn-split-rss-'));
    const lines = [
        `Peak RSS of one \`emn train\` run (w 4, d 2, B 64, sgd momentum, ${steps} steps, evaluation 256 samples). Load average ` +
            `before: ${loadAvg()}.`,
        '',
        '| n | parameters | default (cost model) peak RSS | steps/s | `--split 1` peak RSS | steps/s |',
        '|---:|---:|---:|---:|---:|---:|',
    ];
    try {
        for (const n of sizes) {
            const file = specFile(dir, n, steps);
            const auto = runEmn(file, dir),
                one = runEmn(file, dir, ['--split', '1']);
            const mb = r => (r.rssKb ? `${(r.rssKb / 1024).toFixed(0)} MB` : '-');
            const params = n * n * 4 + n * 16 + n * 4;
            lines.push(
                `| ${n} | ${params.toLocaleString('en')} | ${mb(auto)} | ${auto.sps.toFixed(2)} | ${mb(one)} | ${one.sps.toFixed(2)} |`,
            );
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    lines.push('', `Load average after: ${loadAvg()}.`);
    return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    console.log([...splitSpeedup(), '', ...splitMemory()].join('\n'));
}
