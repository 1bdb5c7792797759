// Warmed-up steady state (in one process, after warm-up): steps/s of the SIMD step, the fused tfjs kernels and the
// reference ops graph beside PyTorch; and the memory of one step at n = 200 and 500.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import type { CompiledPlan } from '../engine/compiler/plan-types.js';
import type { BackendName } from '../engine/results/result-types.js';
import type { ExperimentSpec } from '../engine/spec/spec-types.js';
import { selectBackend } from '../engine/training/backend.js';
import type { KernelName } from '../engine/training/kernel-registry.js';
import { initialWeights, paramSpecs } from '../engine/training/network.js';
import { tf } from '../engine/training/tf.js';
import { trainPoint } from '../engine/training/train-point.js';
import { TrainingData } from '../engine/training/training-data.js';
import { SimdRowwiseTrainer } from '../engine/training/simd-kernel.js';
import { rowwiseShape } from '../engine/training/simd-trainer.js';
import { fusedOptimizer } from '../engine/training/optimizer.js';

const quick = process.env.BENCH_QUICK === '1';
const scaling = process.env.BENCH_SCALING === '1';
const sizes = (process.env.BENCH_STEADY_SIZES ?? (scaling ? (quick ? '200' : '200,500') : quick ? '5,50' : '5,10,20,50,100'))
    .split(',')
    .map(Number);
const steps = Number(process.env.BENCH_STEADY_STEPS ?? (quick ? 200 : 300));
/** Best of this many timed runs per cell: other processes on the machine only ever make a run slower. */
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
/** The Python with torch (run-bench.mjs finds it), or empty: no PyTorch column. */
const python = process.env.EMN_BENCH_PYTHON ?? '';
const W = 4,
    D = 2,
    B = 64,
    SPARSITY = 0.5,
    LR = 0.05,
    MOMENTUM = 0.9;

function spec(n: number, stepCount = steps): ExperimentSpec {
    const operation = {
        name: 'Matvec',
        target: { kind: 'matvec' as const },
        size: n,
        sparsity: SPARSITY,
        entries: { kind: 'binary' as const },
        vectors: { kind: 'uniform' as const, low: -1, high: 1 },
    };
    return {
        name: `bench${n}`,
        operation,
        network: { name: 'Emn', width: W, depth: D, masking: 1, pruning: 'rowwise', activation: 'none' },
        optimizer: { kind: 'sgd', lr: LR, momentum: MOMENTUM },
        batch: B,
        steps: stepCount,
        schedule: { kind: 'joint' },
        seed: 1,
        evaluations: [{ on: 'Matvec', samples: 64, operation }],
        sweep: [],
    };
}

async function stepsPerSecond(plan: CompiledPlan, kernels: KernelName): Promise<number> {
    await trainPoint({ ...plan, steps: Math.min(500, plan.steps) }, { kernels }); // warm-up: kernels, allocations, JIT tier-up
    let best = 0;
    for (let k = 0; k < repeats; k++) best = Math.max(best, (await trainPoint(plan, { kernels })).stepsPerSecond);
    return best;
}

/** tfjs kernels per training step: (kernels of 11 steps - kernels of 1 step) / 10, evaluation excluded. */
async function opsPerStep(n: number, kernels: KernelName): Promise<number> {
    const count = async (s: number) =>
        (
            await tf.profile(async () => {
                await trainPoint({ ...compileExperiment(spec(n, s)), evaluations: [] }, { kernels, readEvery: 1000 });
            })
        ).kernels.length;
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

/**
 * Where a SIMD step's time goes (microseconds, best of `repeats` x 200 calls straight into the module, no trainPoint
 * around it): the whole step, and draw + forward + loss alone (the rest is backward and the optimiser update).
 */
function simdProfile(plan: CompiledPlan): { step: number; forward: number } {
    const trainer = new SimdRowwiseTrainer(rowwiseShape(plan), 1);
    const data = new TrainingData(plan),
        draw = data.binaryMatvecDraw()!,
        opt = fusedOptimizer(plan.optimizer, 1).step;
    const time = (f: (s0: number) => void) => {
        let best = Infinity,
            s0 = 1;
        for (let k = 0; k < 50; k++) f(s0++);
        for (let r = 0; r < repeats; r++) {
            const t0 = performance.now();
            for (let k = 0; k < 200; k++) f(s0++);
            best = Math.min(best, ((performance.now() - t0) / 200) * 1000);
        }
        return best;
    };
    return { step: time(s0 => trainer.step(s0, draw, opt)), forward: time(s0 => trainer.loss(s0, draw)) };
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
        const args = [
            'bench/pytorch_emn.py',
            ...[plan.operation.n, W, D, B, steps, SPARSITY, LR, MOMENTUM].map(String),
            file,
            '--threads',
            '1',
        ];
        const out = spawnSync(python, args, { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`pytorch_emn.py failed: ${out.stderr}`);
        const j = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
        if (!best || j.stepsPerSecond > best.sps) best = { sps: j.stepsPerSecond, lastLoss: j.lastLoss };
    }
    return best;
}

async function available(b: BackendName): Promise<boolean> {
    try {
        await selectBackend(b);
        return true;
    } catch {
        return false;
    }
}

async function main() {
    if (scaling) return scalingBench();
    const dir = mkdtempSync(join(tmpdir(), 'emn-bench-'));
    const rows: Record<string, number | string>[] = [];
    try {
        for (const n of sizes) {
            const plan = compileExperiment(spec(n));
            const row: Record<string, number | string> = { n };
            if (await available('wasm')) {
                row.simd = await stepsPerSecond(plan, 'simd');
                const prof = simdProfile(plan);
                row.usStep = prof.step;
                row.usForward = prof.forward;
                row.wasm = await stepsPerSecond(plan, 'fused');
                if (n <= 50) {
                    row.wasmOps = await stepsPerSecond(plan, 'ops');
                    row.kFused = await opsPerStep(n, 'fused');
                    row.kOps = await opsPerStep(n, 'ops');
                }
            }
            if (await available('cpu')) row.cpu = await stepsPerSecond(plan, 'fused');
            const t = pytorch(plan, dir);
            if (t) row.torch = t.sps;
            row.data = dataMsPerStep(plan);
            rows.push(row);
            process.stderr.write(`steady n=${n}: ${JSON.stringify(row)}\n`);
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
    const f = (v: unknown) => (typeof v === 'number' ? v.toFixed(0) : '-');
    console.log(`## 2. Warmed-up steady state, one process (NOT the user's path: see table 1)`);
    console.log(
        `steps/s, width ${W}, depth ${D}, batch ${B}, binary A, sparsity ${SPARSITY}, sgd(lr ${LR}, momentum ${MOMENTUM}); best of ${repeats} x ${steps} timed steps after a warm-up run; node ${process.version}, tfjs ${tf.version_core}`,
    );
    console.log(
        'Columns: "SIMD step" = the default (emn-step.wasm, batch drawn inside); "fused" = the tfjs kernels (EMN_KERNELS=fused); "ops graph" = the reference tfjs graph (EMN_KERNELS=ops); PyTorch best of processes, 1 thread.\n',
    );
    console.log(
        '| n | SIMD step | fused, tfjs wasm | fused, tfjs cpu | ops graph, tfjs wasm | PyTorch 1 thread | ratio SIMD/PyTorch | SIMD module alone, us/step: whole / draw+forward / backward+update | tfjs kernels per step (fused / ops graph) | JS batch drawing ms/step (fused and ops paths) |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
        const ratio = typeof r.torch === 'number' && typeof r.simd === 'number' ? `${(r.simd / r.torch).toFixed(2)}x` : '-';
        console.log(
            `| ${r.n} | ${f(r.simd)} | ${f(r.wasm)} | ${f(r.cpu)} | ${f(r.wasmOps)} | ${f(r.torch)} | ${ratio} | ${typeof r.usStep === 'number' ? `${r.usStep.toFixed(1)} / ${(r.usForward as number).toFixed(1)} / ${(r.usStep - (r.usForward as number)).toFixed(1)}` : '-'} | ${f(r.kFused)} / ${f(r.kOps)} | ${(r.data as number).toFixed(2)} |`,
        );
    }
    if (!python) console.log("\nPyTorch column skipped: install Debian's python3-torch");
}

/** n = 200 and 500: steps/s of the SIMD step, the memory one step works in, and what a step allocates. */
async function scalingBench() {
    await selectBackend('auto');
    console.log(
        `## 4. Scale: n = ${sizes.join(', ')} (SIMD step, w ${W}, d ${D}, B ${B}, sgd momentum; best of ${repeats} x ${steps} steps, in one process)\n`,
    );
    console.log(
        '| n | parameters | steps/s | memory one step works in (weights, velocities, batch, scratch) | of which the batch | JS heap + buffers allocated per step | RSS of this process (MB) |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of sizes) {
        const plan = compileExperiment(spec(n));
        const sps = await stepsPerSecond(plan, 'simd');
        const trainer = new SimdRowwiseTrainer(rowwiseShape(plan), 1);
        const data = new TrainingData(plan),
            draw = data.binaryMatvecDraw()!,
            opt = fusedOptimizer(plan.optimizer, 1).step;
        const n4 = Math.ceil(n / 4) * 4;
        const batchBytes = (2 * B * n4 + 8 * B) * 4; // x and A x rows of one cluster, targets, errors
        const used = () => {
            const m = process.memoryUsage();
            return m.heapUsed + m.arrayBuffers;
        };
        trainer.step(data.drawState, draw, opt);
        const before = used(),
            count = 20;
        for (let k = 0; k < count; k++) {
            trainer.step(data.drawState, draw, opt);
            data.skipBatch();
        }
        const perStep = Math.max(0, (used() - before) / count);
        const mb = (v: number) => (v / 2 ** 20).toFixed(2) + ' MB';
        console.log(
            `| ${n} | ${plan.parameterCount} | ${sps.toFixed(0)} | ${mb(trainer.bytes)} | ${(batchBytes / 1024).toFixed(0)} kB | ${(perStep / 1024).toFixed(1)} kB | ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} |`,
        );
    }
}

main().catch(err => {
    console.error(err);
    process.exitCode = 1;
});
