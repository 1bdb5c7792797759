// The training commands (train, train all, cancel) and the queries the providers ask, over the training services of emn-module.ts.
import { AstUtils, DocumentState, URI, UriUtils, type LangiumDocument } from 'langium';
import { ignore } from '../../../engine/view.js';
import type { Position } from 'vscode-languageserver';
import type { Experiment } from '../../generated/ast.js';
import type { GetResultsResponse, Refusal, TrainCommandResult } from '../../protocol.js';
import { findProperty } from '../../resolve-spec.js';
import { memoryRefusal, previewSweep, previewText, rateText } from '../../../engine/index.js';
import type { EmnServices } from '../../emn-module.js';
import type { CurrentPlan } from './training-plans.js';
import type { FailedOutcome } from './training-outcomes.js';
import type { ActiveRun } from './training-run-queue.js';
import { experimentsOf } from './experiments-of.js';

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

    /** Whether the client can run this client-side command (VS Code's extension can; another editor names none). */
    clientRuns(command: string): boolean {
        return this.training.Settings.clientRuns(command);
    }

    // ---- queries used by CodeLens, inlay hints, hover, diagnostics and requests ----

    activeRun(uri: string, experiment: string): ActiveRun | undefined {
        return this.training.Runs.get(uri, experiment);
    }

    failure(uri: string, experiment: string): Promise<FailedOutcome | undefined> {
        return this.training.Outcomes.failure(uri, experiment);
    }

    currentPlan(node: Experiment): CurrentPlan {
        return this.training.Plans.currentPlan(node);
    }

    storedResults(document: LangiumDocument, node: Experiment): Promise<GetResultsResponse> {
        return this.training.Plans.storedResults(document, node);
    }

    /**
     * Before a sweep (or seeds) trains: "30 points · about 10 min here", from the cost model calibrated on the file's
     * experiments whose results are of their current plan (sweep-preview.ts); undefined for a single run.
     */
    async sweepPreview(document: LangiumDocument, node: Experiment): Promise<string | undefined> {
        const plan = this.currentPlan(node);
        if ('error' in plan || plan.plan.points.length < 2) return undefined;
        const calibration = await this.training.Plans.calibration(document);
        return `${previewText(previewSweep(plan.spec, calibration)).replace(', about', ' · about')} (${rateText(calibration)}, ${calibration.basis})`;
    }

    /** "Slurm job 123: 17/40 points done" while the experiment runs as a Slurm array, else undefined. */
    slurmSweep(uri: string, experiment: string): string | undefined {
        const sweep = this.training.Slurm.get(uri, experiment);
        return sweep ? this.training.Slurm.title(sweep) : undefined;
    }

    /** Whether to offer "Train on Slurm": a sweep, in a trusted workspace, where Slurm is enabled (sbatch on the PATH). */
    async offersSlurm(document: LangiumDocument, node: Experiment): Promise<boolean> {
        if (!this.isTrusted || !node.properties.some(p => p.$type === 'SweepProperty')) return false;
        if (!(await this.training.Slurm.enabled(document.uri.toString()))) return false;
        // an array this spec started in an earlier session (or from the CLI) and still running is followed again; not
        // awaited: asking squeue must not hold up the lenses, and following it refreshes them
        void this.training.Slurm.adoptRunning(document, node, () => this.currentPlan(node)).catch(ignore);
        return true;
    }

    // ---- commands ----

    async train(uri: string, experiment: string): Promise<TrainCommandResult> {
        const found = await this.experimentFor(uri, experiment);
        if ('reason' in found) return { experiments: [], ...found };
        const refused = this.enqueue(found.document, found.node);
        return refused ? { experiments: [], ...refused } : { experiments: [experiment] };
    }

    async trainAll(uri: string): Promise<TrainCommandResult> {
        if (!this.isTrusted) return { experiments: [], reason: 'untrusted', message: untrustedMessage };
        const document = await this.builtDocument(uri);
        if (!document) return { experiments: [], reason: 'not-a-file', message: `cannot open ${uri}` };
        const started: string[] = [];
        const refusals: Refusal[] = [];
        for (const node of experimentsOf(document)) {
            const refused = this.enqueue(document, node);
            if (refused) refusals.push(refused);
            else started.push(node.name);
        }
        if (experimentsOf(document).length === 0)
            refusals.push({ reason: 'unknown-experiment', message: 'this file declares no experiment' });
        if (refusals.length === 0) return { experiments: started };
        const reason = refusals.some(r => r.reason === 'spec-errors') ? 'spec-errors' : refusals[0].reason;
        return { experiments: started, reason, message: refusals.map(r => r.message).join('; ') };
    }

    /** Runs the sweep as a Slurm job array (SlurmSweeps); refused like a local run (trust, already training, errors, memory). */
    async trainOnSlurm(uri: string, experiment: string): Promise<TrainCommandResult> {
        const found = await this.experimentFor(uri, experiment);
        if ('reason' in found) return { experiments: [], ...found };
        const plan = this.trainablePlan(found.document, found.node);
        if ('reason' in plan) return { experiments: [], ...plan };
        return this.training.Slurm.submit(found.document, found.node, plan);
    }

    /**
     * Cancels one run (or every run of the file): a running one stops within a step, a queued one never starts; a Slurm array is
     * scancelled.
     */
    async cancel(uri: string, experiment?: string): Promise<TrainCommandResult> {
        const cancelled = [...this.training.Runs.cancel(uri, experiment), ...(await this.training.Slurm.cancel(uri, experiment))];
        return cancelled.length > 0
            ? { experiments: cancelled }
            : {
                  experiments: [],
                  reason: 'not-training',
                  message: experiment ? `${experiment} is not training` : 'nothing is training in this file',
              };
    }

    /** The built document and the named experiment in it, or why there is none (untrusted, unreadable, no such name). */
    protected async experimentFor(uri: string, experiment: string): Promise<{ document: LangiumDocument; node: Experiment } | Refusal> {
        if (!this.isTrusted) return { reason: 'untrusted', message: untrustedMessage };
        const document = await this.builtDocument(uri);
        if (!document) return { reason: 'not-a-file', message: `cannot open ${uri}` };
        const node = experimentsOf(document).find(e => e.name === experiment);
        if (!node)
            return { reason: 'unknown-experiment', message: `no experiment named ${experiment} in ${document.uri.path.split('/').pop()}` };
        return { document, node };
    }

    /** Returns why the experiment cannot be queued, or undefined when it was. */
    protected enqueue(document: LangiumDocument, node: Experiment): Refusal | undefined {
        const plan = this.trainablePlan(document, node);
        if ('reason' in plan) return plan;
        this.training.Runs.add({
            uri: document.uri.toString(),
            experiment: node.name,
            state: 'queued',
            cancelled: false,
            spec: plan.spec,
            plan: plan.plan,
            specPath: document.uri.fsPath,
            specText: document.textDocument.getText(),
        });
        return undefined;
    }

    /**
     * The plan to train, or why the experiment cannot train now: it is already training (here or on Slurm), its spec
     * has errors, it has no file on disk, no plan, or it is too big. One check for local runs, Train all and Slurm.
     */
    protected trainablePlan(document: LangiumDocument, node: Experiment): Exclude<CurrentPlan, { error: string }> | Refusal {
        const uri = document.uri.toString();
        const existing = this.training.Runs.get(uri, node.name);
        if (existing || this.training.Slurm.get(uri, node.name)) {
            const where = existing?.progress
                ? ` (step ${existing.progress.step}/${existing.progress.steps})`
                : existing?.state === 'queued'
                  ? ' (queued)'
                  : existing
                    ? ''
                    : ' (on Slurm)';
            return { reason: 'busy', message: `${node.name} is already training${where}; cancel it first or wait for it to finish` };
        }
        const errors = specErrors(document, node);
        if (errors.length > 0)
            return { reason: 'spec-errors', message: `${node.name} cannot train: fix the errors in the spec first (${errors[0]})` };
        if (document.uri.scheme !== 'file') {
            return {
                reason: 'not-a-file',
                message: `${node.name} cannot train: results are saved beside the spec, which needs a file on disk`,
            };
        }
        const plan = this.currentPlan(node);
        if ('error' in plan) return { reason: 'no-plan', message: `${node.name} cannot train: ${plan.error}` };
        // refused before a worker starts: an out-of-memory worker thread would take the whole server down
        const tooBig = memoryRefusal(plan.spec);
        if (tooBig) return { reason: 'too-big', message: `${node.name} cannot train: ${tooBig}` };
        return plan;
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

const untrustedMessage =
    'Training is disabled in an untrusted workspace: a spec can make the editor run long computations and write files. Trust the workspace to train.';

/**
 * The spec's own errors (not the training diagnostics) inside the experiment and the operation and
 * network it learns, also where those are imported from another file: an error in another experiment
 * of the file does not stop this one.
 */
export function specErrors(document: LangiumDocument, node: Experiment): string[] {
    const learn = findProperty(node.properties, 'LearnProperty');
    const errors: string[] = [];
    for (const n of [node, learn?.operation?.ref, learn?.network?.ref]) {
        if (!n?.$cstNode) continue;
        const home = AstUtils.getDocument(n);
        const span = n.$cstNode.range;
        const where = home === document ? '' : `${UriUtils.basename(home.uri)} `;
        for (const d of home.diagnostics ?? []) {
            const inside = comparePositions(span.start, d.range.start) <= 0 && comparePositions(d.range.end, span.end) <= 0;
            const source = (d.data as { source?: string } | undefined)?.source;
            const message = typeof d.message === 'string' ? d.message : d.message.value;
            if (inside && d.severity === 1 && source !== TRAINING_DIAGNOSTIC_SOURCE)
                errors.push(`${where}line ${d.range.start.line + 1}: ${message}`);
        }
    }
    return errors;
}

function comparePositions(a: Position, b: Position): number {
    return a.line - b.line || a.character - b.character;
}
