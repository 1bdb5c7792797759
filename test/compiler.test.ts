// Compiler invariants: layer kinds, shapes, parameter counts (hand-computed), skip channels, hashing, seeds, JSON.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileExperiment, targetCoefficients } from '../engine/compiler/compile-experiment.js';
import { deriveSeed } from '../engine/compiler/seeds.js';
import { compileExperimentPlan } from '../engine/compiler/compile-sweep.js';
import { canonicalJson, planHash, SAMPLER_VERSION } from '../engine/compiler/plan-hash.js';
import { isStale } from '../engine/results/results-store.js';
import { makeSpec } from './trainer-fixtures.js';

describe('compileExperiment', () => {
    it('builds the rowwise EMN of docs/method.md with hand-computed parameter counts', () => {
        const plan = compileExperiment(makeSpec({ operation: { size: 20 }, network: { width: 4, depth: 3 } }));
        expect(plan.layers.map(l => [l.name, l.kind])).toEqual([
            ['mask1', 'masked'],
            ['hidden2', 'pruned'],
            ['hidden3', 'pruned'],
            ['output', 'output'],
        ]);
        expect(plan.layers.map(l => l.weightShape)).toEqual([
            [20, 4, 20],
            [20, 4, 4],
            [20, 4, 4],
            [20, 4],
        ]);
        // 20*4*20 + 2 * 20*4*4 + 20*4
        expect(plan.parameterCount).toBe(1600 + 640 + 80);
        expect(plan.skipChannels).toBe(false);
        expect(plan.layers[0].skipShape).toBeUndefined();
        // sparsity 0.5: half of the 1600 masked edges are muted per sample on average
        expect(plan.activeEdgeCount).toBe(800 + 640 + 80);
        expect(plan.layers[1].structuralDensity).toBeCloseTo(1 / 20);
        expect(plan.pathWeights).toBe('rowwise');
        expect(plan.pathWeightTarget).toBe(1);
    });

    it('gives the dense baseline for pruning none', () => {
        const plan = compileExperiment(makeSpec({ operation: { size: 5 }, network: { width: 2, depth: 2, pruning: 'none' } }));
        expect(plan.layers.map(l => [l.kind, l.weightShape])).toEqual([
            ['masked', [5, 2, 5]],
            ['dense', [10, 10]],
            ['output', [5, 10]],
        ]);
        expect(plan.parameterCount).toBe(50 + 100 + 50);
        expect(plan.pathWeights).toBe('dense');
    });

    it('adds one message-passing layer per extra masking layer, with per-edge weights', () => {
        const plan = compileExperiment(
            makeSpec({ operation: { size: 6, target: { kind: 'power', order: 2 } }, network: { width: 3, depth: 2, masking: 2 } }),
        );
        expect(plan.layers.map(l => l.kind)).toEqual(['masked', 'message-passing', 'pruned', 'output']);
        expect(plan.layers[1].weightShape).toEqual([6, 3, 6, 3]);
        // power 2 needs only A^2: no skip channel
        expect(plan.skipChannels).toBe(false);
        expect(plan.parameterCount).toBe(6 * 3 * 6 + 6 * 3 * 6 * 3 + 6 * 3 * 3 + 6 * 3);
        expect(plan.pathWeights).toBe('none');
        expect(plan.operation.coefficients).toEqual([0, 0, 1]);
    });

    it('carries skip channels when the target has powers below the masking count', () => {
        const poly = compileExperiment(
            makeSpec({
                operation: { size: 4, target: { kind: 'polynomial', coefficients: [0.5, 1, 0.25] } },
                network: { width: 3, masking: 2 },
            }),
        );
        expect(poly.skipChannels).toBe(true);
        expect(poly.layers[0].skipShape).toEqual([4, 3, 1]);
        expect(poly.layers[1].skipShape).toEqual([4, 3, 3]);
        expect(poly.parameterCount).toBe(4 * 3 * 4 + 4 * 3 + 4 * 3 * 4 * 3 + 4 * 3 * 3 + 4 * 3 * 3 + 4 * 3);
        // matvec learned with 2 masking layers needs A^1 to survive layer 2
        expect(compileExperiment(makeSpec({ network: { masking: 2 } })).skipChannels).toBe(true);
        // power 2 with masking 1 cannot be represented and gets no skip (the error floor is the point)
        expect(compileExperiment(makeSpec({ operation: { target: { kind: 'power', order: 2 } } })).skipChannels).toBe(false);
    });

    it('counts meta-epoch steps as M * K * E', () => {
        const plan = compileExperiment(
            makeSpec({ experiment: { schedule: { kind: 'metaEpochs', metaEpochs: 3, masks: 4, stepsPerMask: 5, order: 'fixed' } } }),
        );
        expect(plan.steps).toBe(60);
        expect(plan.schedule).toMatchObject({ kind: 'metaEpochs', steps: 60, masks: 4 });
    });

    it('is plain JSON data and pure', () => {
        const spec = makeSpec();
        const plan = compileExperiment(spec);
        expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
        expect(compileExperiment(structuredClone(spec))).toEqual(plan);
    });

    it('estimates memory that grows with batch and size', () => {
        const small = compileExperiment(makeSpec({ operation: { size: 5 } })).memoryEstimateBytes;
        const big = compileExperiment(makeSpec({ operation: { size: 50 } })).memoryEstimateBytes;
        const bigBatch = compileExperiment(makeSpec({ operation: { size: 5 }, experiment: { batch: 320 } })).memoryEstimateBytes;
        expect(small).toBeGreaterThan(0);
        expect(big).toBeGreaterThan(10 * small);
        expect(bigBatch).toBeGreaterThan(small);
    });

    it('rejects what the trainer cannot run with a clear message', () => {
        expect(() => compileExperiment(makeSpec({ operation: { size: 0 } }))).toThrow(/size must be a positive integer/);
        expect(() => compileExperiment(makeSpec({ operation: { sparsity: 1 } }))).toThrow(/sparsity/);
        expect(() => compileExperiment(makeSpec({ network: { masking: 65 } }))).toThrow(/masking must be an integer from 1 to 64; got 65/);
        const other = { ...makeSpec().operation, name: 'Other', size: 7 };
        expect(() =>
            compileExperiment(makeSpec({ experiment: { evaluations: [{ on: 'Other', samples: 10, operation: other }] } })),
        ).toThrow(/evaluation on Other at size 7 needs weights shared/);
    });
});

describe('planHash', () => {
    it('is stable under key order and changes with the plan', () => {
        const plan = compileExperiment(makeSpec());
        const reordered = JSON.parse(canonicalJson(plan)) as typeof plan;
        expect(planHash(reordered)).toBe(planHash(plan));
        expect(planHash(plan)).toMatch(/^[0-9a-f]{64}$/);
        expect(planHash(compileExperiment(makeSpec({ experiment: { seed: 2 } })))).not.toBe(planHash(plan));
        expect(planHash(compileExperiment(makeSpec({ network: { width: 5 } })))).not.toBe(planHash(plan));
    });

    it("carries the sampler version: a plan hashed as before sampler 2 (the plan's JSON alone) reads as stale", () => {
        const plan = compileExperiment(makeSpec());
        expect(SAMPLER_VERSION).toBe(2);
        const samplerOne = createHash('sha256').update(canonicalJson(plan)).digest('hex');
        expect(isStale({ planHash: samplerOne }, planHash(plan))).toBe(true);
    });

    it('hashes a sweep over every point', () => {
        const spec = makeSpec({ experiment: { sweep: [{ parameter: 'size', values: [3, 4] }] } });
        const plan = compileExperimentPlan(spec);
        expect(plan.points.map(p => p.plan.operation.n)).toEqual([3, 4]);
        expect(plan.points.map(p => p.params)).toEqual([{ size: 3 }, { size: 4 }]);
        const h = plan.hash;
        expect(h).toBe(compileExperimentPlan(structuredClone(spec)).hash);
        expect(h).not.toBe(compileExperimentPlan(makeSpec({ experiment: { sweep: [{ parameter: 'size', values: [3, 5] }] } })).hash);
        // a one-value sweep is still a sweep: its hash covers the point's params
        const oneValue = compileExperimentPlan(makeSpec({ experiment: { sweep: [{ parameter: 'size', values: [5] }] } }));
        expect(oneValue.hash).not.toBe(planHash(oneValue.points[0].plan));
        // without a sweep the experiment is one point without params, and its hash is the plan hash
        const single = compileExperimentPlan(makeSpec());
        expect(single.points.map(p => p.params)).toEqual([{}]);
        expect(single.hash).toBe(planHash(single.points[0].plan));
    });
});

describe('seeds and targets', () => {
    it('derives distinct, repeatable seed streams', () => {
        expect(deriveSeed(1, 1)).toBe(deriveSeed(1, 1));
        expect(new Set([deriveSeed(1, 1), deriveSeed(1, 2), deriveSeed(2, 1), deriveSeed(1, 3)]).size).toBe(4);
    });
    it('maps operation kinds to coefficients', () => {
        expect(targetCoefficients({ kind: 'matvec' })).toEqual([0, 1]);
        expect(targetCoefficients({ kind: 'power', order: 3 })).toEqual([0, 0, 0, 1]);
        expect(targetCoefficients({ kind: 'polynomial', coefficients: [0.5, 1] })).toEqual([0.5, 1]);
    });
});
