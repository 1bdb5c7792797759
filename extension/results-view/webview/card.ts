// A titled chart card with a "Save PNG" button, shared by every chart of the results view.
import type { Chart } from 'chart.js';
import type { FromWebviewMessage } from '../messages.js';
import { button, el } from './dom.js';

export interface Card { root: HTMLElement; canvas: HTMLCanvasElement; box: HTMLElement; bind(chart: Chart): void }

/** `name` names the exported file (experiment-name.png); heat cards size themselves to their matrix. */
export function chartCard(post: (message: FromWebviewMessage) => void, name: string, title: string, heat = false): Card {
    const canvas = el('canvas', { role: 'img', 'aria-label': title });
    const box = el('div', { class: heat ? 'chart-box heatmap' : 'chart-box' }, canvas);
    let bound: Chart | undefined;
    const save = button('Save PNG', () => { if (bound) post({ type: 'exportPng', name, dataUrl: bound.toBase64Image('image/png', 1) }); }, true, `Save ${title} as PNG`);
    const heading = el('h3', {}, title);
    const root = el('div', { class: 'chart-card' }, el('div', { class: 'chart-head' }, heading, save), box);
    return { root, canvas, box, bind: chart => { bound = chart; } };
}

/** Registers the charts a part of the view draws, so that a re-render destroys them. */
export interface ChartTracker {
    add(chart: Chart): void;
    remove(chart: Chart): void;
}
