// `npm run bench`: builds dist/, then prints (1) the user's path (`emn train` processes vs PyTorch processes), (2) the
// warmed-up steady state, (3) sweep wall times for 1 and N workers, (4) scale (n = 200, 500); BENCH_ONLY=zoo: every
// construct of the language against PyTorch (bench/zoo.mjs); BENCH_ONLY=split: one run across cores at n = 500 and its peak
// RSS at n = 500-2000 (bench/split-run.mjs). BENCH_QUICK=1: a short run.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { splitMemory, splitSpeedup } from './split-run.mjs';
import { scaleRows, sweepWallTimes, userPathTable } from './user-path.mjs';
import { zooTable } from './zoo.mjs';

const quick = process.env.BENCH_QUICK === '1';
const only = (process.env.BENCH_ONLY ?? 'user,steady,sweep,scale').split(',');
// BENCH_NO_BUILD=1: measure the dist/ as it is (e.g. while another bench process is using it)
if (process.env.BENCH_NO_BUILD !== '1') {
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('node esbuild.mjs failed');
}

const outfile = 'node_modules/.cache/emn-bench/train-bench.cjs';
await esbuild.build({
    entryPoints: ['bench/train-bench.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@tensorflow/tfjs-node'],
    logLevel: 'warning',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
// the bundle looks for emn-step.wasm beside itself, then in ../../dist: point it at this build's
spawnSync('cp', ['dist/emn-step.wasm', 'node_modules/.cache/emn-bench/emn-step.wasm']);

// The PyTorch peer: Debian's torch on OpenBLAS, one thread (bench/setup-peer.sh installs both once), run by
// /usr/bin/python3 (a pyenv or venv python3 first on PATH lacks the apt package). EMN_BENCH_PYTHON overrides.
const peer = process.env.EMN_BENCH_PYTHON
    ? undefined
    : spawnSync('bash', ['bench/setup-peer.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const python = [process.env.EMN_BENCH_PYTHON, peer?.status === 0 ? peer.stdout.trim() : undefined]
    .filter(Boolean)
    .find(p => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
process.env.EMN_BENCH_PYTHON = python ?? '';
// OpenBLAS starts its own thread pool at load, whatever torch.set_num_threads says: one thread, as the emn side
process.env.OPENBLAS_NUM_THREADS = '1';
process.env.OMP_NUM_THREADS = '1';
const torchVersion = python
    ? spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()
    : undefined;

const cores = cpus().length;
console.log(`# EMN Studio benchmark${quick ? ' (BENCH_QUICK=1: short run, fewer sizes and steps)' : ''}`);
console.log(
    `${new Date().toISOString()}; ${cores} cores (${cpus()[0]?.model ?? '?'}); node ${process.version}; ` +
        `PyTorch ${torchVersion ? `${torchVersion} (${python})` : "missing: install Debian's python3-torch; PyTorch columns are skipped"}.`,
);
console.log(
    `Load average at start: ${spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim()} (other work on the machine slows every figure; ratios are measured alternating, so both sides see the same load).\n`,
);

if (only.includes('user')) {
    console.log(userPathTable().lines.join('\n'), '\n');
}
if (only.includes('zoo')) {
    console.log(zooTable().join('\n'), '\n');
}
if (only.includes('split')) {
    console.log([...splitSpeedup(), '', ...splitMemory()].join('\n'), '\n');
}
if (only.includes('steady')) {
    const r = spawnSync(process.execPath, [outfile], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) console.log('steady-state table failed');
    console.log('');
}
if (only.includes('sweep')) {
    console.log(sweepWallTimes(cores).join('\n'), '\n');
}
if (only.includes('scale')) {
    const r = spawnSync(process.execPath, [outfile], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, BENCH_SCALING: '1' },
    });
    if (r.status !== 0) console.log('scale table failed');
    const rows = scaleRows(quick ? [200] : [200, 500]);
    console.log(`\n\`emn train\` processes at scale (sgd momentum, ${rows[0]?.steps} steps, evaluation 256 samples):\n`);
    console.log('| n | steps/s | GFLOP/s | peak RSS (MB) | test mse |', '\n|---:|---:|---:|---:|---:|');
    for (const s of rows)
        console.log(
            `| ${s.n} | ${s.sps.toFixed(1)} | ${s.gflops.toFixed(2)} | ${s.rssKb ? (s.rssKb / 1024).toFixed(0) : '-'} | ${s.mse?.toExponential(2) ?? '-'} |`,
        );
}
