// The queue of training runs: one runs at a time, the others wait; progress goes to the client throttled; cancel stops within a step.
import type { Connection } from 'vscode-languageserver';
import { TrainingProgressNotification, TrainingStartedNotification, type TrainingFinishedParams } from '../../protocol.js';
import type { ExperimentPlan, ExperimentSpec, TrainingProgress } from '../../../engine/view.js';
import type { EmnServices } from '../../emn-module.js';
import type { EngineRun } from './training-engine.js';
import { ignore, normalizeUri, runKey } from '../../../engine/view.js';

/** At most this many progress notifications per second per run. */
const PROGRESS_INTERVAL_MS = 250;

export interface ActiveRun {
    uri: string;
    experiment: string;
    state: 'queued' | 'running';
    progress?: TrainingProgress;
    cancelled: boolean;
    engineRun?: EngineRun;
    spec: ExperimentSpec;
    plan: ExperimentPlan;
    specPath: string;
    /** The spec text the run trained on, kept in the run history. */
    specText?: string;
}

export class TrainingRunQueue {
    protected readonly services: EmnServices;
    /**
     * Queued and running runs, in the order they were queued (a Map iterates in insertion order): the queue is
     * the queued ones. One run at a time, since tfjs uses the cores a second run would need.
     */
    protected readonly runs = new Map<string, ActiveRun>();
    protected readonly onIdleCallbacks: Array<() => void> = [];

    constructor(services: EmnServices) {
        this.services = services;
    }

    protected get connection(): Connection | undefined {
        return this.services.shared.lsp.Connection;
    }

    get(uri: string, experiment: string): ActiveRun | undefined {
        return this.runs.get(runKey(uri, experiment));
    }

    /** Queues a run (the caller checked that none of its name is active) and starts it when the queue is free. */
    add(run: ActiveRun): void {
        this.runs.set(runKey(run.uri, run.experiment), run);
        this.services.training.Views.refreshLenses();
        void this.pump();
    }

    /** Cancels one run (or every run of the file): a running one stops within a step, a queued one never starts. Returns the names. */
    cancel(uri: string, experiment?: string): string[] {
        const uriKey = normalizeUri(uri);
        const cancelled: string[] = [];
        for (const run of [...this.runs.values()]) {
            if (normalizeUri(run.uri) !== uriKey || (experiment !== undefined && run.experiment !== experiment)) continue;
            cancelled.push(run.experiment);
            run.cancelled = true;
            if (run.state === 'running') {
                run.engineRun?.cancel();
            } else {
                this.finish(run, {
                    uri: run.uri,
                    experiment: run.experiment,
                    outcome: 'cancelled',
                    message: 'cancelled before it started',
                });
            }
        }
        return cancelled;
    }

    /** Resolves when no run is queued or running (tests, shutdown). */
    whenIdle(): Promise<void> {
        if (this.runs.size === 0) return Promise.resolve();
        return new Promise(resolve => this.onIdleCallbacks.push(resolve));
    }

    dispose(): void {
        for (const run of this.runs.values()) {
            run.cancelled = true;
            run.engineRun?.cancel();
        }
        this.services.training.Views.stopLensRefresh();
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
        const { Settings, Outcomes, Views, TrainingEngine } = this.services.training;
        const ref = { uri: run.uri, experiment: run.experiment };
        const settings = await Settings.settingsFor(run.uri, true);
        this.connection?.sendNotification(TrainingStartedNotification, ref).catch(ignore);
        Views.startLensRefresh();
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
            if (Date.now() - lastSent >= PROGRESS_INTERVAL_MS) {
                send(p);
                return;
            }
            pending = p;
            pendingTimer ??= setTimeout(() => {
                pendingTimer = undefined;
                if (pending) send(pending);
            }, PROGRESS_INTERVAL_MS);
        };
        let finished: TrainingFinishedParams;
        try {
            run.engineRun = TrainingEngine.start(run.plan, {
                backend: settings.backend,
                onProgress,
                memoryLimitMB: settings.workerMemoryMB,
            });
            if (run.cancelled) run.engineRun.cancel();
            const result = await run.engineRun.result;
            finished = await Outcomes.conclude(run, result, settings.resultsFolder, settings.historyLimit);
        } catch (err) {
            finished = Outcomes.crashed(run, err);
        } finally {
            if (pendingTimer) clearTimeout(pendingTimer);
        }
        this.finish(run, finished);
    }

    protected finish(run: ActiveRun, params: TrainingFinishedParams): void {
        const views = this.services.training.Views;
        this.runs.delete(runKey(run.uri, run.experiment));
        if (![...this.runs.values()].some(r => r.state === 'running')) views.stopLensRefresh();
        void this.services.training.Outcomes.announce(run, params);
        if (this.runs.size === 0) this.onIdleCallbacks.splice(0).forEach(f => f());
    }
}

/** Notifications are fire and forget: a client gone mid-run must not become an unhandled rejection. */
