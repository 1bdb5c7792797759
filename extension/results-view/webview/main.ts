// The results webview script: handshake, then renders the history, metrics (spread over seeds), loss curve (a band over seeds), weight / E
// heatmaps and sweep plots.
import {
    errorAgainstEvaluationSizeFigure,
    errorAgainstParameterFigure,
    formatPoint,
    LIVE_LOSS_DATA,
    pointOf,
    liveLossFigure,
    lossFigure,
    seedBandsAgainstParameterFigure,
    sweepGridFigure,
    sweepParameters,
    type ExperimentResult,
    type FigureTheme,
    type HeatScale,
    type PointResult,
    type SweepMetric,
    type TrainingProgress,
    type WeightTensor,
} from '../../../engine/view.js';
import {
    convergenceSentence,
    litmusSummary,
    stepsToHeader,
    stepsToText,
    sweepGridOf,
    thresholdOf,
    VERDICT_LEGEND,
} from '../../../engine/view.js';
import type { FromWebviewMessage, ResultsViewState, ToWebviewMessage } from '../messages.js';
import { drawFigure, readTheme, sizeIn, type View } from './figures.js';
import { formatSweepValue, quotientText, sizeSeries } from '../../../engine/view.js';
import { button, el, fmt, table } from './dom.js';
import { heatmap, MAX_CELLS, matrixOf } from './heatmap.js';
import { chartCard as makeCard, type Card, type ChartTracker } from './card.js';
import { clusterSection } from './clusters.js';
import { learnedMapSection } from './learned-map.js';
import { historySection } from './history.js';
import { groupOf, seedSpreadTable } from './seeds.js';
import { sweepExplorer } from './sweep-explorer.js';
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
/** The live loss figure of a run in progress, and the last step it drew (a lower one starts the next sweep point). */
let liveLoss: { view: View; lastStep: number } | undefined;
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
            showStale(msg.stale);
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
    const theme = readTheme();
    const { response, experiment } = current;
    const result = response.result;
    const children: (Node | undefined)[] = [header(experiment, result, response.stale), toolbar(result)];
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
        if (training) app.append(lossCard(theme, [], 'training loss (live)'));
        return;
    }
    const history = historySection(current.history, current.run, post);
    if (history) app.append(history);
    app.append(errorTables(result));
    sizeSection(theme, result.runs?.[selectedPoint] ?? result);
    const shown = result.runs?.[selectedPoint];
    learnedMapSection(app, theme, (shown ?? result).learnedMap, shown ? formatPoint(shown.params) : '', chartCard, tracker);
    if (result.runs?.length) app.append(sweepSection(theme, result));
    const point = result.runs?.[selectedPoint];
    const curve = point?.lossCurve ?? result.lossCurve ?? [];
    const group = point && groupOf(result, selectedPoint);
    if (point && group && group.lossBand.length > 0) {
        const setting = formatPoint(group.params);
        app.append(el('h2', {}, `Loss curve · ${setting ? `${setting}, ` : ''}${group.runs.length} seeds`));
        bandCard(theme, group.lossBand, `training loss over ${group.runs.length} seeds: median and min–max band`, {
            label: `seed ${point.params.seed}`,
            curve,
        });
    } else {
        app.append(
            el('h2', {}, point ? `Loss curve · ${formatPoint(point.params)}` : 'Loss curve'),
            lossCard(theme, curve, 'training loss'),
        );
    }
    app.append(weightsSection(theme, result, point));
}

/** Toggles the stale badge in place: the charts (and a live loss curve) stay as they are. */
function showStale(stale: boolean): void {
    const title = app.querySelector('header h1');
    if (!title) return;
    title.querySelector('.badge.stale')?.remove();
    if (stale) title.append(staleBadge());
}

function staleBadge(): HTMLElement {
    return el('span', { class: 'badge warning stale', title: 'The spec changed since these results were made' }, 'stale');
}

function header(experiment: string, result: ExperimentResult | undefined, stale: boolean): HTMLElement {
    const title = el(
        'h1',
        {},
        experiment,
        stale ? staleBadge() : undefined,
        training ? el('span', { class: 'badge' }, 'training') : undefined,
    );
    if (!result) return el('header', {}, title);
    const stopped =
        { steps: '', target: ' (reached the target mse)', diverged: ' (diverged)', cancelled: ' (cancelled)' }[result.stopped] ?? '';
    const meta =
        `${result.operation} learned by ${result.network} · ${result.backend} · ${result.steps} steps${stopped} · ` +
        `${fmt(result.stepsPerSecond)} steps/s · ${(result.wallMs / 1000).toFixed(1)} s · ${new Date(result.finishedAt).toLocaleString()}`;
    const sentence = result.runs ? undefined : convergenceSentence(result);
    return el(
        'header',
        {},
        title,
        el('p', { class: 'meta' }, meta),
        sentence ? el('p', { class: 'meta convergence' }, `Convergence: ${sentence}`) : undefined,
    );
}

function toolbar(result: ExperimentResult | undefined): HTMLElement {
    const bar = el('div', { class: 'toolbar' });
    if (current?.trusted) {
        bar.append(
            training
                ? button('Cancel', () => post({ type: 'cancel' }), true)
                : button(result ? 'Train again' : 'Train', () => post({ type: 'train' })),
        );
    }
    if (result && hasWeights(result)) {
        const point = result.runs?.length ? selectedPoint : undefined;
        bar.append(
            button('Export weights (JSON)', () => post({ type: 'exportWeights', format: 'json', point }), true),
            button('Export weights (CSV)', () => post({ type: 'exportWeights', format: 'csv', point }), true),
        );
    }
    return bar;
}

function hasWeights(result: ExperimentResult): boolean {
    const p = result.runs?.[selectedPoint];
    return Boolean((p?.weights ?? result.weights)?.length || (p?.pathWeights ?? result.pathWeights));
}

function errorTables(result: ExperimentResult): HTMLElement {
    const m = result.metrics;
    const metrics = table(
        ['metric', 'value'],
        [
            ['MSE', fmt(m.mse)],
            ['RMSE', fmt(m.rmse)],
            ['max |error|', fmt(m.maxAbsError)],
            ['relative error', fmt(m.relError)],
            ...(m.pathWeightError !== undefined ? [['mean |E − 1|', fmt(m.pathWeightError)]] : []),
            ...(m.memorisationQuotient !== undefined ? [['fresh/pool (memorisation quotient)', quotientText(m.memorisationQuotient)]] : []),
        ],
        'first evaluation set',
    );
    const evals = result.evaluations.length
        ? table(
              ['evaluated on', 'samples', 'MSE', 'max |error|', 'relative error'],
              result.evaluations.map(e => [e.on, String(e.samples), fmt(e.mse), fmt(e.maxAbsError), fmt(e.relError)]),
              'every evaluation',
          )
        : undefined;
    const spread = result.seedGroups?.length ? seedSpreadTable(result.seedGroups, result.pathWeightTarget) : undefined;
    return el('section', {}, el('h2', {}, 'Errors'), el('div', { class: 'grid' }, spread, metrics, evals));
}

/** Shared weights evaluated at other sizes: relative error against n (log-log), the training size named. */
function sizeSection(
    theme: FigureTheme,
    run: { evaluations: ExperimentResult['evaluations']; trainingSize?: number; params?: PointResult['params'] },
): void {
    const series = sizeSeries(run.evaluations, run.trainingSize);
    if (series.length === 0) return;
    const point = run.params && Object.keys(run.params).length > 0 ? ` · ${formatPoint(run.params)}` : '';
    const title = `relative error against evaluation size (trained at n = ${run.trainingSize})${point}`;
    const card = chartCard('sizes', title);
    app.append(el('h2', {}, 'Evaluation sizes'), card.root);
    const rows = series.flatMap(s => s.points.map(([n, relError]) => ({ n, relError, series: s.label })));
    const view = drawFigure(
        card.box,
        errorAgainstEvaluationSizeFigure(rows, run.trainingSize!, { theme, title: '', size: sizeIn(card.box, 320, 220) }),
        title,
    );
    charts.add(view);
    card.bind(view);
}

function sweepSection(theme: FigureTheme, result: ExperimentResult): HTMLElement {
    const runs = result.runs!;
    const keys = Object.keys(runs[0].params);
    // `seeds N` without a sweep: the runs differ only in their seed, a plot against the seed says nothing
    const seedsOnly = keys.length === 1 && keys[0] === 'seed';
    const section = el('section', {}, el('h2', {}, seedsOnly ? `Seeds · ${runs.length} runs` : `Sweep · ${runs.length} points`));
    // attached before the charts are made, so they measure their real width
    app.append(section);
    const metrics: [SweepMetric, string][] = [
        ['mse', 'test MSE'],
        ['relError', 'relative error'],
    ];
    if (runs.some(r => r.metrics.pathWeightError !== undefined)) metrics.push(['pathWeightError', 'mean |E − 1|']);
    const quotient = runs.some(r => r.metrics.memorisationQuotient !== undefined);
    // a sweep over pool: the quotient against the pool size (above 1: better on the matrices it saw)
    if (quotient) metrics.push(['memorisationQuotient', 'fresh/pool mse']);
    const grid = el('div', { class: 'grid' });
    if (!seedsOnly) section.append(grid);
    // a sweep with seeds: each point's median with its min-max band over the seeds
    const groups = result.seedGroups?.length ? result.seedGroups : undefined;
    // against size when swept, else the first parameter that is not sparsity (the explorer has every other)
    const axes = sweepParameters(runs);
    const xAxis = axes.includes('size') ? 'size' : (axes.find(a => a !== 'sparsity') ?? axes[0]);
    for (const [metric, label] of seedsOnly || !xAxis ? [] : metrics) {
        const title = groups ? `${label} across the sweep: median and min–max over seeds` : `${label} across the sweep`;
        const card = chartCard(label.replace(/ /g, '-'), title);
        grid.append(card.root);
        const options = { theme, title: '', size: sizeIn(card.box, 220, 160) };
        const spec = groups
            ? seedBandsAgainstParameterFigure(groups, xAxis, metric, options)
            : errorAgainstParameterFigure(runs, xAxis, metric, options);
        if (!spec) {
            card.root.remove();
            continue;
        }
        const view = drawFigure(card.box, spec, title);
        charts.add(view);
        card.bind(view);
    }
    if (keys.length === 2 && !groups) sweepGrid(section, theme, result, keys as [string, string]);
    if (!seedsOnly) sweepExplorer(section, theme, runs, (name, title) => chartCard(name, title), tracker);
    const threshold = thresholdOf(result);
    const rows = table(
        [
            ...keys,
            'MSE',
            'max |error|',
            'relative error',
            'mean |E − 1|',
            ...(quotient ? ['fresh/pool'] : []),
            'stopped',
            'convergence',
            `steps ${stepsToHeader(threshold)}`,
            'steps/s',
        ],
        runs.map(r => [
            ...keys.map(k => formatSweepValue((r.params as Record<string, number | string>)[k])),
            fmt(r.metrics.mse),
            fmt(r.metrics.maxAbsError),
            fmt(r.metrics.relError),
            fmt(r.metrics.pathWeightError),
            ...(quotient ? [quotientText(r.metrics.memorisationQuotient)] : []),
            r.stopped,
            r.convergence ?? '–',
            stepsToText(r, threshold),
            fmt(r.stepsPerSecond),
        ]),
    );
    // a row selects the point whose loss curve and weights are shown below
    rows.querySelectorAll('tbody tr').forEach((tr, i) => {
        tr.classList.add('clickable');
        if (i === selectedPoint) tr.classList.add('selected');
        tr.setAttribute('tabindex', '0');
        const select = () => {
            selectedPoint = i;
            render();
        };
        tr.addEventListener('click', select);
        tr.addEventListener('keydown', e => {
            if ((e as KeyboardEvent).key === 'Enter') select();
        });
    });
    section.append(
        el(
            'p',
            { class: 'meta' },
            seedsOnly
                ? 'Select a row to see that seed’s loss curve over the band, and its weights.'
                : 'Select a row to see that point’s loss curve and weights.',
        ),
        rows,
    );
    return section;
}

/**
 * Two sweep axes: test MSE per point as a grid (log colour scale, viridis: dark = low error), its value and its
 * convergence verdict's mark in each cell, and for power × masking the litmus line the CLI prints.
 */
function sweepGrid(section: HTMLElement, theme: FigureTheme, result: ExperimentResult, keys: [string, string]): void {
    const runs = result.runs!;
    // the grid the CLI prints: the first parameter down, the second across
    const title = `test MSE over ${keys[0]} × ${keys[1]}`;
    const spec = sweepGridFigure(runs, keys, 'mse', { theme, title: '' });
    if (!spec) return;
    const card = chartCard('sweep-grid', title, true);
    section.append(card.root);
    const view = drawFigure(card.box, spec, title);
    charts.add(view);
    card.bind(view);
    const grid = sweepGridOf(result, thresholdOf(result));
    const litmus = grid && litmusSummary(grid, thresholdOf(result));
    if (grid?.cells.flat().some(c => c?.convergence)) card.root.append(el('p', { class: 'meta' }, VERDICT_LEGEND));
    if (litmus) card.root.append(el('p', { class: 'meta litmus' }, litmus));
}

/** A titled chart with a "Save PNG" button. */
function chartCard(name: string, title: string, heat = false): Card {
    return makeCard(post, name, title, heat);
}

/** The loss curve, which progress messages extend while a run trains (drawn over the latest result's until it ends). */
function lossCard(theme: FigureTheme, curve: [number, number][], label: string): HTMLElement {
    const card = chartCard('loss', label);
    app.append(card.root);
    const view = drawFigure(card.box, liveLossFigure(label, curve, { theme, size: sizeIn(card.box, 240, 40) }), label);
    charts.add(view);
    card.bind(view);
    liveLoss = { view, lastStep: curve.length ? curve[curve.length - 1][0] : -1 };
    return card.root;
}

/** The loss over seeds: the median line over the min-max band, and one run's own curve dashed. */
function bandCard(
    theme: FigureTheme,
    band: [number, number, number, number][],
    title: string,
    run: { label: string; curve: [number, number][] },
): void {
    const card = chartCard('loss-seeds', title);
    app.append(card.root);
    const spec = lossFigure([{ ...run, dashed: true }], [{ label: 'seeds', band }], { theme, size: sizeIn(card.box, 240) });
    // the band's size, for readers (and tests) that cannot see the canvas
    const view = drawFigure(card.box, spec, title, { 'data-band-steps': String(band.length) });
    charts.add(view);
    card.bind(view);
}

function weightsSection(theme: FigureTheme, result: ExperimentResult, point: PointResult | undefined): HTMLElement {
    const weights: WeightTensor[] = (point ? point.weights : result.weights) ?? [];
    const path = point ? point.pathWeights : result.pathWeights;
    const section = el('section', {}, el('h2', {}, point ? `Weights · ${formatPoint(point.params)}` : 'Weights'));
    if (!weights.length && !path) {
        section.append(el('p', { class: 'status' }, 'These results hold no weights.'));
        return section;
    }
    section.append(
        el(
            'p',
            { class: 'meta' },
            'Every weight the network uses, with masks and pruning applied (pruned edges are 0). Blue positive, red negative.',
        ),
    );
    app.append(section);
    const target = result.pathWeightTarget ?? 1;
    if (path) {
        addHeatmap(
            section,
            theme,
            path,
            `E: effective path weights as |E − ${fmt(target)}| (the network computes the target exactly when E is ${fmt(target)} everywhere)`,
            { kind: 'pathError', target },
            { x: 'input j', y: 'output i' },
        );
    }
    clusterSection(section, theme, weights, path, chartCard, tracker, target);
    section.append(el('h2', {}, 'Every weight tensor'));
    for (const t of weights) addHeatmap(section, theme, t, `${t.name} [${t.shape.join(' × ')}]`, { kind: 'weights' });
    return section;
}

function addHeatmap(
    section: HTMLElement,
    theme: FigureTheme,
    t: WeightTensor,
    title: string,
    scale: HeatScale,
    axes?: { x: string; y: string },
): void {
    const { rows, cols } = matrixOf(t);
    if (rows * cols > MAX_CELLS) {
        section.append(el('p', { class: 'status' }, `${title}: ${rows * cols} values, too many to draw; export the weights instead.`));
        return;
    }
    const card = chartCard(t.name, title, true);
    section.append(card.root);
    const h = heatmap(card.box, theme, t, scale, title, axes);
    charts.add(h.view);
    card.bind(h.view);
    card.root.append(h.legend);
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

/** Appends a live progress point; a new sweep point restarts the live line. */
function appendLoss(live: { view: View; lastStep: number }, step: number, loss: number): void {
    const changes = live.view.changeset().insert([{ step, loss: Math.max(loss, 1e-16) }]);
    if (step <= live.lastStep) changes.remove(() => true);
    live.lastStep = step;
    void live.view.change(LIVE_LOSS_DATA, changes).runAsync();
}

post({ type: 'ready' });
