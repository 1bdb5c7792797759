// One TrainingService per language server: owns every training run (queue, cancel, progress, saving, outcomes) and tells the client.
import { AstUtils, DocumentState, URI, type LangiumDocument } from 'langium';
import { CodeLensRefreshRequest, type Connection, type InitializeParams, type Position, type Range } from 'vscode-languageserver';
import { isExperiment, type Experiment, type Spec } from '../../generated/ast.js';
import {
    TrainingFinishedNotification, TrainingProgressNotification, TrainingStartedNotification, TrustChangedNotification,
    type EmnInitializationOptions, type GetResultsResponse, type TrainCommandResult, type TrainingFinishedParams
} from '../../protocol.js';
import type { ExperimentResult, TrainingProgress } from '../../results/result-types.js';
import { findProperty, resolveExperiment } from '../../spec/resolve-spec.js';
import { memoryRefusal } from '../../validation/training-limits.js';
import type { ExperimentSpec } from '../../spec/spec-types.js';
import type { EmnServices } from '../../emn-module.js';
import type { CompiledExperiment, EngineRun, TrainingEngine } from './engine.js';
import { sci } from '../../format-numbers.js';
import { resolveTrainingSettings, type EmnSettingsSection, type TrainingSettings } from './training-settings.js';

/** Source of the diagnostics this service adds, so spec-error checks can tell them apart. */
export const TRAINING_DIAGNOSTIC_SOURCE = 'emn-training';
/** At most this many progress notifications per second per run. */
const PROGRESS_INTERVAL_MS = 250;
/** CodeLens refreshes while training: often enough to watch, rarely enough not to flicker. */
const LENS_REFRESH_INTERVAL_MS = 1000;

export interface ActiveRun {
    uri: string;
    experiment: string;
    state: 'queued' | 'running';
    progress?: TrainingProgress;
    cancelled: boolean;
    engineRun?: EngineRun;
    spec: ExperimentSpec;
    compiled: CompiledExperiment;
    specPath: string;
}

/** The last run that went wrong, shown as a diagnostic until the spec changes or a run succeeds. */
export interface FailedOutcome {
    outcome: 'diverged' | 'failed';
    message: string;
    /** Plan hash of the text that was trained: a changed spec hides the diagnostic. */
    planHash: string;
}

export type CurrentPlan = { compiled: CompiledExperiment; spec: ExperimentSpec } | { error: string };

export function runKey(uri: string, experiment: string): string {
    return `${normalizeUri(uri)}#${experiment}`;
}

/** Clients spell the same file URI differently (drive letters, escapes): compare Langium's form. */
export function normalizeUri(uri: string): string {
    return URI.parse(uri).toString();
}

export function experimentsOf(document: LangiumDocument): Experiment[] {
    // a half-typed `experiment {` parses without a name: nothing to train or show for it yet
    return (document.parseResult.value as Spec).declarations?.filter(isExperiment).filter(e => typeof e.name === 'string' && e.name.length > 0) ?? [];
}

export class TrainingService {
    protected readonly services: EmnServices;
    protected readonly engine: TrainingEngine;
    /**
     * Queued and running runs, in the order they were queued (a Map iterates in insertion order): the queue is
     * the queued ones. One run at a time, since tfjs uses the cores a second run would need.
     */
    protected readonly runs = new Map<string, ActiveRun>();
    protected readonly failures = new Map<string, FailedOutcome>();
    /** Compiled plans by resolved-spec JSON: CodeLens and validation ask on every keystroke. */
    protected readonly planCache = new Map<string, CurrentPlan>();
    protected trusted = true;
    protected initOptions: EmnInitializationOptions = {};
    protected canRefreshLenses = false;
    protected canRefreshInlayHints = false;
    protected canFetchConfiguration = false;
    protected lensRefreshTimer?: NodeJS.Timeout;
    /** Saves are chained so two finishing runs never interleave their writes. */
    protected saving: Promise<void> = Promise.resolve();
    protected readonly onIdleCallbacks: Array<() => void> = [];
    protected readonly settingsCache = new Map<string, Promise<TrainingSettings>>();

    constructor(services: EmnServices, engine: TrainingEngine) {
        this.services = services;
        this.engine = engine;
        services.shared.lsp.LanguageServer.onInitialize(params => this.initialize(params));
        this.connection?.onNotification(TrustChangedNotification, ({ trusted }) => { this.trusted = trusted; });
        services.shared.workspace.ConfigurationProvider.onConfigurationSectionUpdate(() => this.settingsCache.clear());
    }

    protected get connection(): Connection | undefined {
        return this.services.shared.lsp.Connection;
    }

    initialize(params: InitializeParams): void {
        const options = (params.initializationOptions ?? {}) as EmnInitializationOptions;
        this.initOptions = options;
        this.trusted = options.trusted !== false;
        this.canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
        this.canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
        this.canFetchConfiguration = params.capabilities.workspace?.configuration === true;
    }

    get isTrusted(): boolean {
        return this.trusted;
    }

    /** The settings for one spec (cached until the client reports a change; `fresh` asks again, as a run does). */
    settingsFor(uri: string, fresh = false): Promise<TrainingSettings> {
        const key = normalizeUri(uri);
        let settings = fresh ? undefined : this.settingsCache.get(key);
        if (!settings) {
            settings = this.fetchSettings(uri);
            this.settingsCache.set(key, settings);
        }
        return settings;
    }

    /** The spec folder's `emn` section when the client has one, else the initialization options. */
    protected async fetchSettings(uri: string): Promise<TrainingSettings> {
        let section: EmnSettingsSection | undefined;
        if (this.canFetchConfiguration && this.connection) {
            try {
                section = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'emn' }) as EmnSettingsSection;
            } catch { /* a client that fails the request gets the defaults */ }
        }
        const settings = resolveTrainingSettings(section ?? undefined, this.initOptions);
        for (const w of settings.warnings) this.connection?.console.warn(w);
        return settings;
    }

    // ---- queries used by CodeLens, inlay hints, hover, diagnostics and requests ----

    activeRun(uri: string, experiment: string): ActiveRun | undefined {
        return this.runs.get(runKey(uri, experiment));
    }

    failure(uri: string, experiment: string): FailedOutcome | undefined {
        return this.failures.get(runKey(uri, experiment));
    }

    /** The compiled plan of an experiment as the document says now (or why it has none). */
    currentPlan(node: Experiment): CurrentPlan {
        const spec = resolveExperiment(node);
        if (!spec) return { error: `${node.name} has no resolved \`learn\` operation and network` };
        const key = JSON.stringify(spec);
        const cached = this.planCache.get(key);
        if (cached) return cached;
        let plan: CurrentPlan;
        try {
            plan = { compiled: this.engine.compile(spec), spec };
        } catch (err) {
            plan = { error: errorMessage(err) };
        }
        if (this.planCache.size > 200) this.planCache.clear();
        this.planCache.set(key, plan);
        return plan;
    }

    /** The stored results of an experiment, stale when the spec changed since. */
    async storedResults(document: LangiumDocument, node: Experiment): Promise<GetResultsResponse> {
        if (document.uri.scheme !== 'file') return { stale: false };
        const settings = await this.settingsFor(document.uri.toString());
        const stored = this.engine.load(document.uri.fsPath, settings.resultsFolder, node.name);
        if (!stored.result) return { stale: false, warning: stored.warning };
        const plan = this.currentPlan(node);
        const stale = !('compiled' in plan) || plan.compiled.hash !== stored.result.planHash;
        return { result: stored.result, stale, warning: stored.warning };
    }

    // ---- commands ----

    async train(uri: string, experiment: string): Promise<TrainCommandResult> {
        if (!this.trusted) return { experiments: [], message: untrustedMessage };
        const document = await this.builtDocument(uri);
        if (!document) return { experiments: [], message: `cannot open ${uri}` };
        const node = experimentsOf(document).find(e => e.name === experiment);
        if (!node) return { experiments: [], message: `no experiment named ${experiment} in ${document.uri.path.split('/').pop()}` };
        const refused = await this.enqueue(document, node);
        return refused ? { experiments: [], message: refused } : { experiments: [experiment] };
    }

    async trainAll(uri: string): Promise<TrainCommandResult> {
        if (!this.trusted) return { experiments: [], message: untrustedMessage };
        const document = await this.builtDocument(uri);
        if (!document) return { experiments: [], message: `cannot open ${uri}` };
        const started: string[] = [];
        const refusals: string[] = [];
        for (const node of experimentsOf(document)) {
            const refused = await this.enqueue(document, node);
            if (refused) refusals.push(refused); else started.push(node.name);
        }
        if (experimentsOf(document).length === 0) refusals.push('this file declares no experiment');
        return { experiments: started, message: refusals.length > 0 ? refusals.join('; ') : undefined };
    }

    /** Cancels one run (or every run of the file): a running one stops within a step, a queued one never starts. */
    cancel(uri: string, experiment?: string): TrainCommandResult {
        const uriKey = normalizeUri(uri);
        const cancelled: string[] = [];
        for (const run of [...this.runs.values()]) {
            if (normalizeUri(run.uri) !== uriKey || (experiment !== undefined && run.experiment !== experiment)) continue;
            cancelled.push(run.experiment);
            run.cancelled = true;
            if (run.state === 'running') {
                run.engineRun?.cancel();
            } else {
                this.finish(run, { uri: run.uri, experiment: run.experiment, outcome: 'cancelled', message: 'cancelled before it started' });
            }
        }
        return cancelled.length > 0 ? { experiments: cancelled }
            : { experiments: [], message: experiment ? `${experiment} is not training` : 'nothing is training in this file' };
    }

    /** Resolves when no run is queued or running (tests, shutdown). */
    whenIdle(): Promise<void> {
        if (this.runs.size === 0) return Promise.resolve();
        return new Promise(resolve => this.onIdleCallbacks.push(resolve));
    }

    dispose(): void {
        for (const run of this.runs.values()) { run.cancelled = true; run.engineRun?.cancel(); }
        if (this.lensRefreshTimer) clearInterval(this.lensRefreshTimer);
    }

    // ---- internals ----

    /** Returns why the experiment cannot be queued, or undefined when it was. */
    protected async enqueue(document: LangiumDocument, node: Experiment): Promise<string | undefined> {
        const uri = document.uri.toString();
        const key = runKey(uri, node.name);
        const existing = this.runs.get(key);
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
        const run: ActiveRun = {
            uri, experiment: node.name, state: 'queued', cancelled: false,
            spec: plan.spec, compiled: plan.compiled, specPath: document.uri.fsPath,
        };
        this.runs.set(key, run);
        this.refreshLenses();
        void this.pump();
        return undefined;
    }

    protected running(): ActiveRun | undefined {
        return [...this.runs.values()].find(r => r.state === 'running');
    }

    protected async pump(): Promise<void> {
        if (this.running()) return;
        const run = [...this.runs.values()].find(r => r.state === 'queued');
        if (!run) return;
        run.state = 'running';
        await this.execute(run);
        void this.pump();
    }

    protected async execute(run: ActiveRun): Promise<void> {
        const ref = { uri: run.uri, experiment: run.experiment };
        const settings = await this.settingsFor(run.uri, true);
        this.connection?.sendNotification(TrainingStartedNotification, ref).catch(ignore);
        this.startLensRefresh();
        let lastSent = 0;
        let pending: TrainingProgress | undefined;
        let pendingTimer: NodeJS.Timeout | undefined;
        const send = (p: TrainingProgress) => {
            lastSent = Date.now();
            pending = undefined;
            this.connection?.sendNotification(TrainingProgressNotification, { ...ref, progress: p }).catch(ignore);
        };
        const onProgress = (p: TrainingProgress) => {
            run.progress = p;
            // throttled, but the latest value always goes out: a slow run must not look stuck on an old step
            if (Date.now() - lastSent >= PROGRESS_INTERVAL_MS) { send(p); return; }
            pending = p;
            pendingTimer ??= setTimeout(() => { pendingTimer = undefined; if (pending) send(pending); }, PROGRESS_INTERVAL_MS);
        };
        let finished: TrainingFinishedParams;
        try {
            run.engineRun = this.engine.start(run.compiled, run.spec, { backend: settings.backend, onProgress });
            if (run.cancelled) run.engineRun.cancel();
            const result = await run.engineRun.result;
            finished = await this.conclude(run, result, settings.resultsFolder);
        } catch (err) {
            // where it died tells a crash at start-up (the backend, the worker script) from one mid-run (memory, a kill)
            const at = run.progress ? ` at step ${run.progress.step}/${run.progress.steps}` : '';
            finished = { ...ref, outcome: 'failed', message: `training failed${at}: ${errorMessage(err)}` };
            this.failures.set(runKey(run.uri, run.experiment), { outcome: 'failed', message: finished.message!, planHash: run.compiled.hash });
        } finally {
            if (pendingTimer) clearTimeout(pendingTimer);
        }
        this.finish(run, finished);
    }

    /** Classifies a result; saves it only when it is good (failures never replace earlier results). */
    protected async conclude(run: ActiveRun, result: ExperimentResult, resultsFolder: string): Promise<TrainingFinishedParams> {
        const ref = { uri: run.uri, experiment: run.experiment };
        const key = runKey(run.uri, run.experiment);
        // the result carries the hash of the text it trained on, so an edit during training shows as stale
        result.planHash = run.compiled.hash;
        if (result.stopped === 'cancelled' || run.cancelled) {
            return { ...ref, outcome: 'cancelled', message: `cancelled at step ${run.progress?.step ?? 0}; earlier results kept`, result };
        }
        if (result.stopped === 'diverged') {
            const message = divergedMessage(result, run.spec);
            this.failures.set(key, { outcome: 'diverged', message, planHash: run.compiled.hash });
            return { ...ref, outcome: 'diverged', message, result };
        }
        const save = this.saving.then(() => this.engine.save(run.specPath, resultsFolder, result));
        this.saving = save.catch(() => undefined);
        try {
            await save;
        } catch (err) {
            const message = `training finished but its results could not be saved: ${errorMessage(err)}`;
            this.failures.set(key, { outcome: 'failed', message, planHash: run.compiled.hash });
            return { ...ref, outcome: 'failed', message, result };
        }
        this.failures.delete(key);
        return { ...ref, outcome: 'completed', result };
    }

    protected finish(run: ActiveRun, params: TrainingFinishedParams): void {
        this.runs.delete(runKey(run.uri, run.experiment));
        this.connection?.sendNotification(TrainingFinishedNotification, params).catch(ignore);
        if (params.outcome === 'failed') this.connection?.console.error(`${run.experiment}: ${params.message}`);
        if (![...this.runs.values()].some(r => r.state === 'running')) this.stopLensRefresh();
        void this.refreshViews(run.uri);
        if (this.runs.size === 0) this.onIdleCallbacks.splice(0).forEach(f => f());
    }

    /** After a run: CodeLens, inlay hints and diagnostics show the new state. */
    protected async refreshViews(uri: string): Promise<void> {
        this.refreshLenses();
        if (this.canRefreshInlayHints) this.connection?.languages.inlayHint.refresh().catch(() => undefined);
        await this.revalidate(uri);
    }

    protected refreshLenses(): void {
        if (this.canRefreshLenses) this.connection?.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }

    protected startLensRefresh(): void {
        this.lensRefreshTimer ??= setInterval(() => this.refreshLenses(), LENS_REFRESH_INTERVAL_MS);
    }

    protected stopLensRefresh(): void {
        if (this.lensRefreshTimer) clearInterval(this.lensRefreshTimer);
        this.lensRefreshTimer = undefined;
    }

    /** Re-runs validation so the training diagnostics (a validation check) are re-published with the spec's own. */
    protected async revalidate(uri: string): Promise<void> {
        const shared = this.services.shared;
        await shared.workspace.WorkspaceLock.write(async token => {
            const document = shared.workspace.LangiumDocuments.getDocument(URI.parse(uri));
            if (document) await shared.workspace.DocumentBuilder.build([document], { validation: true }, token);
        }).catch(() => undefined);
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
 * The spec's own errors (not this service's training diagnostics) inside the experiment and the operation and
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

/** "training diverged at step 212 (loss NaN): lower lr (now 5)" */
export function divergedMessage(result: ExperimentResult, spec: ExperimentSpec): string {
    const point = result.divergedAt ? undefined : result.runs?.find(r => r.stopped === 'diverged');
    const at = result.divergedAt ?? point?.divergedAt;
    const where = at ? ` at step ${at.step} (loss ${sci(at.loss)})` : '';
    const inPoint = point ? ` in sweep point ${Object.entries(point.params).map(([k, v]) => `${k} ${v}`).join(', ')}` : '';
    return `training diverged${where}${inPoint}: lower lr (now ${spec.optimizer.lr})`;
}

/** Notifications are fire and forget: a client gone mid-run must not become an unhandled rejection. */
function ignore(): void { /* nothing to do */ }

export function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
