// Hover content after training: the learned weights of the hovered part (summary + small heatmap) and a link to the results view.
import { AstUtils, type AstNode, type LangiumDocument } from 'langium';
import { isExperiment, isNetwork, type Experiment, type Network } from '../../generated/ast.js';
import { ClientCommands } from '../../protocol.js';
import type { ExperimentResult, WeightTensor } from '../../results/result-types.js';
import { findProperty } from '../../spec/resolve-spec.js';
import type { EmnServices } from '../../emn-module.js';
import { EmnHoverProvider } from '../emn-hover-provider.js';
import { num, sci } from '../../format-numbers.js';
import { paramsLabel, sweepExtremes } from './format.js';
import { heatmapDataUri } from './heatmap-svg.js';
import { experimentsOf } from './run-keys.js';
import type { TrainingService } from './training-service.js';

/** Which weights a hovered node is about. */
type Part = 'all' | 'masking' | 'hidden' | 'paths';

export class EmnTrainingHoverProvider extends EmnHoverProvider {
    protected readonly training: TrainingService;

    constructor(services: EmnServices) {
        super(services);
        this.training = services.training.TrainingService;
    }

    protected override getTrainingHoverContent(document: LangiumDocument, node: AstNode): Promise<string | undefined> {
        return trainingHoverContent(this.training, document, node);
    }
}

async function trainingHoverContent(training: TrainingService, document: LangiumDocument, node: AstNode): Promise<string | undefined> {
    const target = hoverTarget(node);
    if (!target) return undefined;
    // a network may be learned by several experiments: show the newest results among them
    const candidates = isExperiment(target.declaration) ? [target.declaration]
        : experimentsOf(document).filter(e => findProperty(e.properties ?? [], 'LearnProperty')?.network?.ref === target.declaration);
    let best: { experiment: Experiment; result: ExperimentResult; stale: boolean } | undefined;
    for (const experiment of candidates) {
        const stored = await training.storedResults(document, experiment);
        if (stored.result && (!best || stored.result.finishedAt > best.result.finishedAt)) {
            best = { experiment, result: stored.result, stale: stored.stale };
        }
    }
    if (!best) return undefined;
    return weightsMarkdown(document.uri.toString(), best.experiment.name, best.result, best.stale, target.part);
}

function hoverTarget(node: AstNode): { declaration: Experiment | Network; part: Part } | undefined {
    if (isExperiment(node)) return { declaration: node, part: 'paths' };
    if (isNetwork(node)) return { declaration: node, part: 'all' };
    const network = AstUtils.getContainerOfType(node, isNetwork);
    if (!network) return undefined;
    if (node.$type === 'MaskingProperty') return { declaration: network, part: 'masking' };
    if (node.$type === 'WidthProperty' || node.$type === 'DepthProperty') return { declaration: network, part: 'hidden' };
    return undefined;
}

/** The weights of one part of a network. Tensor names follow the compiled plan's layer names (mask1, hidden2, output, ...). */
function selectWeights(weights: WeightTensor[], part: Part): WeightTensor[] {
    switch (part) {
        case 'masking': return weights.filter(w => w.name.startsWith('mask'));
        case 'hidden': return weights.filter(w => w.name.startsWith('hidden') || w.name.startsWith('output'));
        default: return weights;
    }
}

function tensorStats(t: WeightTensor): { min: number; max: number; mean: number; meanAbsFromOne: number } {
    let min = Infinity, max = -Infinity, sum = 0, fromOne = 0;
    for (const v of t.values) { min = Math.min(min, v); max = Math.max(max, v); sum += v; fromOne += Math.abs(v - 1); }
    const n = Math.max(1, t.values.length);
    return { min, max, mean: sum / n, meanAbsFromOne: fromOne / n };
}

function weightsMarkdown(uri: string, experiment: string, result: ExperimentResult, stale: boolean, part: Part): string | undefined {
    // a sweep keeps weights per point: show the best point's
    const ex = sweepExtremes(result);
    const source = ex ? ex.best : result;
    const pointNote = ex ? ` (best sweep point: ${paramsLabel(ex.best.params)})` : '';
    const weights = source.weights ?? [];
    const lines: string[] = [`**Learned weights** · ${experiment}${pointNote} · MSE ${sci(source.metrics.mse)}${stale ? ' · _stale: spec changed_' : ''}`, ''];
    let picture: { tensor: WeightTensor; centre: number } | undefined;
    if ((part === 'paths' || part === 'all') && source.pathWeights) {
        const s = tensorStats(source.pathWeights);
        lines.push(`Effective path weights E ${shape(source.pathWeights)}: min ${num(s.min)}, max ${num(s.max)}, mean ${num(s.mean)}, mean |E - 1| ${sci(source.metrics.pathWeightError ?? s.meanAbsFromOne)} (A x is exact when E is all ones)`, '');
        picture = { tensor: source.pathWeights, centre: 1 };
    }
    const selected = selectWeights(weights, part);
    if (selected.length > 0) {
        lines.push('| weight | shape | min | max | mean |', '|---|---|---|---|---|');
        for (const w of selected) {
            const s = tensorStats(w);
            lines.push(`| ${w.name} | ${shape(w)} | ${num(s.min)} | ${num(s.max)} | ${num(s.mean)} |`);
        }
        lines.push('');
        picture ??= { tensor: selected[0], centre: 0 };
    }
    if (!picture) return undefined;
    const legend = picture.centre === 1 ? 'E: white = 1 (exact), blue above, red below (full colour at 0 and 2)' : `${picture.tensor.name}: white = 0, blue > 0, red < 0`;
    lines.push(`![${picture.tensor.name}](${heatmapDataUri(picture.tensor, picture.centre, picture.centre === 1 ? 1 : undefined)})`, '', `_${legend}_`, '');
    lines.push(`[Show weights](command:${ClientCommands.showResults}?${encodeURIComponent(JSON.stringify([uri, experiment]))})`);
    return lines.join('\n');
}

function shape(t: WeightTensor): string {
    return `[${t.shape.join(' × ')}]`;
}
