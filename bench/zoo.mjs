// The zoo (`BENCH_ONLY=zoo npm run bench`): every construct of the language as `emn train` processes against a PyTorch step
// of the same construct (bench/pytorch_emn.py --construct), n = 20 and 50, SGD and Adam, alternating, medians.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.EMN_BENCH_CLI ?? join(ROOT, 'bin/emn.cjs');
const quick = process.env.BENCH_QUICK === '1';
const W = 4,
    D = 2,
    B = 64,
    SPARSITY = 0.5,
    POOL = 64,
    MASKS = 16,
    STEPS_PER_MASK = 16;
const OPTIMIZERS = { sgd: { spec: 'sgd(lr 0.005, momentum 0.9)', lr: 0.005 }, adam: { spec: 'adam(lr 0.001)', lr: 0.001 } };

/**
 * Each construct: what it changes in the spec (operation, network, experiment lines) and how heavy a step is, which
 * sets the steps a run takes (a run of a few seconds on a quiet machine; the tfjs path is 20-50x slower per step; the
 * SIMD step trains the default, entries, vectors, pools and meta-epochs).
 */
const CONSTRUCTS = [
    { name: 'default', label: 'default (binary A)', weight: 1 },
    { name: 'entries-uniform', label: 'entries uniform(0, 1)', op: 'entries uniform(0, 1)', weight: 1 },
    { name: 'entries-normal', label: 'entries normal(0, 1)', op: 'entries normal(0, 1)', weight: 1 },
    { name: 'vectors-normal', label: 'vectors normal(0, 1)', op: 'vectors normal(0, 1)', weight: 1 },
    { name: 'pool', label: `pool ${POOL}`, experiment: `pool ${POOL}`, weight: 1 },
    { name: 'meta-epochs', label: `metaEpochs, masks ${MASKS}, steps ${STEPS_PER_MASK}`, weight: 1 },
    // masking 2 and the dense baseline train on the layers wasm step (emn-layers.wasm): a few times the default step's cost
    { name: 'power2-masking2', label: 'power 2, masking 2', target: 'power 2', network: 'masking 2', weight: 4 },
    {
        name: 'polynomial-masking2',
        label: 'polynomial [0.5, 1, 0.25], masking 2 (skips)',
        target: 'polynomial [0.5, 1, 0.25]',
        network: 'masking 2',
        weight: 4,
    },
    { name: 'dense', label: 'pruning none (dense baseline)', network: 'pruning none', weight: 4 },
    { name: 'relu', label: 'activation relu', network: 'activation relu', weight: 1 },
    { name: 'tanh', label: 'activation tanh', network: 'activation tanh', weight: 1 },
    // a standard network on [vec(A), x] (n^2 + n inputs): the tfjs graph trains it (the fast kernels compute the EMN's masked layer)
    { name: 'mlp', label: 'architecture mlp, hidden [64, 64]', wholeNetwork: 'architecture mlp hidden [64, 64]', weight: 20 },
];

const median = xs => {
    const s = [...xs].sort((a, b) => a - b),
        m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Steps of one run: about 40k n-weighted step units, fewer for heavy constructs, at least 30. */
function stepsFor(c, n) {
    const base = Math.round((quick ? 20000 : 40000) / n / c.weight / 10) * 10;
    return Math.max(quick ? 30 : 60, c.name === 'meta-epochs' ? Math.ceil(base / (MASKS * STEPS_PER_MASK)) * MASKS * STEPS_PER_MASK : base);
}

function specText(c, n, opt, steps) {
    const schedule =
        c.name === 'meta-epochs'
            ? `schedule metaEpochs ${steps / (MASKS * STEPS_PER_MASK)} masks ${MASKS} steps ${STEPS_PER_MASK}`
            : `steps ${steps}`;
    return `operation M { ${c.target ?? 'matvec'} size ${n} sparsity ${SPARSITY} ${c.op ?? 'entries binary'} }
network E { ${c.wholeNetwork ?? `width ${W} depth ${D} ${c.network ?? 'masking 1 pruning rowwise'}`} }
experiment Zoo {
    learn M with E
    optimizer ${OPTIMIZERS[opt].spec}
    batch ${B}
    ${schedule}
    ${c.experiment ?? ''}
    seed 1
    evaluate 64 samples
}
`;
}

function runEmn(file, out) {
    const r = spawnSync(process.execPath, [CLI, 'train', file, '--json', '--out', out], { encoding: 'utf8', cwd: ROOT });
    let json;
    try {
        json = JSON.parse(r.stdout);
    } catch {
        throw new Error(`emn train failed (${r.status}): ${r.stderr.trim().split('\n').at(-1)}`);
    }
    const res = Array.isArray(json) ? json[0] : json;
    return { sps: res.stepsPerSecond, stopped: res.stopped };
}

/** PyTorch's steps: its rate is timed after 20 warm-up steps, so a quarter of emn's (at least 30) measures it as well. */
function runTorch(python, c, n, opt, steps) {
    const torchSteps = Math.max(30, Math.round(steps / 4));
    const args = [
        join(ROOT, 'bench/pytorch_emn.py'),
        ...[n, W, D, B, torchSteps, SPARSITY, OPTIMIZERS[opt].lr, 0.9].map(String),
        '--threads',
        '1',
    ];
    if (opt === 'adam') args.push('--adam');
    if (c.name !== 'default') args.push('--construct', c.name);
    const r = spawnSync(python, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pytorch_emn.py --construct ${c.name} failed: ${r.stderr.trim().split('\n').at(-1)}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)).stepsPerSecond;
}

/** The zoo table as markdown lines, with the machine, the date and the load; rows also go to stderr as they finish. */
export function zooTable() {
    const python = process.env.EMN_BENCH_PYTHON || '';
    const repeats = Number(process.env.BENCH_REPEATS ?? 5);
    const sizes = (process.env.BENCH_SIZES ?? '20,50').split(',').map(Number);
    const opts = (process.env.BENCH_OPTS ?? 'sgd,adam').split(',').filter(o => o in OPTIMIZERS);
    const only = process.env.BENCH_CONSTRUCTS?.split(',');
    const constructs = CONSTRUCTS.filter(c => !only || only.includes(c.name));
    const cpuModel = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? '?';
    const load0 = loadAvg(),
        started = new Date().toISOString();
    const dir = mkdtempSync(join(tmpdir(), 'emn-zoo-'));
    const rows = [];
    try {
        for (const c of constructs)
            for (const n of sizes)
                for (const opt of opts) {
                    const steps = stepsFor(c, n),
                        cell = join(dir, `${c.name}-${n}-${opt}`);
                    mkdirSync(cell);
                    writeFileSync(join(cell, 'zoo.emn'), specText(c, n, opt, steps));
                    const emn = [],
                        torch = [];
                    for (let r = 0; r < repeats; r++) {
                        // alternating, so both see the same load
                        emn.push(runEmn(join(cell, 'zoo.emn'), join(cell, `out-${r}`)));
                        if (python) torch.push(runTorch(python, c, n, opt, steps));
                    }
                    const row = {
                        construct: c.label,
                        n,
                        opt,
                        steps,
                        emn: median(emn.map(e => e.sps)),
                        torch: python ? median(torch) : undefined,
                        stopped: [...new Set(emn.map(e => e.stopped))].join('/'),
                        emnRuns: emn.map(e => Math.round(e.sps)),
                        torchRuns: torch.map(Math.round),
                    };
                    rows.push(row);
                    process.stderr.write(`zoo ${JSON.stringify(row)}\n`);
                }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    const lines = [
        `## The zoo: every construct, \`emn train\` vs PyTorch of the same construct`,
        '',
        `${started}; ${cpus().length} cores (nproc), ${cpuModel}; node ${process.version}. PyTorch on OpenBLAS, 1 thread (bench/setup-peer.sh).`,
        `w ${W}, d ${D}, B ${B}, sparsity ${SPARSITY}; ${OPTIMIZERS.sgd.spec} / ${OPTIMIZERS.adam.spec}; each cell the median of ${repeats} processes, emn and PyTorch alternating;`,
        "emn: its own stepsPerSecond (every step, no warm-up; evaluation excluded); PyTorch: timed after 20 warm-up steps over a quarter of emn's steps (at least 30). Steps per emn run in the table.",
        `Load average before: ${load0}; after: ${loadAvg()} (other engineers' builds and tests share the machine: absolute figures are low, read the ratios).`,
        '',
        '| construct | n | optimizer | steps | emn train steps/s | PyTorch steps/s | ratio | emn runs | PyTorch runs |',
        '|---|---:|---|---:|---:|---:|---:|---|---|',
    ];
    for (const r of rows) {
        const ratio = r.torch ? `${(r.emn / r.torch).toFixed(2)}x` : '-';
        lines.push(
            `| ${r.construct} | ${r.n} | ${r.opt} | ${r.steps} | ${r.emn.toFixed(0)} | ${r.torch?.toFixed(0) ?? '-'} | ${ratio} | ${r.emnRuns.join(' ')} | ${r.torchRuns.join(' ')} |`,
        );
    }
    if (!python)
        lines.push(
            '',
            "PyTorch columns skipped: no python3 with torch (bench/setup-peer.sh installs Debian's python3-torch and OpenBLAS).",
        );
    return lines;
}
