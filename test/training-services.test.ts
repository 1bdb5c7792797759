// The training services are Langium services: validation (what `emn check` runs) never builds the training engine.
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import { isExperiment, type Spec } from '../language-server/generated/ast.js';
import { createEmnServices } from '../language-server/emn-module.js';

describe('training services in the DI module', () => {
    it('validates a spec with experiments without building the training engine', async () => {
        let built = 0;
        const services = createEmnServices(EmptyFileSystem, {
            training: {
                TrainingEngine: () => {
                    built++;
                    throw new Error('the training engine was built');
                },
            },
        }).Emn;
        const document = await parseHelper<Spec>(services)(
            'operation Op { matvec size 4 }\nnetwork Net { width 2 }\nexperiment Quick { learn Op with Net steps 10 }\n',
            { validation: true },
        );
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(document.diagnostics?.filter(d => d.severity === 1)).toEqual([]);
        expect(built).toBe(0);
        // the override is the engine the service uses: asking for a plan builds it
        const experiment = document.parseResult.value.declarations.find(isExperiment)!;
        expect(services.training.Plans.currentPlan(experiment)).toEqual({ error: 'the training engine was built' });
        expect(built).toBe(1);
    });
});
