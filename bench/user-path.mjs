// The user's path: `emn train` as a process on a spec (its own stepsPerSecond) against bench/pytorch_emn.py as a
// process with the same settings, alternating, medians of repeats; GFLOP/s beside PyTorch's one-core sgemm.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.env.BENCH_QUICK === '1';
const W = 4,
    D = 2,
    B = 64;
/** The CLI bundle to measure (EMN_BENCH_CLI: e.g. an older dist/ to compare against). */
const CLI = process.env.EMN_BENCH_CLI ?? join(ROOT, 'bin/emn.cjs');
const RSS_HOOK = join(ROOT, 'bench/max-rss.cjs');
/** The Python with torch (run-bench.mjs finds it and sets this before calling in), or '' for none. */
const pythonPath = () => process.env.EMN_BENCH_PYTHON || '';

export const median = xs => {
    const s = [...xs].sort((a, b) => a - b),
        m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Multiply-adds of one training step of the rowwise EMN, counting the useful work only (see bench/FLOPS.md):
 * masked layer forward and its weight gradient over the non-zeros of A (n * n(1-s) * w per sample each; no input
 * gradient: the input needs none), each pruned w x w layer forward + weight gradient + input gradient (3 n w^2 per
 * sample), the output layer likewise (3 n w). The optimiser update and drawing the batch are not counted.
 */
export function macsPerStep(n, sparsity, w = W, d = D, batch = B) {
    const masked = 2 * n * n * (1 - sparsity) * w;
    const hidden = (d - 1) * 3 * n * w * w;
    const output = 3 * n * w;
    return batch * (masked + hidden + output);
}

export function specText(c) {
    const opt = c.opt === 'adam' ? 'adam(lr 0.01)' : 'sgd(lr 0.05, momentum 0.9)';
    return `operation M { matvec size ${c.n} sparsity ${c.sparsity} entries binary }
network E { width ${W} depth ${D} masking 1 pruning rowwise }
experiment Bench {
    learn M with E
    optimizer ${opt}
    batch ${B}
    steps ${c.steps}
    seed 1
    evaluate 256 samples
}
`;
}

/** One `emn train --json` process: its stepsPerSecond and peak RSS. */
export function runEmn(file, outDir, extra = []) {
    const r = spawnSync(process.execPath, ['--require', RSS_HOOK, CLI, 'train', file, '--json', '--out', outDir, ...extra], {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...process.env, EMN_MAX_RSS_FILE: join(outDir, 'rss.txt') },
    });
    if (r.status !== 0) throw new Error(`emn train failed (${r.status}): ${r.stderr || r.stdout}`);
    const json = JSON.parse(r.stdout);
    const res = Array.isArray(json) ? json[0] : json;
    return { sps: res.stepsPerSecond, mse: res.metrics?.mse, rssKb: readRss(join(outDir, 'rss.txt')) };
}

function readRss(file) {
    try {
        return Number(spawnSync('cat', [file], { encoding: 'utf8' }).stdout.trim()) || undefined;
    } catch {
        return undefined;
    }
}

function runTorch(c, threads = 1) {
    const args = [
        join(ROOT, 'bench/pytorch_emn.py'),
        ...[c.n, W, D, B, c.steps, c.sparsity, c.opt === 'adam' ? 0.01 : 0.05, 0.9].map(String),
        '--threads',
        String(threads),
    ];
    if (c.opt === 'adam') args.push('--adam');
    const r = spawnSync(pythonPath(), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pytorch_emn.py failed: ${r.stderr}`);
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1));
    return { sps: j.stepsPerSecond, rssKb: j.maxRssKb };
}

/** PyTorch's 512 x 512 sgemm on one thread (GFLOP/s), and the BLAS libraries torch loaded for it. */
export function sgemmPeer() {
    if (!pythonPath()) return undefined;
    const r = spawnSync(pythonPath(), [join(ROOT, 'bench/pytorch_emn.py'), '--sgemm'], { encoding: 'utf8' });
    if (r.status !== 0) return undefined;
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1));
    return { gflops: j.sgemmGflops, blas: (j.blas ?? []).map(p => p.split('/').slice(-2).join('/')).join(', ') || 'none found' };
}

export const loadAvg = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ');

export function userPathTable() {
    const python = pythonPath();
    const repeats = Number(process.env.BENCH_REPEATS ?? 3);
    const steps = Number(process.env.BENCH_STEPS ?? (quick ? 1000 : 3000));
    const sizes = (process.env.BENCH_SIZES ?? (quick ? '5,20,50' : '5,10,20,50,100')).split(',').map(Number);
    const configs = [];
    const opts = (process.env.BENCH_OPTS ?? (quick ? 'sgd' : 'sgd,adam')).split(',').filter(Boolean);
    for (const opt of opts) for (const n of sizes) configs.push({ n, opt, sparsity: 0.5, steps });
    if (sizes.includes(50)) for (const sparsity of [0.2, 0.8]) configs.push({ n: 50, opt: 'sgd', sparsity, steps });
    const dir = mkdtempSync(join(tmpdir(), 'emn-userpath-'));
    const rows = [];
    const load0 = loadAvg();
    const peer = sgemmPeer(),
        ceiling = peer?.gflops;
    try {
        for (const c of configs) {
            // one folder per spec: the .emn files of a folder share one namespace
            const specDir = join(dir, `n${c.n}-${c.opt}-${c.sparsity}`);
            mkdirSync(specDir);
            const file = join(specDir, 'bench.emn');
            writeFileSync(file, specText(c));
            const emn = [],
                torch = [];
            for (let r = 0; r < repeats; r++) {
                // alternating, so both see the same machine load
                const out = join(dir, `out-${r}`);
                mkdirSync(out, { recursive: true });
                emn.push(runEmn(file, out));
                if (python) torch.push(runTorch(c));
            }
            const row = {
                ...c,
                emn: median(emn.map(e => e.sps)),
                torch: python ? median(torch.map(t => t.sps)) : undefined,
                emnRssKb: Math.max(...emn.map(e => e.rssKb ?? 0)),
                torchRssKb: python ? Math.max(...torch.map(t => t.rssKb ?? 0)) : undefined,
            };
            rows.push(row);
            process.stderr.write(
                `user path ${JSON.stringify({ ...row, emnRuns: emn.map(e => Math.round(e.sps)), torchRuns: torch.map(t => Math.round(t.sps)) })}\n`,
            );
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    const f0 = v => (typeof v === 'number' ? v.toFixed(0) : '-');
    const gf = (sps, c) => ((2 * macsPerStep(c.n, c.sparsity) * sps) / 1e9).toFixed(2);
    const lines = [];
    lines.push(`## 1. The user's path: \`emn train\` as a process vs bench/pytorch_emn.py as a process`);
    lines.push(
        `w ${W}, d ${D}, B ${B}, binary A, ${steps} steps, no early stop, default backend; each cell the median of ${repeats} processes, emn and PyTorch alternating.`,
    );
    lines.push(
        `emn: its own stepsPerSecond from --json (every step of the run, no warm-up); PyTorch: torch.set_num_threads(1), timed after 20 warm-up steps.`,
    );
    lines.push(
        `GFLOP/s = 2 x useful multiply-adds per step (bench/FLOPS.md) x steps/s. Ceiling: PyTorch sgemm 512 x 512, 1 thread, this run: ${ceiling ? `${ceiling.toFixed(1)} GFLOP/s (BLAS: ${peer.blas})` : 'unavailable (torch missing)'}.`,
    );
    lines.push(`Load average before: ${load0}; after: ${loadAvg()}.`);
    lines.push('');
    lines.push(
        '| n | optimizer | sparsity | emn train steps/s | PyTorch 1 thread steps/s | ratio | emn GFLOP/s | PyTorch GFLOP/s | emn share of ceiling | peak RSS emn / PyTorch (MB) |',
    );
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
        const ratio = r.torch ? `${(r.emn / r.torch).toFixed(2)}x` : '-';
        const share = ceiling ? `${((100 * 2 * macsPerStep(r.n, r.sparsity) * r.emn) / 1e9 / ceiling).toFixed(0)}%` : '-';
        const rss = `${(r.emnRssKb / 1024).toFixed(0)} / ${r.torchRssKb ? (r.torchRssKb / 1024).toFixed(0) : '-'}`;
        lines.push(
            `| ${r.n} | ${r.opt === 'adam' ? 'adam(lr 0.01)' : 'sgd(lr 0.05, momentum 0.9)'} | ${r.sparsity} | ${f0(r.emn)} | ${f0(r.torch)} | ${ratio} | ${gf(r.emn, r)} | ${r.torch ? gf(r.torch, r) : '-'} | ${share} | ${rss} |`,
        );
    }
    if (!python)
        lines.push('', "PyTorch columns skipped: no python3 with torch found (install Debian's python3-torch; run with /usr/bin/python3).");
    return { lines, rows, ceiling };
}

/**
 * Sweep wall time, the user's path: `time emn train <spec> --workers 1` against `--workers N` (N = the cores), whole
 * processes (start-up, parsing, worker threads, evaluation, writing results), alternating, the median of
 * BENCH_SWEEP_REPEATS (default 5) each; every run's numbers are compared with the first 1-worker run's.
 */
export function sweepWallTimes(cores) {
    const repeats = Number(process.env.BENCH_SWEEP_REPEATS ?? (quick ? 3 : 5));
    const sweeps = [
        { label: 'examples/sweep.emn (12 points, adam, stop at mse < 1e-8)', args: ['examples/sweep.emn'] },
        {
            label: 'bench/specs/ablations.emn --experiment SweepSgd (12 points, sgd momentum)',
            args: ['bench/specs/ablations.emn', '--experiment', 'SweepSgd'],
        },
        {
            label: 'bench/specs/ablations.emn --experiment SweepLarge (12 points, n = 20-50, 3000 steps each)',
            args: ['bench/specs/ablations.emn', '--experiment', 'SweepLarge'],
        },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'emn-sweep-'));
    const lines = [
        `## 3. Sweep wall time: \`emn train <spec> --workers 1\` vs \`--workers ${cores}\``,
        '',
        `Each process timed whole (node start-up to exit), the two alternating, median of ${repeats}; load average before: ${loadAvg()}.`,
        '',
        '| sweep | --workers 1: wall s (median) | --workers ' +
            cores +
            ': wall s (median) | ratio | numbers identical | all runs (s), 1 / ' +
            cores +
            ' |',
        '|---|---:|---:|---:|---|---|',
    ];
    try {
        for (const sweep of sweeps) {
            const run = (workers, k) => {
                const out = join(dir, `w${workers}-${k}`);
                mkdirSync(out, { recursive: true });
                const t0 = performance.now();
                const r = spawnSync(process.execPath, [CLI, 'train', ...sweep.args, '--json', '--out', out, '--workers', String(workers)], {
                    encoding: 'utf8',
                    cwd: ROOT,
                });
                return { ms: performance.now() - t0, status: r.status, stdout: r.stdout, stderr: r.stderr };
            };
            const metrics = s =>
                JSON.stringify(
                    (Array.isArray(JSON.parse(s)) ? JSON.parse(s) : [JSON.parse(s)]).map(e =>
                        (e.runs ?? []).map(r => [r.metrics, r.steps, r.lossCurve]),
                    ),
                );
            const one = [],
                many = [];
            let reference,
                same = true,
                failure;
            for (let k = 0; k < repeats && !failure; k++) {
                for (const [workers, into] of [
                    [1, one],
                    [cores, many],
                ]) {
                    const r = run(workers, k);
                    if (r.status !== 0) {
                        failure = `${workers} workers: ${r.stderr.trim().split('\n').at(-1)}`;
                        break;
                    }
                    reference ??= metrics(r.stdout);
                    if (metrics(r.stdout) !== reference) same = false;
                    into.push(r.ms / 1000);
                }
            }
            if (failure) {
                lines.push(`| ${sweep.label} | failed: ${failure} | | | | |`);
                continue;
            }
            const m1 = median(one),
                mN = median(many);
            lines.push(
                `| ${sweep.label} | ${m1.toFixed(2)} | ${mN.toFixed(2)} | ${(mN / m1).toFixed(2)} | ${same ? 'yes' : 'NO'} | ${one.map(v => v.toFixed(2)).join(' ')} / ${many.map(v => v.toFixed(2)).join(' ')} |`,
            );
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    lines.push('', `Load average after: ${loadAvg()}.`);
    return lines;
}

/** Scale: n = 200 and 500 through `emn train` (fewer steps), steps/s and peak RSS. */
export function scaleRows(sizes = [200, 500], steps = quick ? 30 : 200) {
    const dir = mkdtempSync(join(tmpdir(), 'emn-scale-'));
    const out = [];
    try {
        for (const n of sizes) {
            const c = { n, opt: 'sgd', sparsity: 0.5, steps };
            const specDir = join(dir, `n${n}`);
            mkdirSync(specDir);
            const file = join(specDir, 'bench.emn');
            writeFileSync(file, specText(c));
            const r = runEmn(file, dir);
            out.push({ n, steps, sps: r.sps, rssKb: r.rssKb, mse: r.mse, gflops: (2 * macsPerStep(n, 0.5) * r.sps) / 1e9 });
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    console.log(userPathTable().lines.join('\n'));
}
