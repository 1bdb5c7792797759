// The requests behind the results view's history and the compare view: kept runs, one run's result, what to compare with, a comparison.
import type { LangiumDocument } from 'langium';
import type { Experiment } from '../../generated/ast.js';
import type { CompareCandidate, CompareRunsResponse, GetHistoryResponse, GetResultsResponse, HistoryRun, RunRef } from '../../protocol.js';
import type { EmnServices } from '../../emn-module.js';
import { type ComparedRun, compareRuns, describeChange, planSettings, sci, settingChanges } from '../../../engine/view.js';
import { isStale, type ResultsRepository, runOfResult } from '../../../engine/index.js';
import type { ExperimentResult } from '../../../engine/view.js';
import { sweepSummary } from './result-summary.js';
import { experimentsOf } from './experiments-of.js';

/** The headline metric of a run, as the lens says it (seeds: the median and how many reached the target). */
function headline(r: ExperimentResult): string {
    return sweepSummary(r) ?? `MSE ${sci(r.metrics.mse)}`;
}

/** "2026-12-01 06:50 UTC": a run's time in the quick pick (the views show local time themselves). */
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export class RunComparisons {
    constructor(protected readonly services: EmnServices) {}

    protected get training() {
        return this.services.training.TrainingService;
    }

    /** The document and experiment a request names, or why there is none. */
    protected async find(
        uri: string,
        experiment: string,
    ): Promise<{ document: LangiumDocument; node: Experiment; results: ResultsRepository } | string> {
        const document = await this.training.builtDocument(uri);
        const node = document && experimentsOf(document).find(e => e.name === experiment);
        if (!document || !node) return `no experiment named ${experiment} in ${uri}`;
        if (document.uri.scheme !== 'file') return `${experiment} has no results: its spec is not a file on disk`;
        const settings = await this.services.training.Settings.settingsFor(uri);
        return { document, node, results: this.services.training.TrainingEngine.results(document.uri.fsPath, settings.resultsFolder) };
    }

    /** The kept runs, newest first, each with what changed from the run before it. */
    async history(uri: string, experiment: string): Promise<GetHistoryResponse> {
        const found = await this.find(uri, experiment);
        if (typeof found === 'string') return { runs: [], warnings: [found] };
        const entries = found.results.history(experiment);
        const stored = await this.training.storedResults(found.document, found.node);
        const resultRun = stored.result && runOfResult(entries, stored.result)?.run;
        const runs: HistoryRun[] = [];
        let beforeSettings: Record<string, string> | undefined;
        for (const e of entries) {
            if (!e.record) continue;
            const r = e.record;
            runs.push({
                run: r.run,
                finishedAt: r.finishedAt,
                backend: r.backend,
                stopped: r.stopped,
                headline: headline(r.result),
                changes: beforeSettings ? settingChanges(beforeSettings, r.settings).map(describeChange) : [],
            });
            beforeSettings = r.settings;
        }
        return {
            runs: runs.reverse(),
            ...(resultRun !== undefined ? { resultRun } : {}),
            warnings: entries.flatMap(e => (e.warning ? [e.warning] : [])),
        };
    }

    /** One kept run's result, stale when the spec's plan is not the one it trained. */
    async runResult(uri: string, experiment: string, run: number): Promise<GetResultsResponse> {
        const found = await this.find(uri, experiment);
        if (typeof found === 'string') return { stale: false, warning: found };
        const entry = found.results.findRun(experiment, String(run));
        if (typeof entry === 'string') return { stale: false, warning: entry };
        const plan = this.training.currentPlan(found.node);
        return { result: entry.record!.result, stale: isStale(entry.record!.result, 'plan' in plan ? plan.plan.hash : undefined) };
    }

    /**
     * The kept runs of this experiment but the one its result is (newest first; a failed newest run is one of them),
     * then the latest result of every other experiment of the workspace's specs.
     */
    async candidates(uri: string, experiment: string): Promise<CompareCandidate[]> {
        const out: CompareCandidate[] = [];
        const own = await this.history(uri, experiment);
        for (const r of own.runs.filter(r => r.run !== own.resultRun)) {
            out.push({
                ref: { uri, experiment, run: r.run },
                group: 'earlier runs',
                label: `${experiment}@${r.run}`,
                description: [when(r.finishedAt), r.headline, ...r.changes.slice(0, 3)].join(' · '),
            });
        }
        const documents = this.services.shared.workspace.LangiumDocuments.all.filter(d => d.uri.scheme === 'file').toArray();
        const spec = (d: LangiumDocument) => d.uri.path.split('/').pop() ?? d.uri.path;
        for (const document of documents.sort((a, b) =>
            a.uri.toString() === uri ? -1 : b.uri.toString() === uri ? 1 : spec(a).localeCompare(spec(b)),
        )) {
            for (const node of experimentsOf(document)) {
                if (document.uri.toString() === uri && node.name === experiment) continue;
                const stored = await this.training.storedResults(document, node);
                if (!stored.result) continue;
                out.push({
                    ref: { uri: document.uri.toString(), experiment: node.name },
                    group: 'other experiments',
                    label: document.uri.toString() === uri ? node.name : `${node.name} (${spec(document)})`,
                    description: [when(stored.result.finishedAt), headline(stored.result), ...(stored.stale ? ['stale'] : [])].join(' · '),
                });
            }
        }
        return out;
    }

    /** Run B compared with run A (results/compare-runs.ts): the same comparison `emn diff` prints. */
    async compare(a: RunRef, b: RunRef): Promise<CompareRunsResponse> {
        const showFile = a.uri !== b.uri;
        const sides: ComparedRun[] = [];
        for (const ref of [a, b]) {
            const found = await this.find(ref.uri, ref.experiment);
            if (typeof found === 'string') return { error: found };
            const side = await found.results.compared(ref.experiment, ref.run !== undefined ? String(ref.run) : undefined, showFile, () => {
                const plan = this.training.currentPlan(found.node);
                return Promise.resolve(
                    'error' in plan ? `${ref.experiment}: ${plan.error}` : { settings: planSettings(plan.plan), planHash: plan.plan.hash },
                );
            });
            if (typeof side === 'string') return { error: side };
            sides.push(side);
        }
        return { comparison: compareRuns(sides[0], sides[1]) };
    }
}
