// Follows the server's training notifications: a cancellable progress notification per run and a log line per event.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
    ServerCommands,
    TrainingFinishedNotification,
    TrainingProgressNotification,
    TrainingStartedNotification,
    type ExperimentRef,
    type TrainingFinishedParams,
    type TrainingProgressParams,
} from '../language-server/protocol.js';
import { formatPoint, num, pathWeightLabel, pointOf, runKey } from '../engine/view.js';
import type { ErrorMetrics } from '../engine/view.js';
import { fileLabel } from './uris.js';

interface ActiveRun {
    ref: ExperimentRef;
    startedAt: number;
    /** Set once withProgress has called back; progress seen before that is kept in `pending`. */
    report?: (value: { message?: string; increment?: number }) => void;
    pending?: TrainingProgressParams;
    percent: number;
    end: () => void;
}

export class TrainingMonitor implements vscode.Disposable {
    private readonly runs = new Map<string, ActiveRun>();
    private readonly disposables: vscode.Disposable[] = [];
    private readonly started = new vscode.EventEmitter<ExperimentRef>();
    private readonly progressed = new vscode.EventEmitter<TrainingProgressParams>();
    private readonly finished = new vscode.EventEmitter<TrainingFinishedParams>();
    readonly onDidStart = this.started.event;
    readonly onDidProgress = this.progressed.event;
    readonly onDidFinish = this.finished.event;

    constructor(private readonly log: vscode.LogOutputChannel) {
        this.disposables.push(this.started, this.progressed, this.finished);
    }

    /** Subscribes to a (re)started client; notification handlers are per client instance. */
    attach(client: LanguageClient): void {
        this.disposables.push(
            client.onNotification(TrainingStartedNotification, ref => this.handleStarted(ref)),
            client.onNotification(TrainingProgressNotification, params => this.handleProgress(params)),
            client.onNotification(TrainingFinishedNotification, params => this.handleFinished(params)),
            // a server that dies (killed, out of memory) never sends trainingFinished: its runs end here, and the client
            // starts a new server by itself (vscode-languageclient's default error handler restarts it, up to 4 times in 3 minutes)
            client.onDidChangeState(e => {
                if (e.oldState === State.Running && e.newState !== State.Running) this.serverStopped();
            }),
        );
    }

    /** Ends every run of a server that stopped: each is a failed run, its last good result kept on disk. */
    private serverStopped(): void {
        for (const run of [...this.runs.values()]) {
            this.handleFinished({
                ...run.ref,
                outcome: 'failed',
                message: 'the EMN language server stopped during the run (it restarts by itself); the last good result is kept',
            });
        }
    }

    /** Runs in progress, for the Cancel command. */
    activeRuns(): ExperimentRef[] {
        return [...this.runs.values()].map(r => r.ref);
    }

    isRunning(uri: string, experiment: string): boolean {
        return this.runs.has(runKey(uri, experiment));
    }

    private handleStarted(ref: ExperimentRef): void {
        const key = runKey(ref.uri, ref.experiment);
        this.runs.get(key)?.end();
        this.log.info(`[train] ${ref.experiment} (${fileLabel(ref.uri)}): started`);
        let end!: () => void;
        const done = new Promise<void>(resolve => {
            end = resolve;
        });
        const run: ActiveRun = { ref, startedAt: Date.now(), percent: 0, end };
        this.runs.set(key, run);
        void vscode.window.withProgress(
            {
                location: vscode.ProgressLocation.Notification,
                title: `Training ${ref.experiment}`,
                cancellable: true,
            },
            (progress, token) => {
                token.onCancellationRequested(() => {
                    this.log.info(`[train] ${ref.experiment}: cancel requested`);
                    void vscode.commands
                        .executeCommand(ServerCommands.cancel, ref.uri, ref.experiment)
                        .then(undefined, err => this.log.error(`[train] ${ref.experiment}: cancel failed: ${String(err)}`));
                });
                run.report = value => progress.report(value);
                if (run.pending) this.reportProgress(run, run.pending);
                return done;
            },
        );
        this.started.fire(ref);
    }

    private handleProgress(params: TrainingProgressParams): void {
        const run = this.runs.get(runKey(params.uri, params.experiment));
        if (run) {
            if (run.report) this.reportProgress(run, params);
            else run.pending = params;
        }
        this.progressed.fire(params);
    }

    private reportProgress(run: ActiveRun, params: TrainingProgressParams): void {
        const p = params.progress;
        // overall fraction across sweep points; the notification bar takes increments, not absolute values
        const percent = (100 * (p.point + (p.steps > 0 ? p.step / p.steps : 0))) / Math.max(1, p.points);
        const increment = Math.max(0, percent - run.percent);
        run.percent = Math.max(run.percent, percent);
        const point = p.points > 1 ? `${pointOf(p.point, p.points)} · ` : '';
        run.report?.({ message: `${point}step ${p.step}/${p.steps} · loss ${num(p.loss)}`, increment });
    }

    private handleFinished(params: TrainingFinishedParams): void {
        const key = runKey(params.uri, params.experiment);
        const run = this.runs.get(key);
        this.runs.delete(key);
        run?.end();
        const seconds = run ? ` in ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s` : '';
        const name = `${params.experiment} (${fileLabel(params.uri)})`;
        const reason = params.message ? `: ${params.message}` : '';
        const result = params.result;
        const metrics = result
            ? ` · ${formatMetrics(result.metrics, result.stopped, result.pathWeightTarget)} · ${result.backend}, ${result.steps} steps, ${num(result.stepsPerSecond)} steps/s`
            : '';
        switch (params.outcome) {
            case 'completed':
                this.log.info(`[train] ${name}: completed${seconds}${metrics}`);
                break;
            case 'cancelled':
                this.log.info(`[train] ${name}: cancelled${seconds}${reason}`);
                break;
            case 'diverged':
                // the server reports divergence as a diagnostic on the experiment; the log keeps the detail
                this.log.warn(`[train] ${name}: diverged${seconds}${reason}${metrics}`);
                break;
            case 'failed':
                this.log.error(`[train] ${name}: failed${seconds}${reason}`);
                void vscode.window.showWarningMessage(`Training ${params.experiment} failed${reason}`, 'Show log').then(choice => {
                    if (choice === 'Show log') this.log.show(true);
                });
                break;
        }
        if (result?.runs) {
            for (const point of result.runs) {
                this.log.info(
                    `[train]   ${formatPoint(point.params)}: ${formatMetrics(point.metrics, point.stopped, point.pathWeightTarget)} (${point.stopped})`,
                );
            }
        }
        for (const ev of result?.evaluations ?? []) {
            this.log.info(
                `[train]   evaluate ${ev.samples} samples on ${ev.on}: mse ${num(ev.mse)}, max |err| ${num(ev.maxAbsError)}, rel ${num(ev.relError)}`,
            );
        }
        this.finished.fire(params);
    }

    dispose(): void {
        for (const run of this.runs.values()) run.end();
        this.runs.clear();
        for (const d of this.disposables) d.dispose();
    }
}

/** A diverged run or point has nothing measured (its NaN metrics arrive as null): say so instead of "mse null". */
function formatMetrics(m: ErrorMetrics, stopped?: string, target?: number): string {
    if (stopped === 'diverged') return 'diverged, nothing evaluated';
    const parts = [`mse ${num(m.mse)}`, `rmse ${num(m.rmse)}`, `max |err| ${num(m.maxAbsError)}`, `rel ${num(m.relError)}`];
    if (m.pathWeightError !== undefined && m.pathWeightError !== null) parts.push(`${pathWeightLabel(target)} ${num(m.pathWeightError)}`);
    return parts.join(', ');
}
