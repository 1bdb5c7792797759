// The results view's header (experiment, badges, what ran and how it ended) and its toolbar (train, cancel, export).
import { convergenceSentence, type ExperimentResult } from '../../../engine/view.js';
import type { FromWebviewMessage } from '../messages.js';
import { button, el, fmt } from './dom.js';

const STOPPED: Record<string, string> = {
    steps: '',
    target: ' (reached the target mse)',
    diverged: ' (diverged)',
    cancelled: ' (cancelled)',
};

/** Toggles the stale badge in place: the charts (and a live loss curve) stay as they are. */
export function showStale(app: HTMLElement, stale: boolean): void {
    const title = app.querySelector('header h1');
    if (!title) return;
    title.querySelector('.badge.stale')?.remove();
    if (stale) title.append(staleBadge());
}

function staleBadge(): HTMLElement {
    return el('span', { class: 'badge warning stale', title: 'The spec changed since these results were made' }, 'stale');
}

export function header(experiment: string, result: ExperimentResult | undefined, stale: boolean, training: boolean): HTMLElement {
    const title = el(
        'h1',
        {},
        experiment,
        stale ? staleBadge() : undefined,
        training ? el('span', { class: 'badge' }, 'training') : undefined,
    );
    if (!result) return el('header', {}, title);
    const stopped = STOPPED[result.stopped] ?? '';
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

/** Train or Cancel (in a trusted workspace), and the weights' export for the point on show. */
export function toolbar(
    post: (message: FromWebviewMessage) => void,
    result: ExperimentResult | undefined,
    state: { trusted: boolean; training: boolean; selectedPoint: number },
): HTMLElement {
    const bar = el('div', { class: 'toolbar' });
    if (state.trusted) {
        bar.append(
            state.training
                ? button('Cancel', () => post({ type: 'cancel' }), true)
                : button(result ? 'Train again' : 'Train', () => post({ type: 'train' })),
        );
    }
    if (result && hasWeights(result, state.selectedPoint)) {
        const point = result.runs?.length ? state.selectedPoint : undefined;
        bar.append(
            button('Export weights (JSON)', () => post({ type: 'exportWeights', format: 'json', point }), true),
            button('Export weights (CSV)', () => post({ type: 'exportWeights', format: 'csv', point }), true),
        );
    }
    return bar;
}

function hasWeights(result: ExperimentResult, selectedPoint: number): boolean {
    const p = result.runs?.[selectedPoint];
    return Boolean((p?.weights ?? result.weights)?.length || (p?.pathWeights ?? result.pathWeights));
}
