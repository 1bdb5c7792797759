// The soak's figure: RSS and heap used after a forced GC against runs trained, as a standalone SVG line chart.
import type { SoakSample } from './soak-session.js';

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { left: 60, right: 150, top: 30, bottom: 45 };

const SERIES: { label: string; colour: string; value: (s: SoakSample) => number }[] = [
    { label: 'RSS', colour: '#1f77b4', value: s => s.rss },
    { label: 'heap used after GC', colour: '#d62728', value: s => s.heapUsed },
    { label: 'of it, V8 code space', colour: '#2ca02c', value: s => s.codeSpaceUsed },
];

function niceCeiling(x: number): number {
    const step = 10 ** Math.floor(Math.log10(Math.max(x, 1)));
    return Math.ceil(x / step) * step;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An SVG of the samples (MB against runs), titled `title`. */
export function soakSvg(samples: SoakSample[], title: string): string {
    const mb = (b: number) => b / 2 ** 20;
    const maxRun = Math.max(1, ...samples.map(s => s.run));
    const maxMb = niceCeiling(Math.max(1, ...samples.flatMap(s => SERIES.map(k => mb(k.value(s))))));
    const plotW = WIDTH - MARGIN.left - MARGIN.right;
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const x = (run: number) => MARGIN.left + (run / maxRun) * plotW;
    const y = (v: number) => MARGIN.top + plotH - (v / maxMb) * plotH;
    const parts: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
        `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
        `<text x="${MARGIN.left}" y="18" font-size="14">${escapeXml(title)}</text>`,
    ];
    for (let k = 0; k <= 4; k++) {
        const v = (maxMb * k) / 4;
        parts.push(
            `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
            `<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`,
        );
        const run = Math.round((maxRun * k) / 4);
        parts.push(`<text x="${x(run)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${run}</text>`);
    }
    parts.push(
        `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">runs trained in one session</text>`,
        `<text x="14" y="${MARGIN.top + plotH / 2}" transform="rotate(-90 14 ${MARGIN.top + plotH / 2})" text-anchor="middle">MB</text>`,
    );
    SERIES.forEach((k, i) => {
        const points = samples.map(s => `${x(s.run).toFixed(1)},${y(mb(k.value(s))).toFixed(1)}`).join(' ');
        parts.push(
            `<polyline fill="none" stroke="${k.colour}" stroke-width="2" points="${points}"/>`,
            `<line x1="${WIDTH - MARGIN.right + 10}" x2="${WIDTH - MARGIN.right + 30}" y1="${MARGIN.top + 10 + i * 18}" y2="${MARGIN.top + 10 + i * 18}" stroke="${k.colour}" stroke-width="2"/>`,
            `<text x="${WIDTH - MARGIN.right + 34}" y="${MARGIN.top + 14 + i * 18}">${k.label}</text>`,
        );
    });
    parts.push('</svg>');
    return parts.join('\n') + '\n';
}
