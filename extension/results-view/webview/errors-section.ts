// The results view's errors: the metric tables (first evaluation set, every evaluation, spread over seeds) and the
// relative error against evaluation size.
import {
    errorAgainstEvaluationSizeFigure,
    formatPoint,
    quotientText,
    sizeSeries,
    type ExperimentResult,
    type PointResult,
} from '../../../engine/view.js';
import { el, fmt, table } from './dom.js';
import { drawFigure, sizeIn } from './figures.js';
import { keepFigure, type SectionContext } from './section-context.js';
import { seedSpreadTable } from './seeds.js';

export function errorTables(result: ExperimentResult): HTMLElement {
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
export function sizeSection(
    context: SectionContext,
    run: { evaluations: ExperimentResult['evaluations']; trainingSize?: number; params?: PointResult['params'] },
): void {
    const series = sizeSeries(run.evaluations, run.trainingSize);
    if (series.length === 0) return;
    const point = run.params && Object.keys(run.params).length > 0 ? ` · ${formatPoint(run.params)}` : '';
    const title = `relative error against evaluation size (trained at n = ${run.trainingSize})${point}`;
    const card = context.card('sizes', title);
    context.app.append(el('h2', {}, 'Evaluation sizes'), card.root);
    const rows = series.flatMap(s => s.points.map(([n, relError]) => ({ n, relError, series: s.label })));
    const spec = errorAgainstEvaluationSizeFigure(rows, run.trainingSize!, {
        theme: context.theme,
        title: '',
        size: sizeIn(card.box, 320, 220),
    });
    keepFigure(context, card, drawFigure(card.box, spec, title));
}
