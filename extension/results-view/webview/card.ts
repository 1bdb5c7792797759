// A titled figure card with a "Save PNG" button, shared by every figure of the results and compare views.
import type { FromWebviewMessage } from '../messages.js';
import { button, el } from './dom.js';
import type { View } from './figures.js';

export interface Card {
    root: HTMLElement;
    box: HTMLElement;
    bind(view: View): void;
}

/** `name` names the exported file (experiment-name.png); heat cards size themselves to their matrix. */
export function chartCard(post: (message: FromWebviewMessage) => void, name: string, title: string, heat = false): Card {
    const box = el('div', { class: heat ? 'chart-box heatmap' : 'chart-box' });
    let bound: View | undefined;
    const save = button(
        'Save PNG',
        () => {
            // twice the screen's pixels: a PNG sharp enough for slides
            if (bound) void bound.toImageURL('png', 2).then(dataUrl => post({ type: 'exportPng', name, dataUrl }));
        },
        true,
        `Save ${title} as PNG`,
    );
    const heading = el('h3', {}, title);
    const root = el('div', { class: 'chart-card' }, el('div', { class: 'chart-head' }, heading, save), box);
    return {
        root,
        box,
        bind: view => {
            bound = view;
        },
    };
}

/** Registers the figures a part of the view draws, so that a re-render finalizes them. */
export interface ChartTracker {
    add(view: View): void;
    remove(view: View): void;
}
