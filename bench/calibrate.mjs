// `node bench/calibrate.mjs`: measures the cost model's step rates (engine/cost/step-rates.ts) with `emn train` processes
// and prints the constants to paste there: per kernel path, two sizes fitted to overhead + flops / rate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.EMN_BENCH_CLI ?? join(ROOT, 'bin/emn.cjs');
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const W = 4,
    D = 2,
    B = 64;
const median = xs => {
    const s = [...xs].sort((a, b) => a - b);
    return s[s.length >> 1];
};

/** The cost model's flops of one step (engine/cost/step-rates.ts flopsPerSampleOf, cost-estimate.ts parameterCount). */
function flopsPerStep(n, masking, dense) {
    const parameters = n * W * n * masking + (D - 1) * (dense ? (n * W) ** 2 : n * W * W) + (dense ? n * n * W : n * W);
    return 6 * (parameters + n * W * n * masking) * B;
}

const PATHS = {
    simd: {
        op: 'matvec',
        net: 'masking 1 pruning rowwise',
        extra: '',
        sizes: [
            [10, 3000],
            [50, 400],
        ],
        masking: 1,
    },
    fused: {
        op: 'matvec',
        net: 'masking 1 pruning rowwise',
        extra: 'pool 64',
        sizes: [
            [10, 400],
            [30, 100],
        ],
        masking: 1,
    },
    graph: {
        op: 'power 2',
        net: 'masking 2 pruning rowwise',
        extra: '',
        sizes: [
            [10, 100],
            [20, 40],
        ],
        masking: 2,
    },
};

/** One `emn train --json`: seconds per step (its own stepsPerSecond) and the rest of the experiment's wall per point. */
function run(dir, name, text, extraArgs = []) {
    const file = join(dir, `${name}.emn`);
    writeFileSync(file, text);
    const r = spawnSync(process.execPath, [CLI, 'train', file, '--json', '--out', join(dir, 'out'), ...extraArgs], {
        encoding: 'utf8',
        cwd: ROOT,
    });
    if (r.status !== 0) throw new Error(`emn train ${name} failed: ${r.stderr.trim().split('\n').at(-1)}`);
    const j = JSON.parse(r.stdout);
    return Array.isArray(j) ? j[0] : j;
}

const spec = (n, op, net, extra, steps) => `operation M { ${op} size ${n} sparsity 0.5 entries binary }
network E { width ${W} depth ${D} ${net} }
experiment Cal { learn M with E optimizer sgd(lr 0.005, momentum 0.9) batch ${B} steps ${steps} ${extra} seed 1 evaluate 256 samples }
`;

const dir = mkdtempSync(join(tmpdir(), 'emn-calibrate-'));
const rates = {};
let pointSeconds = [];
try {
    for (const [path, p] of Object.entries(PATHS)) {
        const [[n1, s1], [n2, s2]] = p.sizes;
        const t = [];
        for (const [n, steps] of p.sizes) {
            const runs = Array.from({ length: repeats }, (_, k) => run(dir, `${path}-${n}-${k}`, spec(n, p.op, p.net, p.extra, steps)));
            t.push(median(runs.map(r => 1 / r.stepsPerSecond)));
            if (path === 'simd') pointSeconds.push(...runs.map(r => r.wallMs / 1000 - r.steps / r.stepsPerSecond));
        }
        const f1 = flopsPerStep(n1, p.masking, false),
            f2 = flopsPerStep(n2, p.masking, false);
        // t = overhead + f / rate through both sizes; a negative overhead (noise) is taken as none
        let rate = (f2 - f1) / (t[1] - t[0]),
            overhead = t[0] - f1 / rate;
        if (!(rate > 0) || overhead < 0) {
            overhead = 0;
            rate = f2 / t[1];
        }
        rates[path] = {
            overheadSeconds: overhead,
            flopsPerSecond: rate,
            measured: `n ${n1}: ${(t[0] * 1e6).toFixed(0)} us/step (${s1} steps), n ${n2}: ${(t[1] * 1e6).toFixed(0)} us/step (${s2} steps)`,
        };
    }
    // a worker's start: a 12-point sweep's pool wall with 1 and 2 threads (wall_k = (total + (k - 1) start) / k)
    const sweep = ['bench/specs/ablations.emn', '--experiment', 'SweepSgd'];
    const wall = k =>
        median(
            Array.from({ length: repeats }, () => {
                const r = spawnSync(
                    process.execPath,
                    [CLI, 'train', ...sweep, '--json', '--out', join(dir, 'sweep'), '--workers', String(k)],
                    { encoding: 'utf8', cwd: ROOT },
                );
                if (r.status !== 0) throw new Error(`emn train ${sweep.join(' ')} failed: ${r.stderr}`);
                return JSON.parse(r.stdout).wallMs / 1000;
            }),
        );
    const w1 = wall(1),
        w2 = wall(2);
    const fmt = v =>
        v
            .toExponential(1)
            .replace('e+', 'e')
            .replace(/e(-?)0?(\d)/, 'e$1$2');
    console.log(
        `// node bench/calibrate.mjs, ${new Date().toISOString()}, ${cpus().length} cores (${cpus()[0]?.model}), load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    for (const [path, r] of Object.entries(rates)) {
        console.log(
            `    ${path}: { overheadSeconds: ${fmt(r.overheadSeconds)}, flopsPerSecond: ${fmt(r.flopsPerSecond)} },   // ${r.measured}`,
        );
    }
    console.log(
        `export const POINT_SECONDS = ${median(pointSeconds).toFixed(3)};   // an n = 10 / 50 point's wall beyond its steps (evaluation 256 samples, set-up)`,
    );
    console.log(
        `export const WORKER_START_SECONDS = ${Math.max(0, 2 * w2 - w1).toFixed(2)};   // SweepSgd pool wall: ${w1.toFixed(2)} s with 1 thread, ${w2.toFixed(2)} s with 2`,
    );
} finally {
    rmSync(dir, { recursive: true, force: true });
}
