// Merges a sweep's point files into the experiment's result (the JSON a local sweep writes) and says which points are missing or failed.
import type { ExperimentPlan } from '../compiler/plan-types.js';
import { assembleResult } from './assemble-result.js';
import { type LoadedPoint, pointFailure, type PointRecord } from './point-files.js';
import type { BackendName, ExperimentResult, PointResult } from './result-types.js';

export interface PointProblem {
    index: number;
    reason: string;
}

export interface PointsSummary {
    points: number;
    planHash: string;
    /** Trained to the end (steps or target). */
    done: number[];
    /** Trained but diverged (a result: training it again gives the same numbers). */
    diverged: PointProblem[];
    /** No result: an error, or stopped (scancel, time limit); training again may succeed. */
    failed: PointProblem[];
    /** Trained from another version of the spec, or an unreadable file: not used. */
    refused: PointProblem[];
    /** No point file. */
    missing: number[];
}

/** The points that a resubmission should train: missing, failed without a result, refused. Diverged points stay. */
export function pointsToTrain(s: PointsSummary): number[] {
    return [...s.missing, ...s.failed.map(p => p.index), ...s.refused.map(p => p.index)].sort((a, b) => a - b);
}

export function isComplete(s: PointsSummary): boolean {
    return s.done.length === s.points;
}

export function summarizePoints(plan: ExperimentPlan, loaded: Map<number, LoadedPoint>): PointsSummary {
    const compiled = plan.points;
    const planHash = plan.hash;
    const s: PointsSummary = { points: compiled.length, planHash, done: [], diverged: [], failed: [], refused: [], missing: [] };
    for (let index = 0; index < compiled.length; index++) {
        const file = loaded.get(index);
        const record = file?.record;
        if (!file) s.missing.push(index);
        else if (!record) s.refused.push({ index, reason: file.warning ?? 'unreadable point file' });
        else if (record.planHash !== planHash || record.points !== compiled.length) {
            s.refused.push({
                index,
                reason: `trained from another version of the spec (plan ${record.planHash.slice(0, 12)}, the spec's is ${planHash.slice(0, 12)})`,
            });
        } else {
            const why = pointFailure(record);
            if (why === undefined) s.done.push(index);
            else if (record.result?.stopped === 'diverged') s.diverged.push({ index, reason: why });
            else s.failed.push({ index, reason: why });
        }
    }
    return s;
}

/**
 * The experiment's result from its point files, when every point has a result of this spec's plan (done or diverged):
 * assembled exactly as a local sweep assembles it (runs in point order, the worst point on top). Start and wall time
 * span the earliest start to the latest finish; the backend is the points' (all the same on one cluster).
 */
export function collectPoints(
    plan: ExperimentPlan,
    loaded: Map<number, LoadedPoint>,
): { summary: PointsSummary; result?: ExperimentResult; warnings: string[] } {
    const compiled = plan.points;
    const summary = summarizePoints(plan, loaded);
    const warnings: string[] = [];
    if (summary.done.length + summary.diverged.length !== compiled.length) return { summary, warnings };
    const records: PointRecord[] = compiled.map((_, k) => loaded.get(k)!.record!);
    const runs: PointResult[] = records.map(r => r.result!);
    const backends = [...new Set(records.map(r => r.backend).filter((b): b is BackendName => b !== undefined))];
    if (backends.length > 1)
        warnings.push(`points trained on different backends (${backends.join(', ')}): numbers differ between backends`);
    const start = Math.min(...records.map(r => Date.parse(r.startedAt)));
    const end = Math.max(...records.map(r => Date.parse(r.finishedAt)));
    const result = assembleResult(plan, runs, {
        backend: backends[0] ?? 'cpu',
        fallbacks: records[0].backendFallbacks ?? [],
        startedAt: new Date(start),
        wallMs: Math.max(0, end - start),
    });
    return { summary, result, warnings };
}
