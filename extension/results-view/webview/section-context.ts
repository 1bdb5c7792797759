// What every section of the results view draws with: the page, the editor's theme, the host, the figures to finalize, cards.
import type { FigureTheme } from '../../../engine/view.js';
import type { FromWebviewMessage } from '../messages.js';
import type { Card, ChartTracker } from './card.js';
import type { View } from './figures.js';

export interface SectionContext {
    /** The page: sections are attached before their figures are drawn, so the figures measure their real width. */
    app: HTMLElement;
    theme: FigureTheme;
    post: (message: FromWebviewMessage) => void;
    /** The figures of this render, finalized by the next one. */
    charts: ChartTracker;
    /** A titled chart with a "Save PNG" button (`name` names the file). */
    card: (name: string, title: string, heat?: boolean) => Card;
}

/** Tracks a figure drawn in `card` (finalized on the next render) and binds it to the card's "Save PNG". */
export function keepFigure(context: SectionContext, card: Card, view: View): View {
    context.charts.add(view);
    card.bind(view);
    return view;
}
