// Benchmark: training steps per second per backend for n = 5, 10, 20, 50 (w 4, d 2, B 64), with the JS data share.
import { compileExperiment } from '../language-server/compiler/compile-experiment.js';
import type { CompiledPlan } from '../language-server/compiler/plan-types.js';
import type { BackendName } from '../language-server/results/result-types.js';
import type { ExperimentSpec } from '../language-server/spec/spec-types.js';
import { selectBackend } from '../language-server/training/backend.js';
import { trainPoint } from '../language-server/training/train-point.js';
import { TrainingData } from '../language-server/training/training-data.js';

const sizes = (process.env.BENCH_SIZES ?? '5,10,20,50').split(',').map(Number);
const steps = Number(process.env.BENCH_STEPS ?? 300);
/** Best of this many timed runs per cell: other processes on the machine only ever make a run slower. */
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const backends: BackendName[] = (process.env.BENCH_BACKENDS?.split(',') as BackendName[] | undefined) ?? ['tensorflow', 'wasm', 'cpu'];

function spec(n: number): ExperimentSpec {
    const operation = { name: 'Matvec', target: { kind: 'matvec' as const }, size: n, sparsity: 0.5, entries: { kind: 'binary' as const }, vectors: { kind: 'uniform' as const, low: -1, high: 1 } };
    return {
        name: `bench${n}`, operation, network: { name: 'Emn', width: 4, depth: 2, masking: 1, pruning: 'rowwise', activation: 'none' },
        optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9 }, batch: 64, steps, schedule: { kind: 'joint' }, seed: 1,
        evaluations: [{ on: 'Matvec', samples: 64, operation }], sweep: [],
    };
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

async function main() {
    const rows: { backend: string; n: number; sps: number; dataMs: number }[] = [];
    const unavailable: string[] = [];
    for (const backend of backends) {
        try {
            await selectBackend(backend);
        } catch (err) {
            unavailable.push(`${backend}: ${err instanceof Error ? err.message : String(err)}`);
            continue;
        }
        for (const n of sizes) {
            const plan = compileExperiment(spec(n));
            await trainPoint({ ...plan, steps: 30 }); // warm-up: kernels, allocations, JIT
            let sps = 0;
            for (let k = 0; k < repeats; k++) sps = Math.max(sps, (await trainPoint(plan)).stepsPerSecond);
            rows.push({ backend, n, sps, dataMs: dataMsPerStep(plan) });
            process.stderr.write(`${backend} n=${n}: ${sps.toFixed(0)} steps/s\n`);
        }
    }
    const base = (n: number) => rows.find(r => r.backend === 'cpu' && r.n === n)?.sps;
    console.log(`steps/s, width 4, depth 2, batch 64, sparsity 0.5, sgd momentum, best of ${repeats} x ${steps} timed steps after warm-up (node ${process.version})\n`);
    console.log('| backend | n | steps/s | vs cpu | ms/step | of which JS data |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of rows) {
        const b = base(r.n);
        console.log(`| ${r.backend} | ${r.n} | ${r.sps.toFixed(0)} | ${b ? (r.sps / b).toFixed(2) + 'x' : '-'} | ${(1000 / r.sps).toFixed(2)} | ${r.dataMs.toFixed(2)} |`);
    }
    for (const u of unavailable) console.log(`\nnot measured: ${u}`);
}

main().catch(err => { console.error(err); process.exitCode = 1; });
