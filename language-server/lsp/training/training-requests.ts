// Handlers of the custom requests (results, a run of the history, comparisons, plan, experiment at a position), registered on the server's
// connection.
import type { Connection } from 'vscode-languageserver';
import {
    CompareCandidatesRequest,
    CompareRunsRequest,
    ExperimentAtRequest,
    GetHistoryRequest,
    GetPlanRequest,
    GetResultsRequest,
} from '../../protocol.js';
import type { EmnServices } from '../../emn-module.js';
import { RunComparisons } from './run-comparisons.js';
import { experimentsOf } from './experiments-of.js';

export function registerTrainingRequests(connection: Connection, services: EmnServices): void {
    const training = services.training.TrainingService;
    const comparisons = new RunComparisons(services);

    connection.onRequest(GetResultsRequest, async ({ uri, experiment, run }) => {
        if (run !== undefined) return comparisons.runResult(uri, experiment, run);
        const document = await training.builtDocument(uri);
        const node = document && experimentsOf(document).find(e => e.name === experiment);
        if (!document || !node) return { stale: false, warning: `no experiment named ${experiment} in ${uri}` };
        return training.storedResults(document, node);
    });

    connection.onRequest(GetHistoryRequest, ({ uri, experiment }) => comparisons.history(uri, experiment));
    connection.onRequest(CompareCandidatesRequest, async ({ uri, experiment }) => ({
        candidates: await comparisons.candidates(uri, experiment),
    }));
    connection.onRequest(CompareRunsRequest, ({ a, b }) => comparisons.compare(a, b));

    connection.onRequest(GetPlanRequest, async ({ uri, experiment }) => {
        const document = await training.builtDocument(uri);
        const node = document && experimentsOf(document).find(e => e.name === experiment);
        if (!document || !node) return { error: `no experiment named ${experiment} in ${uri}` };
        const plan = training.currentPlan(node);
        return 'error' in plan ? { error: plan.error } : { plan: plan.plan };
    });

    connection.onRequest(ExperimentAtRequest, async ({ uri, line, character }) => {
        const document = await training.builtDocument(uri);
        if (!document) return { all: [] };
        const experiments = experimentsOf(document);
        const offset = document.textDocument.offsetAt({ line, character });
        const at = experiments.find(e => e.$cstNode && e.$cstNode.offset <= offset && offset <= e.$cstNode.end);
        return { experiment: at?.name, all: experiments.map(e => e.name) };
    });
}
