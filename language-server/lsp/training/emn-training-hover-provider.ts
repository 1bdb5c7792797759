// Hover content after training: the learned weights of the hovered part (a compact heatmap, |E - 1| for paths) and a link to the results
// view.
import { AstUtils, type AstNode, type LangiumDocument } from 'langium';
import { isExperiment, isLearnProperty, isNetwork, type Experiment, type Network } from '../../generated/ast.js';
import { ClientCommands } from '../../protocol.js';
import type { ExperimentResult, WeightTensor } from '../../../engine/view.js';
import { findProperty } from '../../resolve-spec.js';
import type { EmnServices } from '../../emn-module.js';
import { EmnHoverProvider } from '../emn-hover-provider.js';
import { formatPoint, num, pathWeightLabel, sci, targetRank } from '../../../engine/view.js';
import { sweepExtremes } from './result-summary.js';
import { heatmapDataUri, pathErrorDataUri } from '../../../engine/index.js';
import { experimentsOf } from './experiments-of.js';
import type { TrainingService } from './training-service.js';

/** Which weights a hovered node is about. */
type Part = 'all' | 'masking' | 'hidden' | 'paths';

export class EmnTrainingHoverProvider extends EmnHoverProvider {
    protected readonly training: TrainingService;

    constructor(services: EmnServices) {
        super(services);
        this.training = services.training.TrainingService;
    }

    protected override getTrainingHoverContent(
        document: LangiumDocument,
        node: AstNode,
        referenced?: AstNode,
    ): Promise<string | undefined> {
        return trainingHoverContent(this.training, document, node, referenced);
    }
}

async function trainingHoverContent(
    training: TrainingService,
    document: LangiumDocument,
    node: AstNode,
    referenced?: AstNode,
): Promise<string | undefined> {
    const target = hoverTarget(node, referenced);
    if (!target) return undefined;
    // a network may be learned by several experiments: show the newest results among them
    const candidates = isExperiment(target.declaration)
        ? [target.declaration]
        : experimentsOf(document).filter(e => findProperty(e.properties ?? [], 'LearnProperty')?.network?.ref === target.declaration);
    let best: { experiment: Experiment; result: ExperimentResult; stale: boolean } | undefined;
    for (const experiment of candidates) {
        const stored = await training.storedResults(document, experiment);
        if (stored.result && (!best || stored.result.finishedAt > best.result.finishedAt)) {
            best = { experiment, result: stored.result, stale: stored.stale };
        }
    }
    if (!best) return undefined;
    // the results view is the VS Code extension's: the link only for a client that can open it
    const link = training.clientRuns(ClientCommands.showResults) ? [document.uri.toString(), best.experiment.name] : undefined;
    return weightsMarkdown(link, best.experiment.name, best.result, best.stale, target.part);
}

function hoverTarget(node: AstNode, referenced?: AstNode): { declaration: Experiment | Network; part: Part } | undefined {
    if (isExperiment(node)) return { declaration: node, part: 'paths' };
    if (isNetwork(node)) return { declaration: node, part: 'all' };
    if (isLearnProperty(node)) {
        // in `learn Op with Net` the references speak for this experiment: the network its weights, the operation its E
        const experiment = AstUtils.getContainerOfType(node, isExperiment);
        if (!experiment) return undefined;
        return { declaration: experiment, part: referenced && isNetwork(referenced) ? 'all' : 'paths' };
    }
    const network = AstUtils.getContainerOfType(node, isNetwork);
    if (!network) return undefined;
    if (node.$type === 'MaskingProperty') return { declaration: network, part: 'masking' };
    if (node.$type === 'WidthProperty' || node.$type === 'DepthProperty') return { declaration: network, part: 'hidden' };
    return undefined;
}

/** The weights of one part of a network. Tensor names follow the compiled plan's layer names (mask1, hidden2, output, ...). */
function selectWeights(weights: WeightTensor[], part: Part): WeightTensor[] {
    switch (part) {
        case 'masking':
            return weights.filter(w => w.name.startsWith('mask'));
        case 'hidden':
            return weights.filter(w => w.name.startsWith('hidden') || w.name.startsWith('output'));
        case 'paths':
            return [];
        default:
            return weights;
    }
}

function tensorStats(
    t: WeightTensor,
    target = 1,
): { min: number; max: number; mean: number; meanAbsFromOne: number; maxAbsFromOne: number } {
    let min = Infinity,
        max = -Infinity,
        sum = 0,
        fromOne = 0,
        maxFromOne = 0;
    for (const v of t.values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        const d = Math.abs(v - target);
        fromOne += d;
        maxFromOne = Math.max(maxFromOne, d);
    }
    const n = Math.max(1, t.values.length);
    return { min, max, mean: sum / n, meanAbsFromOne: fromOne / n, maxAbsFromOne: maxFromOne };
}

/**
 * A compact hover (it must show without scrolling): title with the link first, one picture (E as |E - 1| on a
 * log scale, else the first selected weight tensor), a one-line legend and one line of ranges for the weights.
 */
function weightsMarkdown(
    showResults: string[] | undefined,
    experiment: string,
    result: ExperimentResult,
    stale: boolean,
    part: Part,
): string | undefined {
    // a sweep keeps weights per point: show the best point's
    const ex = sweepExtremes(result);
    const source = ex ? ex.best : result;
    const pointNote = ex ? ` (best point: ${formatPoint(ex.best.params)})` : '';
    const weights = source.weights ?? [];
    const link = showResults
        ? ` · [Show weights](command:${ClientCommands.showResults}?${encodeURIComponent(JSON.stringify(showResults))})`
        : '';
    const verdict = source.convergence ? ` (${source.convergence})` : '';
    const lines: string[] = [
        `**Learned weights** · ${experiment}${pointNote} · MSE ${sci(source.metrics.mse)}${verdict}${stale ? ' · _stale: spec changed_' : ''}${link}`,
        '',
    ];
    const path = part === 'paths' || part === 'all' ? source.pathWeights : undefined;
    // without E (non-linear activations) the experiment's hover shows its weights instead
    const selected = selectWeights(weights, part === 'paths' && !path ? 'all' : part);
    if (path) {
        const target = result.pathWeightTarget ?? 1;
        const s = tensorStats(path, target);
        const gap = pathWeightLabel(target).replace(/^mean /, '');
        lines.push(
            `![${gap}](${pathErrorDataUri(path, target)})`,
            '',
            `_E ${shape(path)} as ${gap} on a log scale: pale = exact (≤ 1e-8), dark red = off by ≥ 1 · ${pathWeightLabel(target)} ${sci(source.metrics.pathWeightError ?? s.meanAbsFromOne)}, max ${sci(s.maxAbsFromOne)}_`,
            '',
        );
    } else if (selected.length > 0) {
        lines.push(
            `![${selected[0].name}](${heatmapDataUri(selected[0])})`,
            '',
            `_${selected[0].name} ${shape(selected[0])}: blue > 0, white = 0, red < 0_`,
            '',
        );
    }
    const lm = source.learnedMap;
    if (lm) {
        lines.push(
            `_learned map M: numerical rank ${lm.numericalRank} (target rank ${targetRank(lm)}), ||M − T||₂ / ||T||₂ ${sci(lm.relativeError)}_`,
            '',
        );
    }
    if (selected.length > 0) {
        lines.push(
            selected
                .map(w => {
                    const s = tensorStats(w);
                    return `\`${w.name}\` ${shape(w)} ${num(s.min)} .. ${num(s.max)}`;
                })
                .join(' · '),
        );
    }
    if (lines.length <= 2) return undefined;
    return lines.join('\n');
}

function shape(t: WeightTensor): string {
    return `[${t.shape.join(' × ')}]`;
}
