// Sweeps the editor runs on Slurm: submits the job array, follows its point files and squeue, merges the result when the last point lands.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LangiumDocument } from 'langium';
import type { Connection } from 'vscode-languageserver';
import type { ExperimentPlan, ExperimentSpec } from '../../../engine/view.js';
import type { EmnServices } from '../../emn-module.js';
import type { Experiment } from '../../generated/ast.js';
import { TrainingStartedNotification, type TrainCommandResult, type TrainingFinishedParams } from '../../protocol.js';
import {
    anyActive,
    cancelSlurmSweep,
    collectPoints,
    formatPointRanges,
    loadSubmissions,
    onPath,
    type PointsSummary,
    squeueTasks,
    submitSlurmSweep,
    sweepStatus,
    type SweepStatus,
} from '../../../engine/index.js';
import type { PointFileCache, ResultsStore } from '../../../engine/index.js';
import type { ActiveRun } from './training-run-queue.js';
import { errorMessage } from '../../../engine/view.js';
import { ignore, normalizeUri, plural, runKey } from '../../../engine/view.js';

/** How often a submitted array is looked at (point files and one squeue call): live enough, cheap for the login node. */
const POLL_MS = 2000;

export interface SlurmSweep {
    uri: string;
    experiment: string;
    jobId: string;
    specPath: string;
    store: ResultsStore;
    spec: ExperimentSpec;
    plan: ExperimentPlan;
    resultsFolder: string;
    /** Runs kept in the experiment's history (the setting, read at submission). */
    historyLimit?: number;
    /** The point files read so far: each poll re-reads only the ones that changed. */
    pointFiles: PointFileCache;
    status?: SweepStatus;
    cancelled: boolean;
}

export class SlurmSweeps {
    protected readonly services: EmnServices;
    protected readonly sweeps = new Map<string, SlurmSweep>();
    protected timer?: NodeJS.Timeout;
    protected polling = false;
    /** Experiments already checked for a running array of an earlier session. */
    protected readonly looked = new Set<string>();
    /** `sbatch` on this machine's PATH, looked up once (the server's PATH does not change). */
    protected readonly sbatchHere = onPath('sbatch');

    constructor(services: EmnServices) {
        this.services = services;
    }

    protected get connection(): Connection | undefined {
        return this.services.shared.lsp.Connection;
    }

    /** Whether "Train on Slurm" is offered: the `emn.slurm.enabled` setting, else whether sbatch is on the PATH. */
    async enabled(uri: string): Promise<boolean> {
        const settings = await this.services.training.Settings.settingsFor(uri);
        return settings.slurmEnabled ?? this.sbatchHere;
    }

    get(uri: string, experiment: string): SlurmSweep | undefined {
        return this.sweeps.get(runKey(uri, experiment));
    }

    /** "Slurm job 123: 17/40 points done" (with failed and queued counts when there are some). */
    title(sweep: SlurmSweep): string {
        const c = sweep.status?.counts;
        if (!c) return `Slurm job ${sweep.jobId}: submitted`;
        const extra = [c.failed ? `${c.failed} failed` : '', c.pending ? `${c.pending} queued` : ''].filter(Boolean).join(', ');
        return `Slurm job ${sweep.jobId}: ${c.done}/${sweep.plan.points.length} points done${extra ? ` (${extra})` : ''}`;
    }

    /**
     * Submits the points of the experiment that have no result yet (all of them the first time) as one job array.
     * The caller checked trust, spec errors and memory. Replies once sbatch has answered; the array runs on.
     */
    async submit(
        document: LangiumDocument,
        node: Experiment,
        plan: { spec: ExperimentSpec; plan: ExperimentPlan },
    ): Promise<TrainCommandResult> {
        const uri = document.uri.toString();
        const specPath = document.uri.fsPath;
        // the nodes read the spec from disk: unsaved edits would train another spec than the one on screen
        let onDisk = '';
        try {
            onDisk = readFileSync(specPath, 'utf8');
        } catch {
            /* reported below */
        }
        if (onDisk !== document.textDocument.getText())
            return {
                experiments: [],
                reason: 'unsaved',
                message: `${node.name}: save the file first; the Slurm nodes read the spec from disk`,
            };
        const sweep = await this.describe(uri, specPath, node.name, plan);
        const { store } = sweep;
        const points = sweep.plan.points;
        // an array of this spec still running (submitted before the editor restarted, or from the CLI): follow it
        const status = await sweepStatus(store, specPath, node.name, sweep.plan, sweep.pointFiles);
        if (status.job && status.job.planHash === status.summary.planHash && status.counts.running + status.counts.pending > 0) {
            this.follow({ ...sweep, jobId: status.job.jobId });
            return { experiments: [node.name], message: `${node.name}: Slurm job ${status.job.jobId} is still running; following it` };
        }
        // points with a result of this very spec stay: a second Train on Slurm completes the sweep
        const { backend } = await this.services.training.Settings.settingsFor(uri);
        let outcome;
        try {
            outcome = await submitSlurmSweep({
                store,
                specPath,
                spec: sweep.spec,
                plan: sweep.plan,
                missing: true,
                emnCommand: [process.execPath, cliPath()],
                environment: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : undefined,
                trainOptions: ['--backend', backend, '--out', store.folder(specPath)],
            });
        } catch (err) {
            return { experiments: [], reason: 'slurm-refused', message: `${node.name}: ${errorMessage(err)}` };
        }
        if (outcome.kind === 'nothing') {
            await this.conclude({ ...sweep, jobId: '(none)' }, outcome.status);
            return { experiments: [node.name], message: `${node.name}: every point already has a result; merged them` };
        }
        const { jobId, indices, arrays } = outcome.submission;
        const more = arrays.length > 1 ? ` and ${arrays.length - 1} more array${arrays.length === 2 ? '' : 's'}` : '';
        this.connection?.console.info(
            `${node.name}: Slurm job ${jobId}${more}, points ${formatPointRanges(indices)} of ${points.length}, ${outcome.pointsPerTask} per task`,
        );
        this.follow({ ...sweep, jobId });
        return {
            experiments: [node.name],
            message: `${node.name}: submitted Slurm job ${jobId}${more} (${plural(indices.length, 'point')})`,
        };
    }

    /**
     * Once per experiment and server: an array of this very spec that is still running (the editor restarted, or
     * it was submitted with `emn sweep slurm`) is followed as if submitted here, so its lens shows its progress.
     */
    async adoptRunning(
        document: LangiumDocument,
        node: Experiment,
        currentPlan: () => { spec: ExperimentSpec; plan: ExperimentPlan } | { error: string },
    ): Promise<void> {
        const uri = document.uri.toString();
        const key = runKey(uri, node.name);
        if (this.looked.has(key) || this.sweeps.has(key) || document.uri.scheme !== 'file') return;
        this.looked.add(key);
        // cheap first: most experiments were never submitted; compiling a big sweep is left for those that were
        const { resultsFolder } = await this.services.training.Settings.settingsFor(uri);
        const job = loadSubmissions(
            this.services.training.TrainingEngine.results(document.uri.fsPath, resultsFolder).store,
            document.uri.fsPath,
            node.name,
        ).pop();
        if (!job) return;
        const plan = currentPlan();
        if ('error' in plan || job.planHash !== plan.plan.hash) return;
        const tasks = await squeueTasks(job.arrays.map(a => a.jobId)).catch(() => undefined);
        if (!tasks || !anyActive(tasks)) return;
        this.follow({ ...(await this.describe(uri, document.uri.fsPath, node.name, plan)), jobId: job.jobId });
    }

    /** What the service needs to know of an experiment's sweep: its store (by the results folder setting) and compiled points. */
    protected async describe(
        uri: string,
        specPath: string,
        experiment: string,
        plan: { spec: ExperimentSpec; plan: ExperimentPlan },
    ): Promise<Omit<SlurmSweep, 'jobId'>> {
        const settings = await this.services.training.Settings.settingsFor(uri, true);
        return {
            uri,
            experiment,
            specPath,
            store: this.services.training.TrainingEngine.results(specPath, settings.resultsFolder).store,
            spec: plan.spec,
            plan: plan.plan,
            resultsFolder: settings.resultsFolder,
            historyLimit: settings.historyLimit,
            pointFiles: new Map(),
            cancelled: false,
        };
    }

    protected follow(sweep: SlurmSweep): void {
        this.sweeps.set(runKey(sweep.uri, sweep.experiment), sweep);
        this.connection?.sendNotification(TrainingStartedNotification, { uri: sweep.uri, experiment: sweep.experiment }).catch(ignore);
        this.services.training.Views.refreshLenses();
        // a first look right away: the lens counts points from the start (a sweep of tiny points may end before the next poll)
        this.schedule(0);
    }

    /**
     * scancel of every array of the file's (or one experiment's) sweeps; each task records its points as stopped, then the sweep concludes.
     */
    async cancel(uri: string, experiment?: string): Promise<string[]> {
        const names: string[] = [];
        for (const sweep of this.sweeps.values()) {
            if (normalizeUri(sweep.uri) !== normalizeUri(uri) || (experiment !== undefined && sweep.experiment !== experiment)) continue;
            sweep.cancelled = true;
            names.push(sweep.experiment);
            await cancelSlurmSweep(sweep.store, sweep.specPath, sweep.experiment).catch(err =>
                this.connection?.console.error(errorMessage(err)),
            );
        }
        return names;
    }

    dispose(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
    }

    protected schedule(delayMs = POLL_MS): void {
        if (this.timer || this.sweeps.size === 0) return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.poll();
        }, delayMs);
    }

    /** One look at every array: new counts redraw the lenses; an array with no task left concludes. */
    protected async poll(): Promise<void> {
        if (this.polling) return;
        this.polling = true;
        try {
            for (const sweep of [...this.sweeps.values()]) {
                let status: SweepStatus;
                try {
                    status = await sweepStatus(sweep.store, sweep.specPath, sweep.experiment, sweep.plan, sweep.pointFiles);
                } catch (err) {
                    this.connection?.console.error(`${sweep.experiment}: Slurm status: ${errorMessage(err)}`);
                    continue;
                }
                const before = sweep.status ? this.title(sweep) : '';
                sweep.status = status;
                const active = status.counts.running + status.counts.pending;
                if (active === 0) await this.conclude(sweep, status);
                else if (this.title(sweep) !== before) this.services.training.Views.refreshLenses();
            }
        } finally {
            this.polling = false;
            this.schedule();
        }
    }

    /** The array ended: a complete sweep is merged and saved like a local run; an incomplete one says what is missing. */
    protected async conclude(sweep: SlurmSweep, status: SweepStatus): Promise<void> {
        this.sweeps.delete(runKey(sweep.uri, sweep.experiment));
        const { Outcomes } = this.services.training;
        const { summary, result } = collectPoints(sweep.plan, status.loaded);
        // the outcome services take a run: this one is the array, seen as one run of the experiment
        const run: ActiveRun = {
            uri: sweep.uri,
            experiment: sweep.experiment,
            state: 'running',
            cancelled: sweep.cancelled,
            spec: sweep.spec,
            plan: sweep.plan,
            specPath: sweep.specPath,
        };
        let finished: TrainingFinishedParams;
        if (result) {
            finished = await Outcomes.conclude(run, result, sweep.resultsFolder, sweep.historyLimit);
        } else {
            const message = `Slurm job ${sweep.jobId}: ${incompleteText(summary)}; Train on Slurm again submits the missing points`;
            finished = sweep.cancelled
                ? { uri: sweep.uri, experiment: sweep.experiment, outcome: 'cancelled', message }
                : Outcomes.crashed(run, new Error(message));
        }
        await Outcomes.announce(run, finished);
    }
}

function incompleteText(s: PointsSummary): string {
    const parts = [`${s.done.length}/${s.points} points done`];
    const failed = [...s.failed, ...s.diverged];
    if (failed.length) parts.push(`failed: ${failed.map(p => `point ${p.index} (${p.reason})`).join(', ')}`);
    if (s.refused.length) parts.push(`refused (spec changed): ${formatPointRanges(s.refused.map(p => p.index))}`);
    if (s.missing.length) parts.push(`missing: ${formatPointRanges(s.missing)}`);
    return parts.join('; ');
}

/** The CLI bundle beside this server bundle (dist/cli.cjs): what a node runs as `emn`. */
function cliPath(): string {
    return join(dirname(fileURLToPath(import.meta.url)), 'cli.cjs');
}
