// The results view's run history: kept runs newest first, what changed from the run before, Show, Compare with latest, or pick two.
import type { GetHistoryResponse } from '../../../language-server/protocol.js';
import type { FromWebviewMessage } from '../messages.js';
import { button, el } from './dom.js';
import { plural } from '../../../engine/view.js';

const STOPPED: Record<string, string> = { steps: '', target: 'reached the target', diverged: 'diverged', cancelled: 'cancelled' };

/** `shown`: the run on show (undefined: the latest result). Nothing when no run is kept yet. */
export function historySection(
    history: GetHistoryResponse,
    shown: number | undefined,
    post: (m: FromWebviewMessage) => void,
): HTMLElement | undefined {
    const runs = history.runs;
    if (runs.length === 0 && history.warnings.length === 0) return undefined;
    const latest = runs[0]?.run;
    // what the view shows without a selection: the experiment's result, which is not the newest run when that one failed
    const resultRun = history.resultRun;
    const picked = new Set<number>();
    const compareTwo = button(
        'Compare the two selected',
        () => {
            const [a, b] = [...picked].sort((x, y) => x - y);
            post({ type: 'compare', a, b });
        },
        true,
        'Compare the newer selected run with the older one',
    );
    compareTwo.disabled = true;
    const rows = runs.map(r => {
        const isShown = shown === r.run || (shown === undefined && r.run === resultRun);
        const pick = el('input', { type: 'checkbox', 'aria-label': `select run ${r.run} to compare` });
        pick.addEventListener('change', () => {
            if (pick.checked) picked.add(r.run);
            else picked.delete(r.run);
            compareTwo.disabled = picked.size !== 2;
        });
        const actions = el(
            'div',
            { class: 'actions' },
            isShown
                ? el('span', { class: 'meta' }, 'shown')
                : button('Show', () => post({ type: 'showRun', run: r.run === resultRun ? undefined : r.run }), true),
            r.run !== latest ? button('Compare with latest', () => post({ type: 'compare', a: r.run, b: latest }), true) : undefined,
        );
        const stopped = STOPPED[r.stopped] ?? r.stopped;
        const finished = new Date(r.finishedAt).toLocaleString(undefined, {
            month: 'short',
            day: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
        });
        return el(
            'tr',
            { class: isShown ? 'selected' : '', 'data-run': String(r.run) },
            el('td', {}, pick),
            el(
                'td',
                { class: 'run' },
                `#${r.run}`,
                r.run === latest ? el('span', { class: 'badge' }, 'latest') : undefined,
                el('div', { class: 'meta' }, `${finished} · ${r.backend}`),
                actions,
            ),
            el('td', { class: 'headline' }, r.headline, stopped ? el('span', { class: 'meta' }, ` (${stopped})`) : undefined),
            el(
                'td',
                { class: 'changes' },
                r.changes.length
                    ? r.changes.join(', ')
                    : el('span', { class: 'meta' }, r.run === runs[runs.length - 1].run ? 'oldest kept run' : 'no setting changed'),
            ),
        );
    });
    const table = el(
        'table',
        { class: 'history' },
        el('thead', {}, el('tr', {}, ...['', 'run', 'result', 'changed from the run before'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows),
    );
    return el(
        'section',
        { class: 'history' },
        el('h2', {}, `History · ${plural(runs.length, 'run')}`),
        ...history.warnings.map(w => el('p', { class: 'notice' }, w)),
        table,
        runs.length > 1 ? el('div', { class: 'toolbar' }, compareTwo) : undefined,
    );
}
