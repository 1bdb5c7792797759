// Compares two runs: the settings that differ, metrics side by side, and for networks of one shape the difference of E and of each layer's
// weights.
import { ERROR_METRICS, type ExperimentResult, type PointResult, type WeightTensor } from './result-types.js';
import { settingChanges, type RunSettings, type SettingChange } from './run-settings.js';
import { seedGroupsOf } from './seed-spread.js';
import { plural } from '../format-numbers.js';
import { firstSetLabel, metricLabel } from '../metric-labels.js';

/** One side of a comparison: a run and what it was trained with. */
export interface ComparedRun {
    /** "Paper@3" or "Paper (latest result)", with the spec file when the two sides come from different files. */
    label: string;
    specFile: string;
    experiment: string;
    /** The history run number; absent for the experiment's result file without a matching history run. */
    run?: number;
    settings: RunSettings;
    /** Why the settings may not be exactly the run's (the result is of another version of the spec). */
    settingsNote?: string;
    result: ExperimentResult;
}

export interface MetricRow {
    /** What is compared: a metric's key ('mse', 'maxAbsError'), 'mse on W', 'mse median' (over seeds), 'steps'... */
    metric: string;
    /** The metric as tables head it (metric-labels.ts): 'test mse', 'max |err|, median of 10 seeds'. */
    label: string;
    /** null: measured but not a number to show (the memorisation quotient at the float floor). */
    a?: number | null;
    b?: number | null;
    /** b / a where both are positive numbers. */
    ratio?: number;
}

/** The difference B - A of one tensor of the same name and shape on both sides. */
export interface TensorDifference {
    name: string;
    shape: number[];
    maxAbs: number;
    meanAbs: number;
    /** ||B - A|| / ||A|| (Frobenius); Infinity when A is all zeros and B is not. */
    relative: number;
    /** B - A, for heatmaps. */
    difference: WeightTensor;
}

export interface RunComparison {
    a: Omit<ComparedRun, 'result'> & { finishedAt: string; backend: string; planHash: string };
    b: Omit<ComparedRun, 'result'> & { finishedAt: string; backend: string; planHash: string };
    samePlan: boolean;
    settings: SettingChange[];
    metrics: MetricRow[];
    /** Sweeps: each point both sides have (same sweep values), test mse side by side. */
    points: { point: string; a: number; b: number }[];
    /** What the points' numbers are: 'test mse', or 'mse on W' for a spec evaluated only on W. */
    pointsMetric: string;
    /** Why points are missing from `points`: grids that overlap in part or not at all, or a sweep against a single run. */
    pointsNote?: string;
    /** Same-shape networks only; empty (and `weightsNote` says why) otherwise. */
    weights: TensorDifference[];
    pathWeights?: TensorDifference;
    weightsNote?: string;
    /** Loss curves, for plots: [step, loss] (a seeded setting: the median over its seeds; a sweep: none). */
    lossCurves: { a: [number, number][]; b: [number, number][] };
}

function pointKey(p: PointResult['params']): string {
    return Object.entries(p)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
}

function tensorDifference(a: WeightTensor, b: WeightTensor): TensorDifference | undefined {
    if (a.shape.join('x') !== b.shape.join('x') || a.values.length !== b.values.length) return undefined;
    let maxAbs = 0,
        sumAbs = 0,
        sq = 0,
        sqA = 0;
    const values = b.values.map((v, k) => {
        const d = v - a.values[k];
        maxAbs = Math.max(maxAbs, Math.abs(d));
        sumAbs += Math.abs(d);
        sq += d * d;
        sqA += a.values[k] * a.values[k];
        return d;
    });
    const relative = sqA > 0 ? Math.sqrt(sq / sqA) : sq > 0 ? Infinity : 0;
    return {
        name: a.name,
        shape: [...a.shape],
        maxAbs,
        meanAbs: values.length ? sumAbs / values.length : 0,
        relative,
        difference: { name: `${a.name} (B - A)`, shape: [...a.shape], values },
    };
}

/** Every weight and path weight is a finite number (a diverged run's are not). */
function finiteWeights(r: ExperimentResult): boolean {
    return [...(r.weights ?? []), ...(r.pathWeights ? [r.pathWeights] : [])].every(t => t.values.every(Number.isFinite));
}

/**
 * The metrics side by side. Two runs of `seeds N` (one setting each) lead with the median of every metric over their
 * seeds, then the worst seed's mse (the top-level metrics are the worst seed's): a headline on one unlucky seed misleads.
 */
function metricRows(a: ExperimentResult, b: ExperimentResult): MetricRow[] {
    const rows: MetricRow[] = [];
    const push = (metric: string, label: string, x?: number | null, y?: number | null) => {
        if (x === undefined && y === undefined) return;
        const both = typeof x === 'number' && typeof y === 'number' && x > 0 && y >= 0 && Number.isFinite(x) && Number.isFinite(y);
        rows.push({ metric, label, a: x, b: y, ...(both ? { ratio: y / x } : {}) });
    };
    const mseLabel = firstSetLabel(a);
    const label = (m: string) => (m === 'mse' ? mseLabel : metricLabel(m, a.pathWeightTarget ?? b.pathWeightTarget));
    const groupA = a.seedGroups?.length === 1 ? a.seedGroups[0] : undefined;
    const groupB = b.seedGroups?.length === 1 ? b.seedGroups[0] : undefined;
    if (groupA || groupB) {
        const seeds = [groupA, groupB].map(g => g?.runs.length).filter(n => n !== undefined);
        const of = seeds[0] === seeds[1] || seeds.length === 1 ? `median of ${seeds[0]} seeds` : `median of ${seeds.join(' and ')} seeds`;
        for (const m of ERROR_METRICS) push(`${m} median`, `${label(m)}, ${of}`, groupA?.metrics[m]?.median, groupB?.metrics[m]?.median);
        push('mse', `${mseLabel}, worst seed`, a.metrics.mse, b.metrics.mse);
    } else {
        for (const m of ERROR_METRICS) push(m, label(m), a.metrics[m], b.metrics[m]);
    }
    // held-out sets beyond the first (the learned operation's) are matched by name
    for (const e of a.evaluations.slice(1)) push(`mse on ${e.on}`, `mse on ${e.on}`, e.mse, b.evaluations.find(f => f.on === e.on)?.mse);
    push('steps', 'steps', a.steps, b.steps);
    push('wall seconds', 'wall seconds', a.wallMs / 1000, b.wallMs / 1000);
    return rows;
}

/** The sweep points of both sides, matched by all their sweep values, and why others are not compared. */
function matchedPoints(ra: ExperimentResult, rb: ExperimentResult): { points: RunComparison['points']; note?: string } {
    if (!ra.runs && !rb.runs) return { points: [] };
    if (!ra.runs || !rb.runs) {
        const [sweep, single] = ra.runs ? ['A', 'B'] : ['B', 'A'];
        return {
            points: [],
            note: `${sweep} is a sweep of ${plural((ra.runs ?? rb.runs)!.length, 'point')}, ${single} a single run: no per-point table`,
        };
    }
    const byKey = new Map(rb.runs.map(p => [pointKey(p.params), p]));
    const points: RunComparison['points'] = [];
    const onlyA: string[] = [];
    for (const p of ra.runs) {
        const q = byKey.get(pointKey(p.params));
        if (q) points.push({ point: pointKey(p.params) || '(no sweep values)', a: p.metrics.mse, b: q.metrics.mse });
        else onlyA.push(pointKey(p.params));
    }
    const inA = new Set(ra.runs.map(p => pointKey(p.params)));
    const onlyB = rb.runs.map(p => pointKey(p.params)).filter(k => !inA.has(k));
    if (onlyA.length === 0 && onlyB.length === 0) return { points };
    if (points.length === 0) {
        const swept = (r: ExperimentResult) => [...new Set(r.runs!.flatMap(p => Object.keys(p.params)))].join(', ') || 'nothing';
        return {
            points,
            note: `no point in both grids: A sweeps ${swept(ra)}, B sweeps ${swept(rb)} (points match by all their sweep values)`,
        };
    }
    const list = (keys: string[]) => (keys.length > 4 ? `${keys.slice(0, 4).join('; ')} and ${keys.length - 4} more` : keys.join('; '));
    const parts = [
        `${plural(points.length, 'point')} in both grids`,
        ...(onlyA.length ? [`only in A: ${list(onlyA)}`] : []),
        ...(onlyB.length ? [`only in B: ${list(onlyB)}`] : []),
    ];
    return { points, note: parts.join('; ') };
}

/** Compares run B with run A (differences are B - A). */
export function compareRuns(a: ComparedRun, b: ComparedRun): RunComparison {
    const side = (r: ComparedRun) => {
        const { result, ...rest } = r;
        return { ...rest, finishedAt: result.finishedAt, backend: result.backend, planHash: result.planHash };
    };
    const ra = a.result,
        rb = b.result;
    const { points, note: pointsNote } = matchedPoints(ra, rb);
    const weights: TensorDifference[] = [];
    let weightsNote: string | undefined;
    let pathWeights: TensorDifference | undefined;
    const notFinite = [finiteWeights(ra) ? '' : 'A', finiteWeights(rb) ? '' : 'B'].filter(Boolean);
    if (!ra.weights || !rb.weights) {
        weightsNote =
            ra.runs || rb.runs
                ? 'sweeps keep weights per point: compare two single runs (or one point each) for weights'
                : 'a side has no weights (diverged, or trained by an older version)';
    } else if (notFinite.length > 0) {
        // a diverged run keeps its last weights, NaN or infinite: a difference with them is not a number either
        weightsNote = `the weights of ${notFinite.join(' and ')} are not all finite (a diverged run): no weight difference`;
    } else {
        const byName = new Map(rb.weights.map(t => [t.name, t]));
        const mismatched: string[] = [];
        for (const t of ra.weights) {
            const u = byName.get(t.name);
            const d = u && tensorDifference(t, u);
            if (d) weights.push(d);
            else mismatched.push(u ? `${t.name} ${t.shape.join('x')} vs ${u.shape.join('x')}` : `${t.name} only in A`);
        }
        for (const u of rb.weights) if (!ra.weights.some(t => t.name === u.name)) mismatched.push(`${u.name} only in B`);
        if (mismatched.length > 0) {
            weights.length = 0;
            weightsNote = `the networks differ in shape (${mismatched.join('; ')}): no weight difference`;
        }
        if (ra.pathWeights && rb.pathWeights && mismatched.length === 0) pathWeights = tensorDifference(ra.pathWeights, rb.pathWeights);
    }
    return {
        a: side(a),
        b: side(b),
        samePlan: ra.planHash === rb.planHash,
        settings: settingChanges(a.settings, b.settings),
        metrics: metricRows(ra, rb),
        points,
        pointsMetric: firstSetLabel(ra),
        ...(pointsNote ? { pointsNote } : {}),
        weights,
        ...(pathWeights ? { pathWeights } : {}),
        ...(weightsNote ? { weightsNote } : {}),
        lossCurves: { a: comparableLoss(ra), b: comparableLoss(rb) },
    };
}

/** The loss curve that stands for a result: its own, a seeded setting's median over its seeds, or none (a sweep). */
function comparableLoss(r: ExperimentResult): [number, number][] {
    if (r.lossCurve?.length) return r.lossCurve;
    const groups = seedGroupsOf(r);
    if (groups.length === 1) return groups[0].lossBand.map(([step, median]) => [step, median]);
    return [];
}
