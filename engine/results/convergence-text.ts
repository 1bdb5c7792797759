// How convergence verdicts and steps-to-threshold read in tables, lenses, hovers and views (pure: the webview uses it too).
import { num } from '../format-numbers.js';
import { CONVERGENCE_RULE, stepsToThreshold } from '../training/convergence.js';
import type { ExperimentResult, PointResult } from './result-types.js';

type Judged = Pick<PointResult, 'convergence' | 'convergenceInfo' | 'stepsBelow'>;

/** The threshold a result's verdicts and steps-to-threshold use: the stop rule's, else the documented default. */
export function thresholdOf(r: Pick<ExperimentResult, 'convergenceThreshold'>): number {
    return r.convergenceThreshold ?? CONVERGENCE_RULE.defaultThreshold;
}

/** One sentence for a run: "floor: the loss stopped falling at 4.01", "improving: still falling, 0.3 decades per doubling". */
export function convergenceSentence(p: Judged): string | undefined {
    const info = p.convergenceInfo;
    switch (p.convergence) {
        case 'floor':
            return `floor: the loss stopped falling${info ? ` at ${num(info.lastLoss)}` : ''}`;
        case 'improving':
            return `improving: still falling${info ? `, ${num(info.gainPerDoubling)} decades per doubling of the steps` : ''}`;
        case 'too-short':
            return 'too short: too few loss readings to say whether it converged';
        case 'target':
            return info ? `target: the loss ended at ${num(info.lastLoss)}, below the threshold` : undefined;
        default:
            return undefined;
    }
}

/** The step the training loss first fell below the threshold's decade, as a table cell ('-' if it never did). */
export function stepsToText(p: Judged, threshold: number): string {
    const step = stepsToThreshold(p.stepsBelow, threshold);
    return step === undefined ? '-' : String(step);
}

/** "to < 1e-6": the header of a steps-to-threshold column. */
export const stepsToHeader = (threshold: number) => `to < ${num(threshold)}`;

/** "3 floor, 6 target": how many points got each verdict (results written before verdicts have none: undefined). */
export function convergenceCounts(runs: readonly Judged[]): string | undefined {
    const counts = new Map<string, number>();
    for (const p of runs) if (p.convergence) counts.set(p.convergence, (counts.get(p.convergence) ?? 0) + 1);
    return counts.size ? [...counts].map(([verdict, count]) => `${count} ${verdict}`).join(', ') : undefined;
}
