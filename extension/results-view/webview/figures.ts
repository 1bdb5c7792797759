// Draws the engine's figures (engine/figures: the specs `emn report` renders too) in the webview: Vega on a canvas, its
// expressions run by vega-interpreter, so the CSP needs no 'unsafe-eval'; the editor's theme colours and font.
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile } from 'vega-lite';
import { type FigureSize, type FigureSpec, type FigureTheme } from '../../../engine/view.js';
import { themeColor } from './dom.js';

export type { View };

export function readTheme(): FigureTheme {
    const fg = themeColor('--vscode-editor-foreground', '#333');
    return {
        foreground: fg,
        muted: themeColor('--vscode-descriptionForeground', fg),
        grid: themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
        background: themeColor('--vscode-editor-background', '#fff'),
        font: getComputedStyle(document.body).fontFamily || 'sans-serif',
    };
}

/** The plot area a figure gets in a box: its width less room for the axis and a legend beside the plot. */
export function sizeIn(box: HTMLElement, height = 240, legend = 220): FigureSize {
    return { width: Math.max(220, (box.clientWidth || 700) - legend - 80), height };
}

/**
 * Draws `spec` into `box` (a canvas Vega makes) and labels the canvas for screen readers (and tests): role img,
 * `label`, and any other attributes given. The view is returned at once; it renders asynchronously.
 */
export function drawFigure(box: HTMLElement, spec: FigureSpec, label: string, attributes: Record<string, string> = {}): View {
    const view = new View(parse(compile(spec).spec, undefined, { ast: true }), {
        expr: expressionInterpreter,
        renderer: 'canvas',
        container: box,
        hover: true,
    });
    const labelCanvas = () => {
        const canvas = box.querySelector('canvas');
        if (!canvas) return;
        for (const [k, v] of Object.entries({ role: 'img', 'aria-label': label, ...attributes })) canvas.setAttribute(k, v);
    };
    labelCanvas();
    void view.runAsync().then(labelCanvas);
    return view;
}
