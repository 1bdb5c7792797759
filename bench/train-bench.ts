// Benchmark: steps/s of tfjs cpu and wasm (fused kernels and the reference ops graph) beside PyTorch, n = 5..50.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileExperiment } from '../language-server/compiler/compile-experiment.js';
import type { CompiledPlan } from '../language-server/compiler/plan-types.js';
import type { BackendName } from '../language-server/results/result-types.js';
import type { ExperimentSpec } from '../language-server/spec/spec-types.js';
import { selectBackend } from '../language-server/training/backend.js';
import type { KernelMode } from '../language-server/training/fused-ops.js';
import { initialWeights, paramSpecs } from '../language-server/training/network.js';
import { tf } from '../language-server/training/tf.js';
import { trainPoint } from '../language-server/training/train-point.js';
import { TrainingData } from '../language-server/training/training-data.js';

const scaling = process.env.BENCH_SCALING === '1';
const sizes = (process.env.BENCH_SIZES ?? (scaling ? '20,50,100,200' : '5,10,20,50')).split(',').map(Number);
const steps = Number(process.env.BENCH_STEPS ?? 300);
/** Best of this many timed runs per cell: other processes on the machine only ever make a run slower. */
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
/** The Python with torch (run-bench.mjs finds it), or empty: no PyTorch column. */
const python = process.env.EMN_BENCH_PYTHON ?? '';
const W = 4, D = 2, B = 64, SPARSITY = 0.5, LR = 0.01, MOMENTUM = 0.9;

function spec(n: number, stepCount = steps): ExperimentSpec {
    const operation = { name: 'Matvec', target: { kind: 'matvec' as const }, size: n, sparsity: SPARSITY, entries: { kind: 'binary' as const }, vectors: { kind: 'uniform' as const, low: -1, high: 1 } };
    return {
        name: `bench${n}`, operation, network: { name: 'Emn', width: W, depth: D, masking: 1, pruning: 'rowwise', activation: 'none' },
        optimizer: { kind: 'sgd', lr: LR, momentum: MOMENTUM }, batch: B, steps: stepCount, schedule: { kind: 'joint' }, seed: 1,
        evaluations: [{ on: 'Matvec', samples: 64, operation }], sweep: [],
    };
}

async function stepsPerSecond(plan: CompiledPlan, kernels: KernelMode): Promise<number> {
    await trainPoint({ ...plan, steps: 500 }, { kernels }); // warm-up: kernels, allocations, JIT tier-up of the fused loops
    let best = 0;
    for (let k = 0; k < repeats; k++) best = Math.max(best, (await trainPoint(plan, { kernels })).stepsPerSecond);
    return best;
}

/** tfjs kernels per training step: (kernels of 11 steps - kernels of 1 step) / 10, evaluation excluded. */
async function opsPerStep(n: number, kernels: KernelMode): Promise<number> {
    const count = async (s: number) => (await tf.profile(async () => {
        await trainPoint({ ...compileExperiment(spec(n, s)), evaluations: [] }, { kernels, readEvery: 1000 });
    })).kernels.length;
    return ((await count(11)) - (await count(1))) / 10;
}

/** Milliseconds per step spent drawing and packing the batch in JS (part of every step), best of `repeats`. */
function dataMsPerStep(plan: CompiledPlan): number {
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
        const data = new TrainingData(plan);
        const t0 = performance.now();
        for (let s = 0; s < steps; s++) data.next(s);
        best = Math.min(best, (performance.now() - t0) / steps);
    }
    return best;
}

/** PyTorch steps/s from the same initial weights (bench/pytorch_emn.py), best of `repeats` processes. */
function pytorch(plan: CompiledPlan, dir: string): { sps: number; lastLoss: number } | undefined {
    if (!python) return undefined;
    const init = initialWeights(plan);
    const file = join(dir, `w${plan.operation.n}.f32`);
    const parts = paramSpecs(plan).map(p => init.get(p.name)!);
    const flat = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    parts.reduce((off, p) => (flat.set(p, off), off + p.length), 0);
    writeFileSync(file, flat);
    let best: { sps: number; lastLoss: number } | undefined;
    for (let r = 0; r < repeats; r++) {
        const args = ['bench/pytorch_emn.py', ...[plan.operation.n, W, D, B, steps, SPARSITY, LR, MOMENTUM].map(String), file];
        const out = spawnSync(python, args, { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`pytorch_emn.py failed: ${out.stderr}`);
        const j = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
        if (!best || j.stepsPerSecond > best.sps) best = { sps: j.stepsPerSecond, lastLoss: j.lastLoss };
    }
    return best;
}

async function available(b: BackendName): Promise<boolean> {
    try { await selectBackend(b); return true; } catch { return false; }
}

async function main() {
    if (scaling) return scalingBench();
    const dir = mkdtempSync(join(tmpdir(), 'emn-bench-'));
    const rows: Record<string, number | string>[] = [];
    try {
        for (const n of sizes) {
            const plan = compileExperiment(spec(n));
            const row: Record<string, number | string> = { n };
            for (const b of ['cpu', 'wasm'] as const) {
                if (!(await available(b))) continue;
                row[b] = await stepsPerSecond(plan, 'fused');
                if (b === 'wasm') {
                    row.wasmOps = await stepsPerSecond(plan, 'ops');
                    row.kFused = await opsPerStep(n, 'fused');
                    row.kOps = await opsPerStep(n, 'ops');
                }
            }
            const t = pytorch(plan, dir);
            if (t) row.torch = t.sps;
            row.data = dataMsPerStep(plan);
            rows.push(row);
            process.stderr.write(`n=${n}: ${JSON.stringify(row)}\n`);
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    const f = (v: unknown) => typeof v === 'number' ? v.toFixed(0) : '-';
    console.log(`steps/s, width ${W}, depth ${D}, batch ${B}, binary A, sparsity ${SPARSITY}, sgd momentum ${MOMENTUM}; best of ${repeats} x ${steps} timed steps after warm-up; node ${process.version}, tfjs ${tf.version_core}`);
    console.log('tfjs columns: the fused EMN kernels (default); "ops graph": the reference tfjs graph (EMN_KERNELS=ops)\n');
    console.log('| n | tfjs cpu | tfjs wasm | PyTorch 1 thread | ratio wasm/PyTorch | ops per step (fused / ops graph) | tfjs wasm, ops graph | JS data ms/step |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
        const ratio = typeof r.torch === 'number' && typeof r.wasm === 'number' ? `${(r.wasm / r.torch).toFixed(2)}x` : '-';
        console.log(`| ${r.n} | ${f(r.cpu)} | ${f(r.wasm)} | ${f(r.torch)} | ${ratio} | ${f(r.kFused)} / ${f(r.kOps)} | ${f(r.wasmOps)} | ${(r.data as number).toFixed(2)} |`);
    }
    if (!python) console.log('\nPyTorch column skipped: install Debian\'s python3-torch');
}

/** n = 20..200 on the default backend: steps/s against parameter count, and memory per step. */
async function scalingBench() {
    const sel = await selectBackend('auto');
    console.log(`scaling on ${sel.backend} (fused kernels), width ${W}, depth ${D}, batch ${B}; best of ${repeats} x ${steps} steps\n`);
    console.log('| n | parameters | steps/s | params x steps/s (M/s) | peak tensor bytes in one step | of which batch upload | RSS after (MB) |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of sizes) {
        const plan = compileExperiment(spec(n));
        const sps = await stepsPerSecond(plan, 'fused');
        // weights + velocities + one step's tensors (evaluation left out: its 256-sample chunks are not a step)
        const prof = await tf.profile(async () => { await trainPoint({ ...plan, steps: 1, evaluations: [] }); });
        const upload = (n * B * n + n * B) * 4;
        const mb = (v: number) => (v / 2 ** 20).toFixed(1) + ' MB';
        console.log(`| ${n} | ${plan.parameterCount} | ${sps.toFixed(0)} | ${(plan.parameterCount * sps / 1e6).toFixed(1)} | ${mb(prof.peakBytes)} | ${mb(upload)} | ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} |`);
    }
}

main().catch(err => { console.error(err); process.exitCode = 1; });
