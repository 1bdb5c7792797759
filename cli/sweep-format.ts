// Human output of the point commands: one line per trained point, and the done/failed/missing lists of collect and status.
import type { PointsSummary } from '../engine/index.js';
import { formatPointRanges, pointFailure, type PointRecord } from '../engine/index.js';
import { sci } from '../engine/view.js';

function paramsText(params: Record<string, number | string | undefined>): string {
    const parts = Object.entries(params).map(([k, v]) => `${k} ${v}`);
    return parts.length ? ` (${parts.join(', ')})` : '';
}

export function formatPointLine(
    index: number,
    params: Record<string, number | string | undefined>,
    record: PointRecord,
    path: string,
): string {
    const why = pointFailure(record);
    const what =
        why !== undefined
            ? `FAILED: ${why}`
            : `test mse ${sci(record.result!.metrics.mse)}, ${record.result!.stopped === 'target' ? 'reached the target' : `${record.result!.steps} steps`}`;
    return `point ${index}${paramsText(params)}: ${what}; saved ${path}`;
}

/** The lines that name what is not done: failed, diverged, refused and missing points with their reasons. */
export function formatProblems(s: PointsSummary): string[] {
    const out: string[] = [];
    for (const p of s.failed) out.push(`  point ${p.index} failed: ${p.reason}`);
    for (const p of s.diverged) out.push(`  point ${p.index} failed: ${p.reason}`);
    for (const p of s.refused) out.push(`  point ${p.index} refused: ${p.reason}`);
    if (s.missing.length) out.push(`  missing point${s.missing.length === 1 ? '' : 's'}: ${formatPointRanges(s.missing)}`);
    return out;
}
