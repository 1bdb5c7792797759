// SVG figures for reports (no canvas needed): loss curves on a log scale, with a seed band, and a difference heatmap.
import type { SeedGroup } from './seed-spread.js';

const W = 480, H = 280, PAD = 40;

export interface Curve {
    label: string;
    points: [number, number][];
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Loss curves (log10 loss against step) and, per seed group, its median line over a min-max band. */
export function lossChartSvg(curves: Curve[], bands: { label: string; band: SeedGroup['lossBand'] }[] = []): string {
    const all = [...curves.flatMap(c => c.points), ...bands.flatMap(b => b.band.flatMap(([s, , lo, hi]) => [[s, lo], [s, hi]] as [number, number][]))]
        .filter(([s, l]) => Number.isFinite(s) && Number.isFinite(l) && l > 0);
    if (all.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><text x="${PAD}" y="${H / 2}">no loss curve</text></svg>`;
    const maxStep = Math.max(1, ...all.map(p => p[0]));
    const logs = all.map(p => Math.log10(p[1]));
    const lo = Math.floor(Math.min(...logs)), hi = Math.ceil(Math.max(...logs)) || lo + 1;
    const x = (s: number) => PAD + (s / maxStep) * (W - 2 * PAD);
    const y = (l: number) => H - PAD - ((Math.log10(l) - lo) / Math.max(1e-9, hi - lo)) * (H - 2 * PAD);
    const path = (pts: [number, number][]) => pts.filter(([, l]) => l > 0 && Number.isFinite(l)).map(([s, l], k) => `${k ? 'L' : 'M'}${x(s).toFixed(1)},${y(l).toFixed(1)}`).join('');
    const parts: string[] = [];
    parts.push(`<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#000"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#000"/>`);
    for (let e = lo; e <= hi; e++) parts.push(`<text x="${PAD - 4}" y="${y(10 ** e) + 4}" font-size="10" text-anchor="end">1e${e}</text>`);
    parts.push(`<text x="${W - PAD}" y="${H - PAD + 14}" font-size="10" text-anchor="end">step ${maxStep}</text>`);
    bands.forEach((b, k) => {
        const colour = COLOURS[k % COLOURS.length];
        const upper = b.band.map(([s, , , max]) => [s, max] as [number, number]);
        const lower = b.band.map(([s, , min]) => [s, min] as [number, number]).reverse();
        parts.push(`<path d="${path([...upper, ...lower])}Z" fill="${colour}" fill-opacity="0.2" stroke="none"/>`);
        parts.push(`<path d="${path(b.band.map(([s, m]) => [s, m]))}" fill="none" stroke="${colour}" stroke-width="2"><title>${esc(b.label)}</title></path>`);
    });
    curves.forEach((c, k) => {
        parts.push(`<path d="${path(c.points)}" fill="none" stroke="${COLOURS[(k + bands.length) % COLOURS.length]}" stroke-width="1.5"><title>${esc(c.label)}</title></path>`);
    });
    const legend = [...bands.map(b => `${b.label} (median, min-max band)`), ...curves.map(c => c.label)].slice(0, 10);
    legend.forEach((l, k) => parts.push(`<text x="${W - PAD}" y="${PAD + 12 * k}" font-size="10" text-anchor="end" fill="${COLOURS[k % COLOURS.length]}">${esc(l)}</text>`));
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">${parts.join('')}</svg>`;
}
