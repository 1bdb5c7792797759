// Heatmaps of weight tensors (masks and pruning applied), of E and of differences: engine/figures' tensorHeatmapFigure, drawn here.
import { fmt, el } from './dom.js';
import {
    MAX_HEATMAP_CELLS,
    matrixOf,
    tensorHeatmapFigure,
    type FigureTheme,
    type HeatScale,
    type WeightTensor,
} from '../../../engine/view.js';
import { drawFigure, type View } from './figures.js';

/** Past this many cells a heatmap is unreadable and slow; the export still has every value. */
export const MAX_CELLS = MAX_HEATMAP_CELLS;
export { matrixOf };

export interface HeatmapView {
    view: View;
    /** The tensor's range in words under the figure (its colour bar is in the figure). */
    legend: HTMLElement;
}

export function heatmap(
    box: HTMLElement,
    theme: FigureTheme,
    t: WeightTensor,
    scale: HeatScale,
    label: string,
    axes?: { x: string; y: string },
): HeatmapView {
    let min = Infinity;
    let max = -Infinity;
    for (const v of t.values) {
        if (v < min) min = v;
        if (v > max) max = v;
    }
    const side = Math.max(160, Math.min(560, (box.clientWidth || 600) - 200));
    const view = drawFigure(box, tensorHeatmapFigure(t, scale, { theme, side, ...(axes ? { axes } : {}) }), label);
    if (scale.kind === 'pathError') {
        const target = fmt(scale.target);
        const worst = Math.max(Math.abs(min - scale.target), Math.abs(max - scale.target));
        return {
            view,
            legend: el(
                'div',
                { class: 'legend' },
                `|E − ${target}|: 1e-8 (exact) to 1 (wrong), log scale · E in [${fmt(min)}, ${fmt(max)}], ` +
                    `max |E − ${target}| ${fmt(worst)}`,
            ),
        };
    }
    return { view, legend: el('div', { class: 'legend' }, `min ${fmt(min)}, max ${fmt(max)}`) };
}
