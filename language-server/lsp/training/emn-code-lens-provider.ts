// CodeLens above each experiment: Train / Cancel, Train on Slurm (sweeps), Show weights, Compare with…, live progress, the last results (or
// stale ones), and Train all on line 1.
import type { LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams, Command, Range } from 'vscode-languageserver';
import { ClientCommands, OPEN_PROBLEMS_COMMAND, ServerCommands, type GetResultsResponse } from '../../protocol.js';
import type { EmnServices } from '../../emn-module.js';
import type { Experiment } from '../../generated/ast.js';
import { pointOf, sci, seedGroupsOf } from '../../../engine/view.js';
import type { ExperimentResult } from '../../../engine/view.js';
import { resultSummary, sweepSummary } from './result-summary.js';
import { experimentsOf } from './experiments-of.js';
import { specErrors, type TrainingService } from './training-service.js';

/** A lens that only shows text: VS Code renders a command with an empty id as a label. */
function label(title: string): Command {
    return { title, command: '' };
}

export class EmnCodeLensProvider implements CodeLensProvider {
    protected readonly training: TrainingService;

    constructor(services: EmnServices) {
        this.training = services.training.TrainingService;
    }

    async provideCodeLens(document: LangiumDocument, _params: CodeLensParams): Promise<CodeLens[]> {
        const experiments = experimentsOf(document);
        if (experiments.length === 0) return [];
        const uri = document.uri.toString();
        const lenses: CodeLens[] = [];
        const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        // untrusted: the extension's own commands answer with why training is disabled (the server would refuse silently)
        const trainAll =
            this.training.isTrusted || !this.training.clientRuns(ClientCommands.trainAllInFile)
                ? ServerCommands.trainAll
                : ClientCommands.trainAllInFile;
        lenses.push({ range: top, command: { title: '▶ Train all', command: trainAll, arguments: [uri] } });
        if (experiments.some(e => this.training.activeRun(uri, e.name))) {
            lenses.push({ range: top, command: { title: '■ Cancel all', command: ServerCommands.cancel, arguments: [uri] } });
        }
        for (const node of experiments) {
            lenses.push(...(await this.experimentLenses(document, node)));
        }
        return lenses;
    }

    /**
     * Actions first (Train or Cancel, Show weights), then what is known (progress, the result summary): a long
     * summary may run under the minimap or off the editor's edge, and the actions must stay visible and clickable.
     */
    protected async experimentLenses(document: LangiumDocument, node: Experiment): Promise<CodeLens[]> {
        const start = node.$cstNode?.range.start;
        if (!start) return [];
        const range: Range = { start: { line: start.line, character: 0 }, end: { line: start.line, character: 0 } };
        const stored = await this.training.storedResults(document, node);
        // the errors that keep it from training (here or in what it learns), once for both kinds of lens
        const errors = specErrors(document, node);
        return [
            ...(await this.actionCommands(document, node, stored, errors)),
            ...(await this.infoCommands(document, node, stored, errors)),
        ].map(command => ({ range, command }));
    }

    /** The clickable actions of an experiment, in order. Subclasses add theirs (e.g. another place to train) here. */
    protected async actionCommands(
        document: LangiumDocument,
        node: Experiment,
        stored: GetResultsResponse,
        errors: string[],
    ): Promise<Command[]> {
        const args = [document.uri.toString(), node.name];
        const commands: Command[] = [];
        if (this.training.activeRun(args[0], node.name) || this.training.slurmSweep(args[0], node.name)) {
            commands.push({ title: '■ Cancel', command: ServerCommands.cancel, arguments: args });
        } else {
            // training cannot start on a spec with errors: the lens says so and opens the Problems view instead (where the client has one)
            if (errors.length > 0) {
                const title = `⚠ fix ${errors.length === 1 ? 'the error' : `${errors.length} errors`} to train`;
                commands.push({ ...this.clientCommand(title, OPEN_PROBLEMS_COMMAND), tooltip: errors[0] });
            } else {
                const train =
                    this.training.isTrusted || !this.training.clientRuns(ClientCommands.trainExperiment)
                        ? ServerCommands.train
                        : ClientCommands.trainExperiment;
                commands.push({ title: '▶ Train', command: train, arguments: args });
                if (this.training.isTrusted && (await this.training.offersSlurm(document, node))) {
                    commands.push({ title: '▶ Train on Slurm', command: ServerCommands.trainOnSlurm, arguments: args });
                }
            }
        }
        // the results and compare views are the VS Code extension's: offered to a client that can open them
        if (stored.result && this.training.clientRuns(ClientCommands.showResults)) {
            commands.push({ title: showResultsTitle(stored.result), command: ClientCommands.showResults, arguments: args });
        }
        if (stored.result && this.training.clientRuns(ClientCommands.compareWith)) {
            commands.push({
                title: 'Compare with…',
                tooltip: 'Compare the latest result with an earlier run or another experiment',
                command: ClientCommands.compareWith,
                arguments: args,
            });
        }
        return commands;
    }

    /** What is known about the experiment: live progress, the last results (or that they are stale), unreadable results. */
    protected async infoCommands(
        document: LangiumDocument,
        node: Experiment,
        stored: GetResultsResponse,
        errors: string[],
    ): Promise<Command[]> {
        const args = [document.uri.toString(), node.name];
        const run = this.training.activeRun(args[0], node.name);
        const onSlurm = this.training.slurmSweep(args[0], node.name);
        const commands: Command[] = [];
        if (run) commands.push(label(run.state === 'queued' ? 'queued…' : progressTitle(run.progress)));
        else if (onSlurm) commands.push(label(onSlurm));
        else if (errors.length === 0 && (!stored.result || stored.stale)) {
            // the preview is for deciding to train: once fresh results are there, they are what the lens says
            const preview = await this.training.sweepPreview(document, node);
            if (preview) commands.push(label(preview));
        }
        if (stored.result) {
            const summary = sweepSummary(stored.result) ?? resultSummary(stored.result);
            commands.push(
                this.clientCommand(stored.stale ? `stale: spec changed · ${summary}` : summary, ClientCommands.showResults, args),
            );
        } else if (stored.warning) {
            commands.push(label(`results unreadable: ${stored.warning}`));
        }
        return commands;
    }

    /** A lens that runs a client-side command where the client can, else the same title as a label. */
    protected clientCommand(title: string, command: string, args?: unknown[]): Command {
        return this.training.clientRuns(command) ? { title, command, ...(args ? { arguments: args } : {}) } : label(title);
    }
}

/** What the results view shows for this result: a seed group's spread, a sweep, or one run's weights. */
function showResultsTitle(r: ExperimentResult): string {
    if (seedGroupsOf(r).length > 0) return 'Show seeds';
    return sweepSummary(r) ? 'Show sweep' : 'Show weights';
}

/** "training… step 120/3000 · loss 1.2e-3" (with the sweep point when there are several). */
export function progressTitle(p: { point: number; points: number; step: number; steps: number; loss: number } | undefined): string {
    if (!p) return 'training… starting';
    const point = p.points > 1 ? `${pointOf(p.point, p.points)} · ` : '';
    return `training… ${point}step ${p.step}/${p.steps} · loss ${sci(p.loss)}`;
}
