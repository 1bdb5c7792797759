// CodeLens above each experiment: Train / Cancel, live progress, the last results (or stale ones), and Train all on line 1.
import type { LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams, Command, Range } from 'vscode-languageserver';
import { ClientCommands, ServerCommands } from '../../protocol.js';
import type { EmnServices } from '../../emn-module.js';
import type { Experiment } from '../../generated/ast.js';
import { sci } from '../../format-numbers.js';
import { resultSummary, sweepSummary } from './format.js';
import { experimentsOf } from './run-keys.js';
import type { TrainingService } from './training-service.js';

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
        lenses.push({ range: top, command: { title: '▶ Train all', command: ServerCommands.trainAll, arguments: [uri] } });
        if (experiments.some(e => this.training.activeRun(uri, e.name))) {
            lenses.push({ range: top, command: { title: '■ Cancel all', command: ServerCommands.cancel, arguments: [uri] } });
        }
        for (const node of experiments) {
            lenses.push(...await this.experimentLenses(document, node));
        }
        return lenses;
    }

    protected async experimentLenses(document: LangiumDocument, node: Experiment): Promise<CodeLens[]> {
        const start = node.$cstNode?.range.start;
        if (!start) return [];
        const range: Range = { start: { line: start.line, character: 0 }, end: { line: start.line, character: 0 } };
        const uri = document.uri.toString();
        const args = [uri, node.name];
        const commands: Command[] = [];
        const run = this.training.activeRun(uri, node.name);
        if (run) {
            commands.push({ title: '■ Cancel', command: ServerCommands.cancel, arguments: args });
            commands.push(label(run.state === 'queued' ? 'queued…' : progressTitle(run.progress)));
        } else {
            commands.push({ title: '▶ Train', command: ServerCommands.train, arguments: args });
        }
        const stored = await this.training.storedResults(document, node);
        if (stored.result) {
            const r = stored.result;
            const sweep = sweepSummary(r);
            const summary = sweep ?? resultSummary(r);
            commands.push({ title: stored.stale ? `stale: spec changed · ${summary}` : summary, command: ClientCommands.showResults, arguments: args });
            commands.push({ title: sweep ? 'Show sweep' : 'Show weights', command: ClientCommands.showResults, arguments: args });
        } else if (stored.warning) {
            commands.push(label(`results unreadable: ${stored.warning}`));
        }
        return commands.map(command => ({ range, command }));
    }
}

/** "training… step 120/3000 · loss 1.2e-3" (with the sweep point when there are several). */
export function progressTitle(p: { point: number; points: number; step: number; steps: number; loss: number } | undefined): string {
    if (!p) return 'training… starting';
    const point = p.points > 1 ? `point ${p.point + 1}/${p.points} · ` : '';
    return `training… ${point}step ${p.step}/${p.steps} · loss ${sci(p.loss)}`;
}
