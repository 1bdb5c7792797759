// The row-cluster view: for cluster i (the units that compute output i), W1[i] (w x n) beside row i of E, with a slider over i.
import type { FigureTheme, HeatScale, WeightTensor } from '../../../engine/view.js';
import type { Card, ChartTracker } from './card.js';
import { el } from './dom.js';
import type { View } from './figures.js';
import { heatmap } from './heatmap.js';
import { firstLayer, slice } from './tensor-slices.js';

/**
 * Appends the section to `parent` (figures measure their width once attached) and draws cluster 0; the slider
 * redraws the two heatmaps of the chosen cluster. Nothing when the network has no [n, w, n] first layer.
 */
export function clusterSection(
    parent: HTMLElement,
    theme: FigureTheme,
    weights: WeightTensor[],
    path: WeightTensor | undefined,
    card: (name: string, title: string, heat: boolean) => Card,
    charts: ChartTracker,
    target = 1,
): void {
    const w1 = firstLayer(weights);
    if (!w1) return;
    const [n, width, inputs] = w1.shape;
    const slider = el('input', { type: 'range', min: '0', max: String(n - 1), step: '1', value: '0', 'aria-label': 'row cluster' });
    const label = el('output', { class: 'cluster-label' });
    const body = el('div', { class: 'grid clusters' });
    const section = el(
        'section',
        { class: 'row-clusters' },
        el('h2', {}, 'Row clusters'),
        el(
            'p',
            { class: 'meta' },
            `Cluster i is the ${width} units that compute output i. W1[i] (${width} × ${inputs}) is how each unit weighs input j, ` +
                'which A[i][j] gates and scales; row i of E is the factor A[i][j] x[j] gets in output i (exact when 1). ' +
                'How the clusters split the row-wise products shows across the slider.',
        ),
        el('div', { class: 'toolbar' }, el('label', {}, 'cluster i ', slider), label),
        body,
    );
    parent.append(section);
    let drawn: View[] = [];
    const draw = (i: number) => {
        for (const v of drawn) {
            v.finalize();
            charts.remove(v);
        }
        drawn = [];
        body.replaceChildren();
        label.textContent = `${i} of 0 … ${n - 1}`;
        const parts: [WeightTensor, string, HeatScale, { x: string; y: string }][] = [
            [
                slice(w1, i),
                `W1[${i}]: cluster ${i}'s units × inputs [${width} × ${inputs}]`,
                { kind: 'weights' },
                { x: 'input j', y: 'unit' },
            ],
        ];
        if (path)
            parts.push([
                slice(path, i),
                `E[${i}]: row ${i}'s path weights [1 × ${inputs}]`,
                { kind: 'pathError', target },
                { x: 'input j', y: 'output i' },
            ]);
        for (const [tensor, title, scale, axes] of parts) {
            const c = card(`cluster${i}-${tensor.name.replace(/[^\w]+/g, '')}`, title, true);
            body.append(c.root);
            const h = heatmap(c.box, theme, tensor, scale, title, axes);
            c.bind(h.view);
            c.root.append(h.legend);
            drawn.push(h.view);
            charts.add(h.view);
        }
    };
    slider.addEventListener('input', () => draw(Number(slider.value)));
    draw(0);
}
