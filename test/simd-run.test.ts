// A SIMD run without tfjs (train-point-simd.ts, run-points.ts): its evaluation is the tfjs path's to the bit, and the
// worker bundle that runs it carries no tfjs.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileExperiment } from '../engine/compiler/compile-experiment.js';
import { selectBackend } from '../engine/training/backend.js';
import { evaluateSet } from '../engine/training/evaluate.js';
import { evaluateSetWith } from '../engine/training/evaluate-set.js';
import { batchLayout, initialWeights, paramSpecs } from '../engine/training/network.js';
import { Rng } from '../engine/training/rng.js';
import { BatchPacker, putBinaryMatvecSample, sampleMatrix, sampleVector } from '../engine/training/sampling.js';
import { tf } from '../engine/training/tf.js';
import { plainPredict } from '../engine/training/train-simd-point.js';
import { ensureFreshDist, ROOT } from './fresh-dist.js';
import { makeSpec } from './trainer-fixtures.js';

beforeAll(async () => {
    await ensureFreshDist();
    await selectBackend('cpu');
}, 180_000);

describe('a SIMD run evaluates without tfjs', () => {
    for (const [name, overrides] of [
        ['linear, n = 7', { operation: { size: 7 } }],
        ['tanh, depth 3, width 3', { network: { activation: 'tanh' as const, depth: 3, width: 3 } }],
    ] as const) {
        it(`gives the fused tfjs forward's metrics exactly (${name})`, () => {
            const plan = compileExperiment(makeSpec(overrides));
            const init = initialWeights(plan);
            const vars = Object.fromEntries(paramSpecs(plan).map(p => [p.name, tf.tensor(init.get(p.name)!, p.internalShape)]));
            try {
                // 300 samples: one full chunk of 256 and a shorter one, so both workspace sizes are used
                const viaTfjs = evaluateSet(plan, vars, plan.operation, 300, 42, undefined, 'fused');
                const plain = evaluateSetWith(plan, plainPredict(plan, init, new Map()), plan.operation, 300, 42);
                expect(plain).toEqual(viaTfjs);
                expect(Number.isFinite(plain.mse) && plain.mse > 0).toBe(true);
            } finally {
                Object.values(vars).forEach(v => v.dispose());
            }
        });
    }

    it("draws an evaluation set of fresh binary A with the inlined sampler: the generic sampler's very batch", () => {
        const plan = compileExperiment(makeSpec({ operation: { size: 6, sparsity: 0.3 } }));
        const op = plan.operation,
            n = op.n,
            layout = batchLayout(plan),
            packer = new BatchPacker(layout, op.coefficients);
        const generic = packer.allocate(5),
            inlined = packer.allocate(5);
        const r1 = new Rng(9),
            r2 = new Rng(9),
            a = new Float32Array(n * n),
            x = new Float32Array(n),
            x2 = new Float32Array(n);
        if (op.vectors.kind !== 'uniform') throw new Error('fixture: uniform vectors expected');
        for (let b = 0; b < 5; b++) {
            packer.put(generic, b, sampleMatrix(op, r1, a), sampleVector(op, r1, x));
            putBinaryMatvecSample(
                r2,
                n,
                1 - op.sparsity,
                op.vectors.low,
                op.vectors.high,
                inlined,
                b,
                layout.yBatchMajor,
                new Uint8Array(n * n),
                x2,
            );
        }
        expect(Array.from(inlined.ax)).toEqual(Array.from(generic.ax));
        expect(Array.from(inlined.y)).toEqual(Array.from(generic.y));
        expect(r2.rawState).toBe(r1.rawState);
    });

    it('trains in a worker bundle that carries no tfjs (loaded from dist/training-tfjs.cjs when a point needs it)', () => {
        const worker = readFileSync(join(ROOT, 'dist', 'training-worker.cjs'), 'utf8');
        expect(worker).not.toContain('@tensorflow/tfjs-core');
        expect(worker).toContain('./training-tfjs.cjs');
        expect(readFileSync(join(ROOT, 'dist', 'training-tfjs.cjs'), 'utf8')).toContain('@tensorflow/tfjs-core');
        expect(statSync(join(ROOT, 'dist', 'training-worker.cjs')).size).toBeLessThan(200_000);
    });
});
