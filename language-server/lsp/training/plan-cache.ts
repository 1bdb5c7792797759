// The compiled plan of an experiment as its document says now, and its stored results (stale when the plan changed).
import type { LangiumDocument } from 'langium';
import type { Experiment } from '../../generated/ast.js';
import type { GetResultsResponse } from '../../protocol.js';
import { resolveExperiment } from '../../spec/resolve-spec.js';
import type { ExperimentSpec } from '../../spec/spec-types.js';
import type { EmnServices } from '../../emn-module.js';
import type { ExperimentPlan } from '../../compiler/plan-types.js';
import { errorMessage } from './run-keys.js';

export type CurrentPlan = { plan: ExperimentPlan; spec: ExperimentSpec } | { error: string };

export class TrainingPlans {
    protected readonly services: EmnServices;
    /** Compiled plans by resolved-spec JSON: CodeLens and validation ask on every keystroke. */
    protected readonly cache = new Map<string, CurrentPlan>();

    constructor(services: EmnServices) {
        this.services = services;
    }

    /** The compiled plan of an experiment as the document says now (or why it has none). */
    currentPlan(node: Experiment): CurrentPlan {
        const spec = resolveExperiment(node);
        if (!spec) return { error: `${node.name} has no resolved \`learn\` operation and network` };
        const key = JSON.stringify(spec);
        const cached = this.cache.get(key);
        if (cached) return cached;
        let plan: CurrentPlan;
        try {
            plan = { plan: this.services.training.TrainingEngine.compile(spec), spec };
        } catch (err) {
            plan = { error: errorMessage(err) };
        }
        if (this.cache.size > 200) this.cache.clear();
        this.cache.set(key, plan);
        return plan;
    }

    /** The stored results of an experiment, stale when the spec changed since. */
    async storedResults(document: LangiumDocument, node: Experiment): Promise<GetResultsResponse> {
        if (document.uri.scheme !== 'file') return { stale: false };
        const settings = await this.services.training.Settings.settingsFor(document.uri.toString());
        const stored = this.services.training.TrainingEngine.load(document.uri.fsPath, settings.resultsFolder, node.name);
        if (!stored.result) return { stale: false, warning: stored.warning };
        const plan = this.currentPlan(node);
        const stale = !('plan' in plan) || plan.plan.hash !== stored.result.planHash;
        return { result: stored.result, stale, warning: stored.warning };
    }
}
