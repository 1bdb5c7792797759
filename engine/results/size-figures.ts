// Relative error against evaluation size (shared weights: trained at one n, evaluated at others): the series and an SVG figure.
import type { EvaluationResult } from './result-types.js';

/** One operation's evaluations at several sizes: [n, relative error], n ascending. */
export interface SizeSeries {
    label: string;
    points: [number, number][];
}

/** The evaluations grouped by operation, when some were made at another size than `trainedAt`; none otherwise. */
export function sizeSeries(evaluations: readonly EvaluationResult[], trainedAt: number | undefined): SizeSeries[] {
    const sized = evaluations.filter(e => e.size !== undefined && e.on !== 'pool');
    if (trainedAt === undefined || !sized.some(e => e.size !== trainedAt)) return [];
    const byOp = new Map<string, [number, number][]>();
    for (const e of sized) byOp.set(e.on, [...(byOp.get(e.on) ?? []), [e.size!, e.relError]]);
    return [...byOp].map(([label, points]) => ({ label, points: points.sort((a, b) => a[0] - b[0]) }));
}

const W = 480, H = 280, PAD = 44;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Relative error against n, log-log, one line per operation, the training size marked by a dashed vertical line. */
export function sizeChartSvg(series: SizeSeries[], trainedAt: number): string {
    const points = series.flatMap(s => s.points).filter(([n, e]) => n > 0 && e > 0 && Number.isFinite(e));
    if (points.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><text x="${PAD}" y="${H / 2}">no evaluation at other sizes</text></svg>`;
    const ns = [...points.map(p => p[0]), trainedAt];
    const xLo = Math.log10(Math.min(...ns)), xHi = Math.max(xLo + 0.1, Math.log10(Math.max(...ns)));
    const logs = points.map(p => Math.log10(p[1]));
    const yLo = Math.floor(Math.min(...logs)), yHi = Math.max(yLo + 1, Math.ceil(Math.max(...logs)));
    const x = (n: number) => PAD + ((Math.log10(n) - xLo) / (xHi - xLo)) * (W - 2 * PAD);
    const y = (e: number) => H - PAD - ((Math.log10(e) - yLo) / (yHi - yLo)) * (H - 2 * PAD);
    const parts = [`<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#000"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#000"/>`];
    for (let e = yLo; e <= yHi; e++) parts.push(`<text x="${PAD - 4}" y="${y(10 ** e) + 4}" font-size="10" text-anchor="end">1e${e}</text>`);
    for (const n of [...new Set(ns)]) parts.push(`<text x="${x(n)}" y="${H - PAD + 14}" font-size="10" text-anchor="middle">${n}</text>`);
    parts.push(`<text x="${W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">n (evaluation size, log)</text>`);
    parts.push(`<line x1="${x(trainedAt)}" y1="${PAD}" x2="${x(trainedAt)}" y2="${H - PAD}" stroke="#777" stroke-dasharray="4 3"><title>trained at n = ${trainedAt}</title></line>`);
    parts.push(`<text x="${x(trainedAt) + 4}" y="${PAD + 10}" font-size="10">trained at n = ${trainedAt}</text>`);
    series.forEach((s, k) => {
        const c = COLOURS[k % COLOURS.length];
        const pts = s.points.filter(([, e]) => e > 0 && Number.isFinite(e));
        parts.push(`<path d="${pts.map(([n, e], i) => `${i ? 'L' : 'M'}${x(n).toFixed(1)},${y(e).toFixed(1)}`).join('')}" fill="none" stroke="${c}" stroke-width="1.5"><title>${esc(s.label)}</title></path>`);
        for (const [n, e] of pts) parts.push(`<circle cx="${x(n).toFixed(1)}" cy="${y(e).toFixed(1)}" r="2.5" fill="${c}"/>`);
        parts.push(`<text x="${W - PAD}" y="${PAD + 12 * k}" font-size="10" text-anchor="end" fill="${c}">relative error on ${esc(s.label)}</text>`);
    });
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">${parts.join('')}</svg>`;
}
