// The compare view script: handshake, then renders a RunComparison (settings that differ, metrics side by side, loss curves overlaid, E and
// weight differences).
import type { RunComparison, TensorDifference } from '../../../engine/view.js';
import { describeChange } from '../../../engine/view.js';
import type { CompareViewState, FromWebviewMessage, ToCompareMessage } from '../messages.js';
import { chartCard } from './card.js';
import { compareLossFigure, type FigureTheme } from '../../../engine/view.js';
import { drawFigure, readTheme, sizeIn, type View } from './figures.js';
import { el, fmt, table } from './dom.js';
import { heatmap, MAX_CELLS, matrixOf } from './heatmap.js';
import './results-view.css';

declare function acquireVsCodeApi(): { postMessage(message: FromWebviewMessage): void; setState(state: CompareViewState): void };

const vscode = acquireVsCodeApi();
const post = (message: FromWebviewMessage) => vscode.postMessage(message);
const app = document.getElementById('app')!;
const charts = new Set<View>();
let shown: RunComparison | undefined;

window.addEventListener('error', e => post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
window.addEventListener('unhandledrejection', e => post({ type: 'log', level: 'error', message: String(e.reason) }));

window.addEventListener('message', (event: MessageEvent<ToCompareMessage>) => {
    const msg = event.data;
    if (msg.type === 'error' || !msg.response.comparison) {
        app.replaceChildren(
            el('p', { class: 'notice error' }, msg.type === 'error' ? msg.message : (msg.response.error ?? 'No comparison.')),
        );
        return;
    }
    shown = msg.response.comparison;
    vscode.setState({ a: msg.a, b: msg.b });
    render();
});

// VS Code swaps the theme's CSS variables and the body class: redraw so the charts pick the new colours
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

function render(): void {
    for (const c of charts) c.finalize();
    charts.clear();
    const c = shown;
    if (!c) return;
    const theme = readTheme();
    app.replaceChildren(
        el(
            'header',
            {},
            el('h1', {}, `${c.b.label} compared with ${c.a.label}`),
            el('p', { class: 'meta' }, side('A', c.a)),
            el('p', { class: 'meta' }, side('B', c.b)),
        ),
        settingsSection(c),
        el(
            'section',
            {},
            el('h2', {}, 'Metrics'),
            table(
                ['metric', `A: ${c.a.label}`, `B: ${c.b.label}`, 'B / A'],
                c.metrics.map(m => [m.label, fmt(m.a), fmt(m.b), m.ratio === undefined ? '' : `×${fmt(m.ratio)}`]),
            ),
        ),
    );
    if (c.points.length > 0 || c.pointsNote) {
        app.append(
            el(
                'section',
                {},
                el('h2', {}, `Sweep points (${c.pointsMetric})`),
                ...(c.points.length > 0
                    ? [
                          table(
                              ['point', 'A', 'B'],
                              c.points.map(p => [p.point, fmt(p.a), fmt(p.b)]),
                          ),
                      ]
                    : []),
                ...(c.pointsNote ? [el('p', { class: 'meta' }, c.pointsNote)] : []),
            ),
        );
    }
    // the weights first: what no other tool compares, and what a screen should show without scrolling
    weightsSection(theme, c);
    if (c.lossCurves.a.length === 0 && c.lossCurves.b.length === 0) {
        app.append(
            el('h2', {}, 'Loss curves'),
            el('p', { class: 'status' }, 'A sweep has a loss curve per point: its results view shows them.'),
        );
        return;
    }
    const loss = chartCard(post, 'loss', 'training loss: A and B');
    app.append(el('h2', {}, 'Loss curves'), loss.root);
    const view = drawFigure(loss.box, compareLossFigure(c, { theme, title: '', size: sizeIn(loss.box, 240) })!, 'training loss: A and B');
    charts.add(view);
    loss.bind(view);
}

function side(name: string, s: RunComparison['a']): string {
    return (
        `${name}: ${s.label} · ${s.specFile} · ${new Date(s.finishedAt).toLocaleString()} · ${s.backend} · plan ${s.planHash.slice(0, 12)}` +
        (s.settingsNote ? ` (${s.settingsNote})` : '')
    );
}

/** Only the settings that differ, in the spec's words; the changed line reads as `emn diff` prints it. */
function settingsSection(c: RunComparison): HTMLElement {
    const section = el('section', { class: 'settings-diff' }, el('h2', {}, 'Settings that differ'));
    if (c.settings.length === 0) {
        section.append(
            el(
                'p',
                { class: 'status' },
                c.samePlan ? 'None: the same plan (only the run differs).' : 'None in the settings the spec states.',
            ),
        );
        return section;
    }
    section.append(
        el('p', { class: 'changed' }, c.settings.map(describeChange).join(', ')),
        table(
            ['setting', 'A', 'B'],
            c.settings.map(s => [s.setting, s.before ?? '(none)', s.after ?? '(none)']),
        ),
    );
    return section;
}

/** Same shape: E's and each layer's difference B − A as diverging heatmaps (white = equal). Else the reason, plainly. */
function weightsSection(theme: FigureTheme, c: RunComparison): void {
    const section = el('section', { class: 'weight-diff' }, el('h2', {}, 'Weights: B − A'));
    app.append(section);
    const tensors: [string, TensorDifference][] = [
        ...(c.pathWeights ? [['E', c.pathWeights] as [string, TensorDifference]] : []),
        ...c.weights.map(t => [t.name, t] as [string, TensorDifference]),
    ];
    if (tensors.length === 0) {
        section.append(
            el(
                'p',
                { class: 'notice' },
                c.weightsNote
                    ? `${c.weightsNote[0].toUpperCase()}${c.weightsNote.slice(1)}.`
                    : 'No weight difference: neither side has weights.',
            ),
        );
        return;
    }
    section.append(
        el('p', { class: 'meta' }, 'Red: B is lower than A, blue: higher, white: equal. The scale is symmetric around 0.'),
        table(
            ['tensor', 'shape', 'max |diff|', 'mean |diff|', '||diff|| / ||A||'],
            tensors.map(([name, t]) => [
                name === 'E' ? 'E (path weights)' : name,
                t.shape.join('×'),
                fmt(t.maxAbs),
                fmt(t.meanAbs),
                fmt(t.relative),
            ]),
        ),
    );
    for (const [name, t] of tensors) {
        const title = `${name === 'E' ? 'E (path weights)' : name} difference B − A [${t.shape.join(' × ')}]`;
        const { rows, cols } = matrixOf(t.difference);
        if (rows * cols > MAX_CELLS) {
            section.append(el('p', { class: 'status' }, `${title}: ${rows * cols} values, too many to draw.`));
            continue;
        }
        const card = chartCard(post, `${name}-difference`, title, true);
        section.append(card.root);
        const h = heatmap(
            card.box,
            theme,
            t.difference,
            { kind: 'difference' },
            title,
            name === 'E' ? { x: 'input j', y: 'output i' } : undefined,
        );
        charts.add(h.view);
        card.bind(h.view);
        card.root.append(h.legend);
    }
}

post({ type: 'ready' });
