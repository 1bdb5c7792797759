// The compiled plan of an experiment as its document says now, its stored results (stale when the plan changed), and the
// rate a document's sweep previews are estimated at.
import { type LangiumDocument, WorkspaceCache } from 'langium';
import type { Experiment } from '../../generated/ast.js';
import type { GetResultsResponse } from '../../protocol.js';
import { resolveExperiment } from '../../resolve-spec.js';
import type { ExperimentPlan, ExperimentResult, ExperimentSpec } from '../../../engine/view.js';
import type { EmnServices } from '../../emn-module.js';
import { calibrate, type Calibration, isStale } from '../../../engine/index.js';
import { experimentsOf } from './experiments-of.js';
import { errorMessage } from '../../../engine/view.js';

export type CurrentPlan = { plan: ExperimentPlan; spec: ExperimentSpec } | { error: string };

export class TrainingPlans {
    protected readonly services: EmnServices;
    /**
     * Compiled plans by resolved-spec JSON: CodeLens, hints and validation ask on every keystroke. Langium empties it
     * on every workspace update (an import can change what an experiment resolves to), so it never outgrows one text.
     */
    protected readonly cache: WorkspaceCache<string, CurrentPlan>;
    /**
     * The last calibration of each document, with the (plan, result) pairs it was computed from: the plans are the
     * cache's objects and the results the engine's (decoded again only when the file changed on disk), so the same
     * pairs mean the same document text and the same results store.
     */
    protected readonly calibrations = new Map<string, { basis: object[]; calibration: Calibration }>();

    constructor(services: EmnServices) {
        this.services = services;
        this.cache = new WorkspaceCache(services.shared);
    }

    /** The compiled plan of an experiment as the document says now (or why it has none). */
    currentPlan(node: Experiment): CurrentPlan {
        const spec = resolveExperiment(node);
        if (!spec) return { error: `${node.name} has no resolved \`learn\` operation and network` };
        return this.cache.get(JSON.stringify(spec), () => {
            try {
                return { plan: this.services.training.TrainingEngine.compile(spec), spec };
            } catch (err) {
                return { error: errorMessage(err) };
            }
        });
    }

    /** The stored results of an experiment, stale when the spec changed since. */
    async storedResults(document: LangiumDocument, node: Experiment): Promise<GetResultsResponse> {
        if (document.uri.scheme !== 'file') return { stale: false };
        const settings = await this.services.training.Settings.settingsFor(document.uri.toString());
        const stored = this.services.training.TrainingEngine.results(document.uri.fsPath, settings.resultsFolder).load(node.name);
        if (!stored.result) return { stale: false, warning: stored.warning };
        const plan = this.currentPlan(node);
        const stale = isStale(stored.result, 'plan' in plan ? plan.plan.hash : undefined);
        return { result: stored.result, stale, warning: stored.warning };
    }

    /**
     * The rate this machine trained the document's experiments at (their results of their current plan): the CodeLens
     * asks once per sweep on every request, so it is computed again only when a plan (an edit) or a result changed.
     */
    async calibration(document: LangiumDocument): Promise<Calibration> {
        const trained: { spec: ExperimentSpec; result: ExperimentResult }[] = [];
        const basis: object[] = [];
        for (const node of experimentsOf(document)) {
            const stored = await this.storedResults(document, node);
            const plan = this.currentPlan(node);
            if (!stored.result || stored.stale || 'error' in plan) continue;
            trained.push({ spec: plan.spec, result: stored.result });
            basis.push(plan, stored.result);
        }
        const key = document.uri.toString();
        const cached = this.calibrations.get(key);
        if (cached && cached.basis.length === basis.length && cached.basis.every((o, k) => o === basis[k])) return cached.calibration;
        const calibration = calibrate(trained);
        this.calibrations.set(key, { basis, calibration });
        return calibration;
    }
}
