// The training commands (train, train all, cancel) and the queries the providers ask, over the training services of emn-module.ts.
import { AstUtils, DocumentState, URI, type LangiumDocument } from 'langium';
import type { Position, Range } from 'vscode-languageserver';
import type { Experiment } from '../../generated/ast.js';
import type { GetResultsResponse, TrainCommandResult } from '../../protocol.js';
import { findProperty } from '../../spec/resolve-spec.js';
import { memoryRefusal } from '../../validation/training-limits.js';
import type { EmnServices } from '../../emn-module.js';
import type { CurrentPlan } from './plan-cache.js';
import type { FailedOutcome } from './run-outcomes.js';
import type { ActiveRun } from './run-queue.js';
import { experimentsOf } from './run-keys.js';

/** Source of the diagnostics the training services add, so spec-error checks can tell them apart. */
export const TRAINING_DIAGNOSTIC_SOURCE = 'emn-training';

export class TrainingService {
    protected readonly services: EmnServices;

    constructor(services: EmnServices) {
        this.services = services;
        // the client's initialize request and trust notifications reach these before any command does
        void services.training.Settings;
        void services.training.Views;
    }

    protected get training(): EmnServices['training'] {
        return this.services.training;
    }

    get isTrusted(): boolean {
        return this.training.Settings.isTrusted;
    }

    // ---- queries used by CodeLens, inlay hints, hover, diagnostics and requests ----

    activeRun(uri: string, experiment: string): ActiveRun | undefined {
        return this.training.Runs.get(uri, experiment);
    }

    failure(uri: string, experiment: string): FailedOutcome | undefined {
        return this.training.Outcomes.failure(uri, experiment);
    }

    currentPlan(node: Experiment): CurrentPlan {
        return this.training.Plans.currentPlan(node);
    }

    storedResults(document: LangiumDocument, node: Experiment): Promise<GetResultsResponse> {
        return this.training.Plans.storedResults(document, node);
    }

    // ---- commands ----

    async train(uri: string, experiment: string): Promise<TrainCommandResult> {
        if (!this.isTrusted) return { experiments: [], message: untrustedMessage };
        const document = await this.builtDocument(uri);
        if (!document) return { experiments: [], message: `cannot open ${uri}` };
        const node = experimentsOf(document).find(e => e.name === experiment);
        if (!node) return { experiments: [], message: `no experiment named ${experiment} in ${document.uri.path.split('/').pop()}` };
        const refused = this.enqueue(document, node);
        return refused ? { experiments: [], message: refused } : { experiments: [experiment] };
    }

    async trainAll(uri: string): Promise<TrainCommandResult> {
        if (!this.isTrusted) return { experiments: [], message: untrustedMessage };
        const document = await this.builtDocument(uri);
        if (!document) return { experiments: [], message: `cannot open ${uri}` };
        const started: string[] = [];
        const refusals: string[] = [];
        for (const node of experimentsOf(document)) {
            const refused = this.enqueue(document, node);
            if (refused) refusals.push(refused); else started.push(node.name);
        }
        if (experimentsOf(document).length === 0) refusals.push('this file declares no experiment');
        return { experiments: started, message: refusals.length > 0 ? refusals.join('; ') : undefined };
    }

    /** Cancels one run (or every run of the file): a running one stops within a step, a queued one never starts. */
    cancel(uri: string, experiment?: string): TrainCommandResult {
        const cancelled = this.training.Runs.cancel(uri, experiment);
        return cancelled.length > 0 ? { experiments: cancelled }
            : { experiments: [], message: experiment ? `${experiment} is not training` : 'nothing is training in this file' };
    }

    /** Returns why the experiment cannot be queued, or undefined when it was. */
    protected enqueue(document: LangiumDocument, node: Experiment): string | undefined {
        const uri = document.uri.toString();
        const existing = this.training.Runs.get(uri, node.name);
        if (existing) {
            const where = existing.progress ? ` (step ${existing.progress.step}/${existing.progress.steps})` : existing.state === 'queued' ? ' (queued)' : '';
            return `${node.name} is already training${where}; cancel it first or wait for it to finish`;
        }
        const errors = specErrors(document, node);
        if (errors.length > 0) return `${node.name} cannot train: fix the errors in the spec first (${errors[0]})`;
        if (document.uri.scheme !== 'file') return `${node.name} cannot train: results are saved beside the spec, which needs a file on disk`;
        const plan = this.currentPlan(node);
        if ('error' in plan) return `${node.name} cannot train: ${plan.error}`;
        // refused before a worker starts: an out-of-memory worker thread would take the whole server down
        const tooBig = memoryRefusal(plan.spec);
        if (tooBig) return `${node.name} cannot train: ${tooBig}`;
        this.training.Runs.add({
            uri, experiment: node.name, state: 'queued', cancelled: false,
            spec: plan.spec, plan: plan.plan, specPath: document.uri.fsPath,
        });
        return undefined;
    }

    /** The document, parsed, linked and validated (loaded from disk when no editor has it open). */
    async builtDocument(uri: string): Promise<LangiumDocument | undefined> {
        const shared = this.services.shared;
        const parsed = URI.parse(uri);
        try {
            await shared.workspace.WorkspaceManager.ready;
            if (!shared.workspace.LangiumDocuments.hasDocument(parsed)) {
                await shared.workspace.WorkspaceLock.write(async token => {
                    const doc = await shared.workspace.LangiumDocuments.getOrCreateDocument(parsed);
                    await shared.workspace.DocumentBuilder.build([doc], { validation: true }, token);
                });
            }
            // an edit that arrived just before this request is a queued write: let it land first
            await shared.workspace.WorkspaceLock.read(() => undefined);
            await shared.workspace.DocumentBuilder.waitUntil(DocumentState.Validated, parsed);
            return shared.workspace.LangiumDocuments.getDocument(parsed);
        } catch {
            return undefined;
        }
    }
}

const untrustedMessage = 'Training is disabled in an untrusted workspace: a spec can make the editor run long computations and write files. Trust the workspace to train.';

/**
 * The spec's own errors (not the training diagnostics) inside the experiment and the operation and
 * network it learns: an error in another experiment of the file does not stop this one.
 */
export function specErrors(document: LangiumDocument, node: Experiment): string[] {
    const learn = findProperty(node.properties, 'LearnProperty');
    const spans = [node, learn?.operation?.ref, learn?.network?.ref]
        .filter(n => n?.$cstNode && AstUtils.getDocument(n) === document)
        .map(n => n!.$cstNode!.range);
    const inside = (r: Range) => spans.some(s => comparePositions(s.start, r.start) <= 0 && comparePositions(r.end, s.end) <= 0);
    return (document.diagnostics ?? [])
        .filter(d => d.severity === 1 && d.data?.source !== TRAINING_DIAGNOSTIC_SOURCE && inside(d.range))
        .map(d => `line ${d.range.start.line + 1}: ${d.message}`);
}

function comparePositions(a: Position, b: Position): number {
    return a.line - b.line || a.character - b.character;
}
