// The results view's learned-map section: M's singular values beside the target's (log y) and the numbers behind them.
import { eckartYoungBound, learnedMapFigure, targetRank, type FigureTheme, type LearnedMap } from '../../../engine/view.js';
import type { Card, ChartTracker } from './card.js';
import { el, fmt } from './dom.js';
import { drawFigure, sizeIn } from './figures.js';

/**
 * Appends the section for the run (or the selected sweep point) on show when it has a learned map (one fixed A, no
 * activation); nothing otherwise. `label` names the point.
 */
export function learnedMapSection(
    app: HTMLElement,
    theme: FigureTheme,
    lm: LearnedMap | undefined,
    label: string,
    chartCard: (name: string, title: string) => Card,
    charts: ChartTracker,
): void {
    if (!lm) return;
    const title = `singular values: learned map M and its target${label ? ` · ${label}` : ''}`;
    const card = chartCard('singular-values', title);
    const bound = lm.numericalRank < targetRank(lm) ? `, Eckart–Young bound at rank ${lm.numericalRank}: ${fmt(eckartYoungBound(lm))}` : '';
    const facts = el(
        'p',
        { class: 'meta', 'data-numerical-rank': String(lm.numericalRank) },
        `numerical rank of M: ${lm.numericalRank} (σ above ${fmt(lm.rankTolerance)}); target rank ${targetRank(lm)}; ` +
            `||M − T||₂ / ||T||₂ = ${fmt(lm.relativeError)}${bound}; offset ||f(A, 0)|| = ${fmt(lm.offset)}`,
    );
    app.append(el('h2', {}, 'Learned map'), card.root);
    card.root.append(facts);
    const view = drawFigure(card.box, learnedMapFigure(lm, { theme, title: '', size: sizeIn(card.box, 320, 220) }), title);
    charts.add(view);
    card.bind(view);
}
