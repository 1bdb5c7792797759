// The results view's loss curves: the latest one (extended live by progress while a run trains) and the median over
// seeds with its min-max band.
import { LIVE_LOSS_DATA, liveLossFigure, lossFigure } from '../../../engine/view.js';
import { drawFigure, sizeIn, type View } from './figures.js';
import { keepFigure, type SectionContext } from './section-context.js';

/** A loss figure that progress extends, and the last step it drew (a lower one starts the next sweep point). */
export interface LiveLoss {
    view: View;
    lastStep: number;
}

/** The loss curve, which progress messages extend while a run trains (drawn over the latest result's until it ends). */
export function lossCard(context: SectionContext, curve: [number, number][], label: string): { root: HTMLElement; live: LiveLoss } {
    const card = context.card('loss', label);
    context.app.append(card.root);
    const spec = liveLossFigure(label, curve, { theme: context.theme, size: sizeIn(card.box, 240, 40) });
    const view = keepFigure(context, card, drawFigure(card.box, spec, label));
    return { root: card.root, live: { view, lastStep: curve.length ? curve[curve.length - 1][0] : -1 } };
}

/** The loss over seeds: the median line over the min-max band, and one run's own curve dashed. */
export function bandCard(
    context: SectionContext,
    band: [number, number, number, number][],
    title: string,
    run: { label: string; curve: [number, number][] },
): void {
    const card = context.card('loss-seeds', title);
    context.app.append(card.root);
    const spec = lossFigure([{ ...run, dashed: true }], [{ label: 'seeds', band }], { theme: context.theme, size: sizeIn(card.box, 240) });
    // the band's size, for readers (and tests) that cannot see the canvas
    keepFigure(context, card, drawFigure(card.box, spec, title, { 'data-band-steps': String(band.length) }));
}

/** Appends a live progress point; a new sweep point restarts the live line. */
export function appendLoss(live: LiveLoss, step: number, loss: number): void {
    const changes = live.view.changeset().insert([{ step, loss: Math.max(loss, 1e-16) }]);
    if (step <= live.lastStep) changes.remove(() => true);
    live.lastStep = step;
    void live.view.change(LIVE_LOSS_DATA, changes).runAsync();
}
