// The spread over seeds: runs that differ only in their seed, as median, min and max of each metric and of the loss curve.
import { ERROR_METRICS, type ErrorMetrics, type ExperimentResult, type PointResult, type SweepParams } from './result-types.js';

export interface Spread {
    median: number;
    min: number;
    max: number;
}

/** One setting trained with several seeds. */
export interface SeedGroup {
    /** The sweep values without the seed ({} without a sweep). */
    params: SweepParams;
    seeds: number[];
    /** Indices into the result's `runs`. */
    runs: number[];
    metrics: Partial<Record<keyof ErrorMetrics, Spread>>;
    /** Runs that diverged (absent when none): their metrics are NaN, so medians, min, max and the band are over the others. */
    diverged?: number;
    /** Runs that stopped on `stop when mse < target` (absent without a stop rule). */
    reachedTarget?: number;
    target?: number;
    /**
     * The loss curve over seeds: [step, median, min, max] to the last logged step (diverged runs left out; a stopped run keeps its final
     * loss).
     */
    lossBand: [number, number, number, number][];
}

export function spreadOf(values: number[]): Spread | undefined {
    // a diverged seed's NaN is not a number to take a median of; it counts as missing
    const v = values.filter(Number.isFinite).sort((a, b) => a - b);
    if (v.length === 0) return undefined;
    const mid = v.length >> 1;
    const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    return { median, min: v[0], max: v[v.length - 1] };
}

/**
 * The seed groups of a result: its runs grouped by every sweep value but `seed`. Only groups of more than one run
 * (a setting trained with several seeds); none when the result has no runs or no run has a seed in its params.
 */
export function seedGroups(result: Pick<ExperimentResult, 'runs'>, target?: number): SeedGroup[] {
    const runs = result.runs ?? [];
    const byKey = new Map<string, { params: SweepParams; idx: number[] }>();
    runs.forEach((r, k) => {
        if (r.params.seed === undefined) return;
        const { seed: _seed, ...rest } = r.params;
        void _seed;
        const key = JSON.stringify(Object.entries(rest).sort());
        const g = byKey.get(key) ?? { params: rest, idx: [] as number[] };
        g.idx.push(k);
        byKey.set(key, g);
    });
    const groups: SeedGroup[] = [];
    for (const { params, idx } of byKey.values()) {
        if (idx.length < 2) continue;
        const members = idx.map(k => runs[k]);
        const metrics: SeedGroup['metrics'] = {};
        for (const m of ERROR_METRICS) {
            const s = spreadOf(members.map(r => r.metrics[m]).filter((x): x is number => x !== undefined));
            if (s) metrics[m] = s;
        }
        const diverged = members.filter(r => r.stopped === 'diverged').length;
        groups.push({
            params,
            seeds: members.map(r => r.params.seed as number),
            runs: idx,
            metrics,
            ...(diverged > 0 ? { diverged } : {}),
            ...(target !== undefined ? { target, reachedTarget: members.filter(r => r.stopped === 'target').length } : {}),
            lossBand: lossBand(members),
        });
    }
    return groups;
}

/** The seed groups of a result whose every run belongs to one (`seeds N`); none for a plain run or sweep. */
export function seedGroupsOf(r: Pick<ExperimentResult, 'runs' | 'seedGroups'>): SeedGroup[] {
    const groups = r.seedGroups ?? [];
    return groups.length > 0 && groups.reduce((n, g) => n + g.runs.length, 0) === (r.runs?.length ?? 0) ? groups : [];
}

/**
 * Median, min and max of the loss at every step some non-diverged run logged, to the last one: a run's loss at a step
 * is its latest logged value (curves are thinned to different steps), and a run that stopped early keeps its final
 * loss, so the band does not end at the fastest seed.
 */
function lossBand(runs: PointResult[]): SeedGroup['lossBand'] {
    const curves = runs
        .filter(r => r.stopped !== 'diverged' && r.lossCurve.length > 0)
        .map(r => [...r.lossCurve].sort((p, q) => p[0] - q[0]));
    const steps = [...new Set(curves.flatMap(c => c.map(([step]) => step)))].sort((p, q) => p - q);
    const next = curves.map(() => 0);
    const band: SeedGroup['lossBand'] = [];
    for (const step of steps) {
        const values: number[] = [];
        curves.forEach((c, k) => {
            while (next[k] < c.length && c[next[k]][0] <= step) next[k]++;
            if (next[k] > 0) values.push(c[next[k] - 1][1]);
        });
        const s = spreadOf(values);
        if (s) band.push([step, s.median, s.min, s.max]);
    }
    return band;
}

/** "median of 10", or "median of 8; 2/10 diverged": over how many runs a seed group's medians are taken. */
export function medianOf(group: SeedGroup): string {
    const n = group.runs.length;
    const diverged = group.diverged ?? 0;
    return diverged > 0 ? `median of ${n - diverged}; ${diverged}/${n} diverged` : `median of ${n}`;
}

/** "2.1e-9 (median of 10; 8/10 < 1e-6)": a metric of a seed group, as the lens and the CLI say it. */
export function describeSpread(group: SeedGroup, metric: keyof ErrorMetrics, fmt: (x: number) => string): string | undefined {
    const s = group.metrics[metric];
    if (!s) return undefined;
    const reached = group.target !== undefined ? `; ${group.reachedTarget}/${group.runs.length} < ${fmt(group.target)}` : '';
    return `${fmt(s.median)} (${medianOf(group)}${reached})`;
}
