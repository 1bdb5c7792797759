// A validation check that reports the last failed or diverged run on the experiment's name, beside the spec's own diagnostics.
import { AstUtils, type ValidationAcceptor } from 'langium';
import type { Experiment } from '../../generated/ast.js';
import type { EmnServices } from '../../emn-module.js';
import { isStale } from '../../../engine/index.js';
import { TRAINING_DIAGNOSTIC_SOURCE } from './training-service.js';

export const TrainingDiagnosticCodes = {
    Failed: 'emn.training-failed',
    Diverged: 'emn.training-diverged',
} as const;

/**
 * Registered as a validation check (not published separately) so Langium merges it with the other
 * diagnostics of the document; the TrainingService re-validates the document after every run.
 */
export function registerTrainingDiagnostics(services: EmnServices): void {
    services.validation.ValidationRegistry.register({
        Experiment: async (node: Experiment, accept: ValidationAcceptor) => {
            const uri = AstUtils.getDocument(node).uri.toString();
            // looked up per check, not at registration: `emn check` never trains and never builds the training services
            const training = services.training.TrainingService;
            const failure = await training.failure(uri, node.name);
            if (!failure) return;
            // a changed spec is a new experiment: the old failure says nothing about it
            const plan = training.currentPlan(node);
            if (isStale(failure, 'plan' in plan ? plan.plan.hash : undefined)) return;
            const code = failure.outcome === 'diverged' ? TrainingDiagnosticCodes.Diverged : TrainingDiagnosticCodes.Failed;
            // diverging is a property of the spec (lr, init) the user can fix; a failed worker is an error of the run
            accept(failure.outcome === 'diverged' ? 'warning' : 'error', failure.message, {
                node,
                property: 'name',
                code,
                data: { code, source: TRAINING_DIAGNOSTIC_SOURCE },
            });
        },
    });
}
