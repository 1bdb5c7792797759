// The calibrated cost model (engine/cost/step-rates.ts): kernel paths, point seconds and the workers a sweep gets.
import { describe, expect, it } from 'vitest';
import { compileExperimentPlan } from '../engine/compiler/compile-sweep.js';
import { estimateCost } from '../engine/cost/cost-estimate.js';
import { chooseWorkers, estimatePointSeconds, STEP_RATES, WORKER_START_SECONDS } from '../engine/cost/step-rates.js';
import { makeSpec, type SpecOverrides } from './trainer-fixtures.js';

const pointsOf = (o: SpecOverrides) => compileExperimentPlan(makeSpec(o)).points.map(p => estimatePointSeconds(p.plan));
const adam = { kind: 'adam' as const, lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

describe('the calibrated cost model', () => {
    it('prices a step by its kernel path: the SIMD step below the fused tfjs step below the tfjs graph at the same size', () => {
        const simd = pointsOf({ operation: { size: 20 } })[0];
        // fresh low-rank A is drawn by the JS sampler: the fused tfjs step
        const fused = pointsOf({ operation: { size: 20, rank: 2, entries: { kind: 'uniform', low: 0, high: 1 } } })[0];
        const power2 = { operation: { size: 20, target: { kind: 'power' as const, order: 2 } }, network: { masking: 2 } };
        const layers = pointsOf(power2)[0];
        const graph = pointsOf({ ...power2, experiment: { pool: 64 } })[0];
        expect(simd).toBeLessThan(fused);
        expect(fused).toBeLessThan(graph);
        expect(layers).toBeLessThan(graph);
        expect(STEP_RATES.simd.flopsPerSecond).toBeGreaterThan(STEP_RATES.graph.flopsPerSecond);
        expect(STEP_RATES.layers.flopsPerSecond).toBeGreaterThan(STEP_RATES.graph.flopsPerSecond);
        // more steps, more seconds; a stop rule is assumed to end a point early
        expect(pointsOf({ operation: { size: 20 }, experiment: { steps: 400 } })[0]).toBeGreaterThan(simd);
        expect(pointsOf({ operation: { size: 20 }, experiment: { stopBelowMse: 1e-8 } })[0]).toBeLessThan(simd);
    });

    it("trains examples/sweep.emn's grid serially (12 short points that stop early) and SweepLarge's on 2 threads", () => {
        const small = pointsOf({
            experiment: {
                optimizer: adam,
                batch: 64,
                steps: 3000,
                stopBelowMse: 1e-8,
                evaluations: [],
                sweep: [
                    { parameter: 'size', values: [5, 10, 15, 20] },
                    { parameter: 'sparsity', values: [0.2, 0.5, 0.8] },
                ],
            },
        });
        expect(small).toHaveLength(12);
        expect(chooseWorkers(small, 2)).toBe(1);
        const large = pointsOf({
            experiment: {
                optimizer: adam,
                batch: 64,
                steps: 3000,
                sweep: [
                    { parameter: 'size', values: [20, 30, 40, 50] },
                    { parameter: 'sparsity', values: [0.2, 0.5, 0.8] },
                ],
            },
        });
        expect(chooseWorkers(large, 2)).toBe(2);
        expect(chooseWorkers(large, 1)).toBe(1);
        // one point never gets a worker; a worker is only worth its start when the points outweigh it
        expect(chooseWorkers([100], 8)).toBe(1);
        expect(chooseWorkers([WORKER_START_SECONDS / 4, WORKER_START_SECONDS / 4], 2)).toBe(1);
    });

    it('prices weighted and normal entries, normal vectors, pools and meta-epochs on the SIMD path, normal draws on top', () => {
        const normalEntries = { kind: 'normal' as const, mean: 0, std: 1 };
        const simd = (o: SpecOverrides) => estimateCost(makeSpec({ ...o, operation: { size: 20, ...o.operation } }));
        const binary = simd({});
        const meta = { kind: 'metaEpochs' as const, metaEpochs: 1, masks: 16, stepsPerMask: 12, order: 'fixed' as const };
        for (const o of [
            { operation: { entries: { kind: 'uniform' as const, low: 0, high: 1 } } },
            { operation: { entries: normalEntries } },
            { operation: { vectors: normalEntries } },
            { experiment: { pool: 64 } },
            { experiment: { schedule: meta } },
        ] as SpecOverrides[])
            expect(simd(o).path).toBe('simd');
        // 200 normal values a sample (half of 20 x 20 kept) cost more than the arithmetic; a pool's entries are drawn once
        expect(simd({ operation: { entries: normalEntries } }).seconds).toBeGreaterThan(2 * binary.seconds);
        expect(simd({ operation: { entries: normalEntries }, experiment: { pool: 64 } }).seconds).toBeCloseTo(binary.seconds, 6);
    });

    it('the time warning uses the measured rates: a graph step is slower than a SIMD step of the same flops', () => {
        const simd = estimateCost(makeSpec({ operation: { size: 50 }, experiment: { steps: 10000 } }));
        const graph = estimateCost(
            makeSpec({ operation: { size: 50 }, network: { pruning: 'none' }, experiment: { steps: 10000, pool: 64 } }),
        );
        const layers = estimateCost(makeSpec({ operation: { size: 50 }, network: { pruning: 'none' }, experiment: { steps: 10000 } }));
        expect(layers.path).toBe('layers');
        expect(layers.seconds).toBeLessThan(graph.seconds);
        expect(simd.path).toBe('simd');
        expect(graph.path).toBe('graph');
        expect(graph.seconds / graph.flops).toBeGreaterThan(simd.seconds / simd.flops);
    });
});
