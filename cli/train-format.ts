// Human output of `emn train`: results tables (the plan: compiler/plan-markdown.ts); numbers and units from format-numbers.ts.
import {
    firstSetLabel,
    formatPoint,
    metricLabel,
    num,
    pathWeightLabel,
    plural,
    pointName,
    quotientText,
    textTable,
} from '../engine/view.js';
import type { ExperimentResult, PointResult, SeedGroup, Spread } from '../engine/view.js';
import { convergenceSentence, stepsToHeader, stepsToText, sweepGridText, thresholdOf } from '../engine/view.js';
import { LEARNED_MAP_COLUMNS, learnedMapLines, learnedMapRows, parameterCountLine } from '../engine/view.js';

function runText(r: { stopped: string; steps: number; divergedAt?: { step: number; loss: number } }): string {
    if (r.stopped === 'diverged' && r.divergedAt) return `diverged at step ${r.divergedAt.step} (loss ${num(r.divergedAt.loss)})`;
    if (r.stopped === 'target') return `reached the target at step ${r.steps}`;
    if (r.stopped === 'cancelled') return `cancelled at step ${r.steps}`;
    return `ran ${plural(r.steps, 'step')}`;
}

/** "min-max" or one number. */
function span(values: number[]): string {
    const lo = Math.min(...values),
        hi = Math.max(...values);
    return lo === hi ? String(lo) : `${lo}-${hi}`;
}

/** "40 steps", "1 step", "20-40 steps" */
function stepsText(values: number[]): string {
    const s = span(values);
    return `${s} ${s === '1' ? 'step' : 'steps'}`;
}

/** A sweep's headline: what the points did, never a sum of their steps. */
function sweepText(r: ExperimentResult & { runs: PointResult[] }): string {
    const total = r.runs.length + (r.notRun?.length ?? 0);
    const groups: string[] = [];
    const of = (stopped: string) => r.runs.filter(p => p.stopped === stopped);
    const target = of('target'),
        steps = of('steps'),
        diverged = of('diverged'),
        cancelled = of('cancelled');
    const at = span(target.map(p => p.steps));
    if (target.length) groups.push(`${target.length} reached the target (at step${at.includes('-') ? 's' : ''} ${at})`);
    if (steps.length) groups.push(`${steps.length} ran ${stepsText(steps.map(p => p.steps))}`);
    if (diverged.length) groups.push(`${diverged.length} diverged`);
    if (cancelled.length) groups.push(`${cancelled.length} cancelled`);
    if (r.notRun?.length) groups.push(`${r.notRun.length} not run`);
    return `${countText(r, total)}: ${groups.join(', ')}`;
}

/** "4 points", "3 seeds" (`seeds 3`), "6 points (2 settings x 3 seeds)" (a sweep with seeds). */
function countText(r: ExperimentResult, total: number): string {
    const settings = r.seedGroups?.length ?? 0;
    if (settings === 0 || r.notRun?.length) return plural(total, 'point');
    if (settings === 1) return plural(total, 'seed');
    const seeds = [...new Set(r.seedGroups!.map(g => g.runs.length))].join('-');
    return `${plural(total, 'point')} (${settings} settings x ${seeds} seeds)`;
}

const spreadText = (s: Spread | undefined) => (s ? `${num(s.median)} [${num(s.min)}, ${num(s.max)}]` : '-');

/** One row per setting trained with several seeds: median [min, max] of each metric, seeds that reached the target. */
function seedTable(groups: SeedGroup[], runs: PointResult[], mseLabel: string, pathWeightTarget?: number): string[] {
    const keys = [...new Set(groups.flatMap(g => Object.keys(g.params)))];
    const target = groups.find(g => g.target !== undefined)?.target;
    const quotient = runs.some(p => p.metrics.memorisationQuotient !== undefined);
    const header = [
        ...keys,
        'seeds',
        `${mseLabel} median [min, max]`,
        `${metricLabel('maxAbsError')} median`,
        `${metricLabel('pathWeightError', pathWeightTarget)} median`,
        ...(quotient ? [`${metricLabel('memorisationQuotient')} median [min, max]`] : []),
        ...(target !== undefined ? [`reached < ${num(target)}`] : []),
    ];
    const rows = groups.map(g => [
        ...keys.map(k => String(g.params[k as keyof typeof g.params] ?? '')),
        String(g.runs.length),
        spreadText(g.metrics.mse),
        num(g.metrics.maxAbsError?.median),
        num(g.metrics.pathWeightError?.median),
        // no spread but quotients measured: every seed was at the float floor
        ...(quotient ? [g.metrics.memorisationQuotient ? spreadText(g.metrics.memorisationQuotient) : quotientText(null)] : []),
        ...(target !== undefined ? [`${g.reachedTarget ?? 0}/${g.runs.length}`] : []),
    ]);
    // the first column is left-aligned: without sweep values, that is the seed count
    return ['  spread over seeds:', ...textTable(header, rows).map(l => '  ' + l)];
}

/** Evaluations at other sizes than the training size: "trained at n = 5 -> evaluated at", relative error per size. */
function sizeTable(r: ExperimentResult): string[] {
    const trained = r.trainingSize;
    const sized = r.evaluations.filter(e => e.size !== undefined);
    if (trained === undefined || !sized.some(e => e.size !== trained)) return [];
    const rows = sized.map(e => [String(e.size), e.on, num(e.relError), num(e.mse), e.size === trained ? 'training size' : '']);
    return [`  trained at n = ${trained} → evaluated at:`, ...textTable(['n', 'on', 'rel err', 'mse', ''], rows).map(l => '    ' + l)];
}

export function formatResult(r: ExperimentResult): string {
    const out: string[] = [];
    const what = r.runs ? sweepText(r as ExperimentResult & { runs: PointResult[] }) : runText(r);
    out.push(`${r.experiment}: ${r.operation} learned by ${r.network} on ${r.backend}, ${what}`);
    const sentence = r.runs ? undefined : convergenceSentence(r);
    if (sentence) out.push(`  ${sentence}`);
    const threshold = thresholdOf(r);
    out.push(`  wall ${(r.wallMs / 1000).toFixed(1)} s, ${Math.round(r.stepsPerSecond)} steps/s`);
    if (r.backendFallbacks?.length) out.push(`  backend fallbacks: ${r.backendFallbacks.join('; ')}`);
    const parameters = parameterCountLine(r);
    if (parameters) out.push(`  ${parameters}`);
    const eLabel = pathWeightLabel(r.pathWeightTarget);
    const mseLabel = firstSetLabel(r);
    if (r.runs) {
        const keys = [...new Set([...r.runs, ...(r.notRun ?? []).map(params => ({ params }))].flatMap(p => Object.keys(p.params)))];
        const first = r.runs.find(p => p.evaluations.length > 0);
        // an evaluation at another size than the point's training size says its n: "mse on Op n=50"
        const evalNames =
            first?.evaluations.slice(1).map(e => (e.size !== undefined && e.size !== first.trainingSize ? `${e.on} n=${e.size}` : e.on)) ??
            [];
        const leak = r.runs.some(p => p.metrics.pathWeightLeak !== undefined);
        const quotient = r.runs.some(p => p.metrics.memorisationQuotient !== undefined);
        // a swept `steps` is a column of its own: the steps a point ran are "ran"; the mse column is of the first evaluation set
        // the verdict and the steps to the threshold close the row: the columns before them keep their places
        const header = [
            'point',
            ...keys,
            'ran',
            'stopped',
            mseLabel,
            ...(['maxAbsError', 'relError', 'pathWeightError'] as const).map(m => metricLabel(m, r.pathWeightTarget)),
            ...(leak ? [metricLabel('pathWeightLeak')] : []),
            ...evalNames.map(n => `mse on ${n}`),
            ...(quotient ? [metricLabel('memorisationQuotient')] : []),
            'convergence',
            stepsToHeader(threshold),
        ];
        const param = (p: { params: PointResult['params'] }, k: string) => String(p.params[k as keyof typeof p.params] ?? '');
        const rows = r.runs.map((p, index) => [
            String(index),
            ...keys.map(k => param(p, k)),
            String(p.steps),
            p.stopped,
            num(p.metrics.mse),
            num(p.metrics.maxAbsError),
            num(p.metrics.relError),
            num(p.metrics.pathWeightError),
            ...(leak ? [num(p.metrics.pathWeightLeak)] : []),
            ...evalNames.map((_, e) => num(p.evaluations[e + 1]?.mse)),
            ...(quotient ? [quotientText(p.metrics.memorisationQuotient)] : []),
            p.convergence ?? '-',
            stepsToText(p, threshold),
        ]);
        // a point not run has no index among the results' runs
        for (const params of r.notRun ?? []) {
            rows.push(['-', ...keys.map(k => param({ params }, k)), '-', 'not run', ...header.slice(keys.length + 3).map(() => '-')]);
        }
        out.push(...textTable(header, rows).map(l => '  ' + l));
        if (r.worstRun !== undefined && r.runs[r.worstRun]) {
            out.push(
                `  worst point (top-level metrics): ${pointName(r.worstRun)} (${formatPoint(r.runs[r.worstRun].params)}), ${mseLabel} ${num(r.metrics.mse)}`,
            );
        }
        if (r.seedGroups?.length) out.push(...seedTable(r.seedGroups, r.runs, mseLabel, r.pathWeightTarget));
        // a two-parameter sweep reads at a glance as a grid (rows: the first parameter)
        out.push(...sweepGridText(r, threshold).map(l => '  ' + l));
        const maps = learnedMapRows(r.runs);
        if (maps.length > 0) {
            out.push('  learned maps M (A fixed, no activation; T is the target, A for matvec):');
            out.push(...textTable(LEARNED_MAP_COLUMNS, maps).map(l => '    ' + l));
        }
    } else if (r.evaluations.length > 0) {
        // a diverged run has nothing evaluated: no table then
        const at = (e: { size?: number }) =>
            e.size !== undefined && r.trainingSize !== undefined && e.size !== r.trainingSize ? ` n=${e.size}` : '';
        const rows = r.evaluations.map(e => [
            e.on + at(e) + (e.note ? ' *' : ''),
            String(e.samples),
            num(e.mse),
            num(e.rmse ?? Math.sqrt(e.mse)),
            num(e.maxAbsError),
            num(e.relError),
        ]);
        const header = ['evaluated on', 'samples', ...(['mse', 'rmse', 'maxAbsError', 'relError'] as const).map(m => metricLabel(m))];
        out.push(...textTable(header, rows).map(l => '  ' + l));
        out.push(...sizeTable(r));
        for (const e of r.evaluations) if (e.note) out.push(`  * ${e.note}`);
        if (r.learnedMap) out.push(...learnedMapLines(r.learnedMap).map(l => '  ' + l));
        if (r.metrics.pathWeightError !== undefined) {
            // a fixed A or a pool: E is averaged over the entries training saw (A's support), not all n²
            const over = r.pathWeightSupport !== undefined ? ` over A's support (${r.pathWeightSupport} entries training saw)` : '';
            out.push(`  path weights: ${eLabel} = ${num(r.metrics.pathWeightError)}${over}`);
        }
        if (r.metrics.pathWeightLeak !== undefined)
            out.push(`  cross-row path weights (dense): mean |E[i][i'][j]| = ${num(r.metrics.pathWeightLeak)}`);
        if (r.metrics.memorisationQuotient !== undefined) {
            out.push(
                `  memorisation quotient: fresh/pool = mse(${r.evaluations[0].on}) / mse(pool) = ${quotientText(r.metrics.memorisationQuotient)}` +
                    (r.metrics.memorisationQuotient === null ? ' (both at the float32 floor, < 1e-12)' : ''),
            );
        }
    }
    return out.join('\n');
}

/** JSON for stdout (`emn train --json`, `emn sweep collect --json`): weights, path weights and loss curves stay in the results file. */
export function resultForStdout(r: ExperimentResult): unknown {
    const { weights: _w, pathWeights: _p, lossCurve: _l, ...rest } = r;
    void _w;
    void _p;
    void _l;
    return {
        ...rest,
        ...(r.runs
            ? {
                  runs: r.runs.map(({ weights: _a, pathWeights: _b, lossCurve: _c, ...p }) => {
                      void _a;
                      void _b;
                      void _c;
                      return p;
                  }),
              }
            : {}),
    };
}
