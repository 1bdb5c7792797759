// Inlay hint at the end of an experiment's name line: its last MSE, or that the results are stale; nothing before a run.
import { GrammarUtils, type LangiumDocument } from 'langium';
import type { InlayHintProvider } from 'langium/lsp';
import type { InlayHint, InlayHintParams } from 'vscode-languageserver';
import type { EmnServices } from '../../emn-module.js';
import type { ExperimentResult } from '../../../engine/view.js';
import { convergenceSentence, formatDuration, medianOf, pathWeightLabel, sci, seedGroupsOf } from '../../../engine/view.js';
import { sweepExtremes, sweepSummary } from './result-summary.js';
import { experimentsOf } from './experiments-of.js';
import type { TrainingService } from './training-service.js';

export class EmnInlayHintProvider implements InlayHintProvider {
    protected readonly training: TrainingService;

    constructor(services: EmnServices) {
        this.training = services.training.TrainingService;
    }

    async getInlayHints(document: LangiumDocument, params: InlayHintParams): Promise<InlayHint[]> {
        const hints: InlayHint[] = [];
        for (const node of experimentsOf(document)) {
            const nameLine = (GrammarUtils.findNodeForProperty(node.$cstNode, 'name') ?? node.$cstNode)?.range.start.line;
            if (nameLine === undefined || nameLine < params.range.start.line || nameLine > params.range.end.line) continue;
            const stored = await this.training.storedResults(document, node);
            if (!stored.result) continue;
            const lineText = document.textDocument.getText({
                start: { line: nameLine, character: 0 },
                end: { line: nameLine + 1, character: 0 },
            });
            const mse = hintMse(stored.result);
            hints.push({
                position: { line: nameLine, character: lineText.replace(/\r?\n$/, '').length },
                label: stored.stale ? `  stale: spec changed (${mse})` : `  ${mse}`,
                tooltip: { kind: 'markdown', value: hintTooltip(stored.result, stored.stale) },
                paddingLeft: true,
            });
        }
        return hints;
    }
}

/** "mse 3.1e-12", the median of a setting's seeds, or the best point (by median over seeds) of a sweep. */
export function hintMse(r: ExperimentResult): string {
    const groups = seedGroupsOf(r);
    if (groups.length === 1) return `mse ${sci(groups[0].metrics.mse?.median ?? Number.NaN)} (${medianOf(groups[0])})`;
    if (groups.length > 1) return `best median mse ${sci(Math.min(...groups.map(g => g.metrics.mse?.median ?? Infinity)))}`;
    const ex = sweepExtremes(r);
    return ex ? `best mse ${sci(ex.best.metrics.mse)}` : `mse ${sci(r.metrics.mse)}`;
}

function hintTooltip(r: ExperimentResult, stale: boolean): string {
    const lines = [
        `**${r.experiment}**: ${r.operation} learned by ${r.network}`,
        '',
        sweepSummary(r) ??
            `MSE ${sci(r.metrics.mse)} · RMSE ${sci(r.metrics.rmse)} · max |error| ${sci(r.metrics.maxAbsError)} · relative ${sci(r.metrics.relError)}` +
                (r.metrics.pathWeightError !== undefined
                    ? ` · ${pathWeightLabel(r.pathWeightTarget)} ${sci(r.metrics.pathWeightError)}`
                    : ''),
        '',
        `${r.steps} steps (${r.stopped}) · ${formatDuration(r.wallMs / 1000)} · ${r.backend} · ${r.finishedAt}`,
    ];
    const sentence = convergenceSentence(r);
    if (sentence) lines.splice(4, 0, `Convergence: ${sentence}`, '');
    if (stale) lines.push('', '_The spec changed since this run: train again for current results._');
    return lines.join('\n');
}
