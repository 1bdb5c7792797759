// Which figures a report has: from a result (loss, each swept parameter, the grid, E, every layer, a row cluster) or a comparison.
import { sanitizeName } from '../engine/index.js';
import {
    compareLossFigure,
    comparePointsFigure,
    differenceFigures,
    errorAgainstEvaluationSizeFigure,
    errorAgainstParameterFigure,
    firstLayer,
    formatPoint,
    learnedMapFigure,
    lossFigure,
    MAX_HEATMAP_CELLS,
    matrixOf,
    PATH_WEIGHT_AXES,
    rowClusterFigure,
    seedBandsAgainstParameterFigure,
    sizeSeries,
    sweepGridFigure,
    sweepParameters,
    tensorHeatmapFigure,
    type ExperimentResult,
    type FigureSpec,
    type LossBand,
    type LossSeries,
    type RunComparison,
} from '../engine/view.js';

/** One figure of a report: its file name without extension (base-what), its title in the Markdown, its spec. */
export interface NamedFigure {
    name: string;
    title: string;
    spec: FigureSpec;
}

/** A sweep's learned-map figures beyond this many are left to the results file (its table lists every point). */
const MAX_MAP_FIGURES = 12;

const fileName = (base: string, what: string) => `${base}-${sanitizeName(what).replace(/[^\w.-]+/g, '-')}`;

/** The loss curves of a result: each point not in a seed group as a line, each seed group as its median over a band. */
function lossOf(r: ExperimentResult): { series: LossSeries[]; bands: LossBand[] } {
    const inGroup = new Set((r.seedGroups ?? []).flatMap(g => g.runs));
    const series: LossSeries[] = r.runs
        ? r.runs.flatMap((p, k) =>
              inGroup.has(k) ? [] : [{ label: formatPoint(p.params) || `point ${k}`, curve: p.lossCurve, params: p.params }],
          )
        : [{ label: r.experiment, curve: r.lossCurve ?? [] }];
    const bands = (r.seedGroups ?? []).map(g => ({ label: formatPoint(g.params) || `${g.runs.length} seeds`, band: g.lossBand }));
    return { series, bands };
}

export function resultFigures(r: ExperimentResult, base: string): NamedFigure[] {
    const out: NamedFigure[] = [];
    const { series, bands } = lossOf(r);
    const seeds = bands.length > 0 ? ` over ${r.seedGroups![0].runs.length} seeds (median line, min–max band)` : '';
    out.push({ name: `${base}-loss`, title: `Training loss${seeds}`, spec: lossFigure(series, bands) });
    const runs = r.runs ?? [];
    const keys = sweepParameters(runs);
    const groups = r.seedGroups?.length ? r.seedGroups : undefined;
    for (const x of keys) {
        const spec = groups ? seedBandsAgainstParameterFigure(groups, x, 'mse') : errorAgainstParameterFigure(runs, x, 'mse');
        if (spec) out.push({ name: fileName(base, `mse-vs-${x}`), title: `Test mse against ${x}`, spec });
        // a sweep over pool: the memorisation quotient against the pool size (above 1: better on the matrices it saw)
        const quotient = x === 'pool' && !groups ? errorAgainstParameterFigure(runs, x, 'memorisationQuotient') : undefined;
        if (quotient)
            out.push({
                name: fileName(base, 'quotient-vs-pool'),
                title: 'Memorisation quotient (fresh/pool mse) against pool size',
                spec: quotient,
            });
    }
    // shared weights evaluated at other sizes: relative error against n, log-log
    const sized = sizeSeries(r.evaluations, r.trainingSize);
    if (sized.length > 0) {
        const rows = sized.flatMap(s => s.points.map(([n, relError]) => ({ n, relError, series: s.label })));
        out.push({
            name: `${base}-sizes`,
            title: `Relative error against evaluation size (trained at n = ${r.trainingSize})`,
            spec: errorAgainstEvaluationSizeFigure(rows, r.trainingSize!),
        });
    }
    // a linear network on one fixed A: its learned map's singular values beside the target's, per point (at most a dozen)
    const maps = r.runs
        ? r.runs.flatMap((p, k) => (p.learnedMap ? [{ lm: p.learnedMap, k, params: p.params }] : []))
        : r.learnedMap
          ? [{ lm: r.learnedMap, k: 0, params: undefined }]
          : [];
    for (const { lm, k, params } of maps.slice(0, MAX_MAP_FIGURES)) {
        const at = params ? ` (point ${k}: ${formatPoint(params)})` : '';
        out.push({
            name: params ? `${base}-sv-${k}` : `${base}-sv`,
            title: `Singular values of the learned map and its target${at}`,
            spec: learnedMapFigure(lm),
        });
    }
    if (keys.length === 2 && !groups) {
        const [a, b] = keys;
        // the grid the CLI prints: the first parameter down, the second across
        const grid = sweepGridFigure(runs, [a, b]);
        if (grid) out.push({ name: `${base}-grid`, title: `Test mse over ${a} × ${b}`, spec: grid });
    }
    // a sweep's weights are per point: those of the worst point (the top-level metrics' own)
    const worst = r.runs ? r.runs[r.worstRun ?? 0] : undefined;
    const which = worst ? ` of the worst point (point ${r.worstRun ?? 0}: ${formatPoint(worst.params)})` : '';
    const short = worst ? `, point ${r.worstRun ?? 0}` : '';
    const path = worst ? worst.pathWeights : r.pathWeights;
    const weights = (worst ? worst.weights : r.weights) ?? [];
    const target = r.pathWeightTarget ?? 1;
    if (path) {
        out.push({
            name: `${base}-E`,
            title: `Path weights E${which}`,
            spec: tensorHeatmapFigure(
                path,
                { kind: 'pathError', target },
                { title: `E [${path.shape.join(' × ')}]${short}`, axes: PATH_WEIGHT_AXES },
            ),
        });
    }
    for (const t of weights) {
        const { rows, cols } = matrixOf(t);
        if (rows * cols > MAX_HEATMAP_CELLS) continue;
        out.push({
            name: fileName(base, `weights-${t.name}`),
            title: `Weights ${t.name}${which}`,
            spec: tensorHeatmapFigure(t, { kind: 'weights' }, { title: `${t.name} [${t.shape.join(' × ')}]${short}` }),
        });
    }
    const w1 = firstLayer(weights);
    if (w1) out.push({ name: `${base}-cluster-0`, title: `Row cluster 0${which}`, spec: rowClusterFigure(w1, path, 0, target) });
    return out;
}

export function comparisonFigures(c: RunComparison, base: string): NamedFigure[] {
    const out: NamedFigure[] = [];
    const loss = compareLossFigure(c);
    if (loss) out.push({ name: `${base}-loss`, title: 'Training loss: A and B', spec: loss });
    const points = comparePointsFigure(c);
    if (points) out.push({ name: `${base}-points`, title: 'Test mse of each sweep point', spec: points });
    for (const d of differenceFigures(c)) {
        out.push({ name: fileName(base, `${d.name}-difference`), title: `${d.name} difference B − A`, spec: d.spec });
    }
    return out;
}
