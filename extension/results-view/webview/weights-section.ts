// The results view's weights: E as |E − target|, the row-cluster view, and a heatmap per weight tensor.
import { formatPoint, type ExperimentResult, type HeatScale, type PointResult, type WeightTensor } from '../../../engine/view.js';
import { clusterSection } from './clusters.js';
import { el, fmt } from './dom.js';
import { heatmap, MAX_CELLS, matrixOf } from './heatmap.js';
import { keepFigure, type SectionContext } from './section-context.js';

/** The weights of `point` (a sweep's point on show) or of the single run. */
export function weightsSection(context: SectionContext, result: ExperimentResult, point: PointResult | undefined): HTMLElement {
    const weights: WeightTensor[] = (point ? point.weights : result.weights) ?? [];
    const path = point ? point.pathWeights : result.pathWeights;
    const section = el('section', {}, el('h2', {}, point ? `Weights · ${formatPoint(point.params)}` : 'Weights'));
    if (!weights.length && !path) {
        section.append(el('p', { class: 'status' }, 'These results hold no weights.'));
        return section;
    }
    section.append(
        el(
            'p',
            { class: 'meta' },
            'Every weight the network uses, with masks and pruning applied (pruned edges are 0). Blue positive, red negative.',
        ),
    );
    context.app.append(section);
    const target = result.pathWeightTarget ?? 1;
    if (path) {
        addHeatmap(
            context,
            section,
            path,
            `E: effective path weights as |E − ${fmt(target)}| (the network computes the target exactly when E is ${fmt(target)} everywhere)`,
            { kind: 'pathError', target },
            { x: 'input j', y: 'output i' },
        );
    }
    clusterSection(section, context.theme, weights, path, context.card, context.charts, target);
    section.append(el('h2', {}, 'Every weight tensor'));
    for (const t of weights) addHeatmap(context, section, t, `${t.name} [${t.shape.join(' × ')}]`, { kind: 'weights' });
    return section;
}

function addHeatmap(
    context: SectionContext,
    section: HTMLElement,
    t: WeightTensor,
    title: string,
    scale: HeatScale,
    axes?: { x: string; y: string },
): void {
    const { rows, cols } = matrixOf(t);
    if (rows * cols > MAX_CELLS) {
        section.append(el('p', { class: 'status' }, `${title}: ${rows * cols} values, too many to draw; export the weights instead.`));
        return;
    }
    const card = context.card(t.name, title, true);
    section.append(card.root);
    const h = heatmap(card.box, context.theme, t, scale, title, axes);
    keepFigure(context, card, h.view);
    card.root.append(h.legend);
}
