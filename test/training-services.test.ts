// The training services are Langium services: validation (what `emn check` runs) never builds the training engine.
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import { isExperiment, type Spec } from '../language-server/generated/ast.js';
import { createEmnServices } from '../language-server/emn-module.js';
import { PLAN_CACHE_ENTRIES, PLAN_CACHE_POINTS } from '../language-server/lsp/training/plan-cache.js';

describe('training services in the DI module', () => {
    it('validates a spec with experiments without building the training engine', async () => {
        let built = 0;
        const services = createEmnServices(EmptyFileSystem, {
            training: { TrainingEngine: () => { built++; throw new Error('the training engine was built'); } },
        }).Emn;
        const document = await parseHelper<Spec>(services)(
            'operation Op { matvec size 4 }\nnetwork Net { width 2 }\nexperiment Quick { learn Op with Net steps 10 }\n',
            { validation: true });
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(document.diagnostics?.filter(d => d.severity === 1)).toEqual([]);
        expect(built).toBe(0);
        // the override is the engine the service uses: asking for a plan builds it
        const experiment = document.parseResult.value.declarations.find(isExperiment)!;
        expect(services.training.Plans.currentPlan(experiment)).toEqual({ error: 'the training engine was built' });
        expect(built).toBe(1);
    });
});

describe('the plan cache', () => {
    it('keeps the plans asked last, bounded in plans and in sweep points, however many edits compiled new ones', async () => {
        const services = createEmnServices(EmptyFileSystem).Emn;
        const plans = services.training.Plans;
        const parse = parseHelper<Spec>(services);
        const experimentOf = async (text: string) => (await parse(text)).parseResult.value.declarations.find(isExperiment)!;
        const single = (lr: number) => `operation Op { matvec size 4 }\nnetwork Net { width 2 }\nexperiment E { learn Op with Net optimizer sgd(lr ${lr}) }\n`;
        // an lr edited 300 times: 300 new plans, the cache keeps the newest PLAN_CACHE_ENTRIES
        const current = await experimentOf(single(0.5));
        const first = plans.currentPlan(current);
        for (let k = 1; k <= 300; k++) plans.currentPlan(await experimentOf(single(0.5 + k * 1e-4)));
        expect(plans.cacheSize.plans).toBe(PLAN_CACHE_ENTRIES);
        // the newest are kept: asking again is the same object
        const last = await experimentOf(single(0.5 + 300 * 1e-4));
        expect(plans.currentPlan(last)).toBe(plans.currentPlan(last));
        // the first was dropped (compiled again: equal, not the same object)
        const again = plans.currentPlan(current);
        expect(again).not.toBe(first);
        expect(again).toEqual(first);
        // big sweeps are bounded by their points: each of 1,000 points, the cache holds at most PLAN_CACHE_POINTS of them
        const sweep = (lr: number) => single(lr).replace('optimizer sgd(', `sweep seed [${Array.from({ length: 1000 }, (_, k) => k).join(', ')}] optimizer sgd(`);
        for (let k = 0; k < 8; k++) plans.currentPlan(await experimentOf(sweep(0.1 + k * 1e-3)));
        expect(plans.cacheSize.points).toBeLessThanOrEqual(PLAN_CACHE_POINTS);
        expect(plans.cacheSize.points).toBeGreaterThanOrEqual(PLAN_CACHE_POINTS - 1000);
    });
});
