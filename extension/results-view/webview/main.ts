// The results webview script: the handshake with its host, the view's state, and the render that lays out the sections
// (header, history, errors, sizes, sweep, loss curve, weights), each drawn by its own module.
import { formatPoint, pointOf, type TrainingProgress } from '../../../engine/view.js';
import type { FromWebviewMessage, ResultsViewState, ToWebviewMessage } from '../messages.js';
import { chartCard, type ChartTracker } from './card.js';
import { button, el, fmt } from './dom.js';
import { errorTables, sizeSection } from './errors-section.js';
import { readTheme, type View } from './figures.js';
import { header, showStale, toolbar } from './header.js';
import { historySection } from './history.js';
import { learnedMapSection } from './learned-map.js';
import { appendLoss, bandCard, lossCard, type LiveLoss } from './loss-section.js';
import type { SectionContext } from './section-context.js';
import { groupOf } from './seeds.js';
import { sweepSection } from './sweep-section.js';
import { weightsSection } from './weights-section.js';
import './results-view.css';

declare function acquireVsCodeApi(): { postMessage(message: FromWebviewMessage): void; setState(state: ResultsViewState): void };

const vscode = acquireVsCodeApi();
const post = (message: FromWebviewMessage) => vscode.postMessage(message);
const app = document.getElementById('app')!;

let current: Extract<ToWebviewMessage, { type: 'results' }> | undefined;
let training = false;
let selectedPoint = 0;
const charts = new Set<View>();
const tracker: ChartTracker = { add: c => charts.add(c), remove: c => charts.delete(c) };
/** The live loss figure of a run in progress. */
let liveLoss: LiveLoss | undefined;
let statusLine: HTMLElement | undefined;
let progressBar: HTMLProgressElement | undefined;

window.addEventListener('error', e => post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
window.addEventListener('unhandledrejection', e => post({ type: 'log', level: 'error', message: String(e.reason) }));

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
    const msg = event.data;
    switch (msg.type) {
        case 'results':
            // another run on show, or a new result without the selected point (a smaller sweep): its first point
            if (current?.run !== msg.run || !msg.response.result?.runs?.[selectedPoint]) selectedPoint = 0;
            current = msg;
            training = msg.training;
            // kept by VS Code across a reload: the serializer reopens this experiment's view from it
            vscode.setState({ uri: msg.uri, experiment: msg.experiment });
            render();
            break;
        case 'staleness':
            if (current) current = { ...current, response: { ...current.response, stale: msg.stale } };
            showStale(app, msg.stale);
            break;
        case 'trainingStarted':
            training = true;
            render();
            break;
        case 'progress':
            training = true;
            showProgress(msg.progress);
            break;
        case 'trainingFinished':
            training = false;
            // the extension follows with fresh `results`; until then say how it ended
            if (statusLine) statusLine.textContent = `Training ${msg.outcome}${msg.message ? `: ${msg.message}` : ''}.`;
            break;
        case 'error':
            app.replaceChildren(el('p', { class: 'notice error' }, msg.message));
            break;
    }
});

// VS Code swaps the theme's CSS variables and the body class: redraw so the charts pick the new colours
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

function destroyCharts(): void {
    for (const c of charts) c.finalize();
    charts.clear();
    liveLoss = undefined;
}

function render(): void {
    destroyCharts();
    if (!current) return;
    const context: SectionContext = {
        app,
        theme: readTheme(),
        post,
        charts: tracker,
        card: (name, title, heat = false) => chartCard(post, name, title, heat),
    };
    const { response, experiment } = current;
    const result = response.result;
    const children: (Node | undefined)[] = [
        header(experiment, result, response.stale, training),
        toolbar(post, result, { trusted: Boolean(current.trusted), training, selectedPoint }),
    ];
    if (current.run !== undefined) {
        children.push(
            el(
                'p',
                { class: 'notice' },
                `Showing run #${current.run} of the history, not the latest result. `,
                button('Back to latest', () => post({ type: 'showRun' }), true),
            ),
        );
    }
    if (response.warning) children.push(el('p', { class: 'notice' }, response.warning));
    if (result?.stopped === 'diverged') {
        const at = result.divergedAt;
        children.push(
            el(
                'p',
                { class: 'notice error' },
                `Training diverged${at ? ` at step ${at.step} (loss ${fmt(at.loss)})` : ''}: lower the learning rate.`,
            ),
        );
    }
    statusLine = el(
        'p',
        { class: 'status', role: 'status' },
        training ? 'Training…' : result ? '' : 'No results yet: train the experiment to see its errors, loss curve and weights.',
    );
    progressBar = training ? el('progress', { max: '1', value: '0' }) : undefined;
    children.push(el('div', { class: 'toolbar' }, statusLine, progressBar));
    app.replaceChildren(...children.filter((c): c is Node => c !== undefined));
    if (!result) {
        if (training) liveLoss = lossCard(context, [], 'training loss (live)').live;
        return;
    }
    const history = historySection(current.history, current.run, post);
    if (history) app.append(history);
    app.append(errorTables(result));
    sizeSection(context, result.runs?.[selectedPoint] ?? result);
    const point = result.runs?.[selectedPoint];
    learnedMapSection(app, context.theme, (point ?? result).learnedMap, point ? formatPoint(point.params) : '', context.card, tracker);
    if (result.runs?.length) app.append(sweepSection(context, result, selectedPoint, selectPoint));
    const curve = point?.lossCurve ?? result.lossCurve ?? [];
    const group = point && groupOf(result, selectedPoint);
    if (point && group && group.lossBand.length > 0) {
        const setting = formatPoint(group.params);
        app.append(el('h2', {}, `Loss curve · ${setting ? `${setting}, ` : ''}${group.runs.length} seeds`));
        bandCard(context, group.lossBand, `training loss over ${group.runs.length} seeds: median and min–max band`, {
            label: `seed ${point.params.seed}`,
            curve,
        });
    } else {
        app.append(el('h2', {}, point ? `Loss curve · ${formatPoint(point.params)}` : 'Loss curve'));
        const loss = lossCard(context, curve, 'training loss');
        liveLoss = loss.live;
    }
    app.append(weightsSection(context, result, point));
}

/** A row of the sweep table picks the point whose loss curve and weights are shown. */
function selectPoint(point: number): void {
    selectedPoint = point;
    render();
}

function showProgress(p: TrainingProgress): void {
    if (!statusLine || !progressBar) render();
    if (!current?.response.result && !liveLoss) render();
    const point = p.points > 1 ? `${pointOf(p.point, p.points)} · ` : '';
    if (statusLine) statusLine.textContent = `Training… ${point}step ${p.step}/${p.steps} · loss ${fmt(p.loss)}`;
    if (progressBar) progressBar.value = (p.point + (p.steps ? p.step / p.steps : 0)) / Math.max(1, p.points);
    // an older run on show keeps its own curve: the live loss is the new run's, drawn over the latest result
    if (liveLoss && current?.run === undefined) appendLoss(liveLoss, p.step, p.loss);
}

post({ type: 'ready' });
