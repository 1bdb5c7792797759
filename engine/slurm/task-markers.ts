// Per-point marker lines an array task writes to its log (started, ended, skipped), and reading them back for the sweep's status.
import { readFileSync } from 'node:fs';

/*
 * A task trains several points; squeue only says the task runs. Its log says which point: each point gets a line
 * when it starts and when its file is written (or when it is skipped because a file of this plan is there). A point
 * whose last marker is `started` in the log of a task that has ended was lost with the task (node failure, SIGKILL).
 */

const PREFIX = 'emn-task: point ';

export type PointMarker = 'started' | 'ended' | 'skipped';

export function markerLine(point: number, marker: PointMarker): string {
    return `${PREFIX}${point} ${marker}${marker === 'skipped' ? ' (its point file of this plan is there)' : ''}`;
}

/** The last marker of each point in a task's log text (a requeued task appends a second round). */
export function parseMarkers(text: string): Map<number, PointMarker> {
    const markers = new Map<number, PointMarker>();
    for (const line of text.split('\n')) {
        if (!line.startsWith(PREFIX)) continue;
        const m = /^(\d+) (started|ended|skipped)\b/.exec(line.slice(PREFIX.length));
        if (m) markers.set(Number(m[1]), m[2] as PointMarker);
    }
    return markers;
}

/** The markers of the log at `path`, and its last line that names an error (empty map, '' without a log). */
export function readTaskLog(path: string): { exists: boolean; markers: Map<number, PointMarker>; errorLine: string } {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch {
        return { exists: false, markers: new Map(), errorLine: '' };
    }
    const errorLine =
        text
            .split('\n')
            .map(l => l.trim())
            .filter(l => !l.startsWith(PREFIX) && /error|cancel|time limit|killed|oom|sigterm|due to/i.test(l))
            .pop() ?? '';
    return { exists: true, markers: parseMarkers(text), errorLine: errorLine.slice(0, 300) };
}
