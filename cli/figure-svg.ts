// Draws a figure headless: Vega-Lite compiled to Vega, rendered to SVG text without a DOM (the report's figures).
import * as vega from 'vega';
import { logger, None, parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { FigureSpec } from '../engine/view.js';
import { dejaVuWidth } from './text-width.js';

type TextItem = { text?: string | string[]; fontSize?: number };
// Vega's text metrics (in vega-scenegraph, untyped in vega's types): headless, the widths of the font the SVG names
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: string) => number } }).textMetrics;
metrics.width = (item, text) => dejaVuWidth(text ?? [item.text ?? ''].flat().join(' '), item.fontSize ?? 11);

/** Vega-Lite's notes (e.g. a log scale drops `zero`) are for spec authors, not for the report's reader. */
const QUIET = logger(None);

export async function figureSvg(spec: FigureSpec): Promise<string> {
    const view = new View(parse(compile(spec, { logger: QUIET }).spec), { renderer: 'none', logLevel: None });
    try {
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}
