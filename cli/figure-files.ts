// Writes a report's figure as SVG and PNG: SVG from Vega headless, PNG through resvg (native, loaded only here, never bundled).
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { figureSvg } from './figure-svg.js';
import type { FigureSpec } from '../engine/view.js';

/** The font the figures name (PAPER_THEME); Debian's fonts-dejavu-core puts it here. */
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** A PNG at twice the SVG's size: sharp enough for a slide or a paper's column. */
const PNG_ZOOM = 2;

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | undefined | null;

/** @resvg/resvg-js, or null when its platform package is missing (then reports carry SVG only and say so). */
function loadResvg(): ResvgModule | null {
    if (resvg !== undefined) return resvg;
    try {
        resvg = createRequire(__filename)('@resvg/resvg-js') as ResvgModule;
    } catch {
        resvg = null;
    }
    return resvg;
}

function svgToPng(svg: string): Buffer | undefined {
    const r = loadResvg();
    if (!r) return undefined;
    const font = { loadSystemFonts: !existsSync(DEJAVU), fontFiles: existsSync(DEJAVU) ? [DEJAVU] : [], defaultFontFamily: 'DejaVu Sans' };
    return new r.Resvg(svg, { font, fitTo: { mode: 'zoom', value: PNG_ZOOM }, background: '#ffffff' }).render().asPng();
}

/** Why a report has no PNGs, or undefined when it has them. */
export function pngUnavailable(): string | undefined {
    if (!loadResvg()) return 'no PNG figures: @resvg/resvg-js has no binary for this platform (npm install on it brings one)';
    if (!existsSync(DEJAVU)) return `PNG figures may lack text: ${DEJAVU} is missing (apt-get install fonts-dejavu-core)`;
    return undefined;
}

/** Writes NAME.svg and NAME.png into `folder`; returns the files written. */
export async function writeFigure(folder: string, name: string, spec: FigureSpec): Promise<string[]> {
    const svg = await figureSvg(spec);
    const files = [join(folder, `${name}.svg`)];
    writeFileSync(files[0], svg);
    const png = svgToPng(svg);
    if (png) {
        files.push(join(folder, `${name}.png`));
        writeFileSync(files[1], png);
    }
    return files;
}
