// One results file per sweep point trained on its own (a job array task): <experiment>.points/<k>.json beside the experiment's result.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName, PointResult } from './result-types.js';
import {
    decodePoint,
    encodePoint,
    readStoreFile,
    sanitizeName,
    writeAtomically,
    type FileKind,
    type ResultsStore,
} from './results-store.js';

/*
 * Rules (ours):
 * - Each point writes only its own file, to a temporary name renamed over the target, so nodes of an array writing at
 *   the same time (and an editor reading meanwhile) never see half a file, and a point never touches the merged result.
 * - A point file carries the experiment's plan hash at training time: merging refuses points trained from another
 *   version of the spec (edited after submission).
 * - A point that could not train (an error, or killed: SIGTERM from scancel or a time limit) still writes a file with
 *   `failure` (the reason) and no `result`; a diverged point has a result whose `stopped` is 'diverged'.
 */

// version 2 with the results file: params may hold names
const POINT_FILE: FileKind = { format: 'emn-point', version: 2, name: 'point', holds: 'point' };

export interface PointRecord {
    experiment: string;
    /** 0-based index of the point in the compiled sweep, and the number of points. */
    index: number;
    points: number;
    /** experimentPlanHash of the whole sweep when the point trained. */
    planHash: string;
    backend?: BackendName;
    backendFallbacks?: string[];
    startedAt: string;
    finishedAt: string;
    /** Where it ran: host name and, under a scheduler, the array job and task. */
    host?: string;
    job?: string;
    /** The trained point (also a diverged one); absent when it could not train. */
    result?: PointResult;
    /** Why there is no result (an error, or the process was stopped). */
    failure?: string;
}

export interface LoadedPoint {
    path: string;
    record?: PointRecord;
    /** Why the file could not be used (corrupt, foreign, newer format). */
    warning?: string;
}

function pointsFolder(store: ResultsStore, specPath: string, experiment: string): string {
    return join(store.folder(specPath), `${sanitizeName(experiment)}.points`);
}

function pointPath(store: ResultsStore, specPath: string, experiment: string, index: number): string {
    return join(pointsFolder(store, specPath, experiment), `${index}.json`);
}

export function savePoint(store: ResultsStore, specPath: string, record: PointRecord): string {
    const escape = store.escape(specPath);
    if (escape) throw new Error(`refusing to write results: ${escape}`);
    const path = pointPath(store, specPath, record.experiment, record.index);
    const encoded = record.result ? { ...record, result: encodePoint(record.result) } : record;
    writeAtomically(path, JSON.stringify({ format: POINT_FILE.format, version: POINT_FILE.version, point: encoded }));
    return path;
}

/**
 * Point files already read, by path, with the modification time and size they had: a caller that looks again and
 * again (the editor following a Slurm array) re-reads only the files that changed. Files are replaced by rename, so
 * a rewritten point always shows a new time or size.
 */
export type PointFileCache = Map<string, { mtimeMs: number; size: number; loaded: LoadedPoint }>;

function readPointFileCached(path: string, cache: PointFileCache): LoadedPoint {
    let stat;
    try {
        stat = statSync(path);
    } catch {
        return readPointFile(path);
    }
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.loaded;
    const loaded = readPointFile(path);
    cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, loaded });
    return loaded;
}

/** Every point file of an experiment, by index; files that are not point files of this experiment give a warning. */
export function loadPoints(store: ResultsStore, specPath: string, experiment: string, cache?: PointFileCache): Map<number, LoadedPoint> {
    const folder = pointsFolder(store, specPath, experiment);
    const out = new Map<number, LoadedPoint>();
    if (store.escape(specPath)) return out;
    let names: string[];
    try {
        names = readdirSync(folder);
    } catch {
        return out;
    }
    for (const name of names) {
        const m = /^(\d+)\.json$/.exec(name);
        if (!m) continue;
        const index = Number(m[1]);
        const loaded = cache ? readPointFileCached(join(folder, name), cache) : readPointFile(join(folder, name));
        // gone since the listing (a resubmitted task replaces its file by rename): a point not written yet
        if (!loaded.record && !loaded.warning) continue;
        if (loaded.record && (loaded.record.index !== index || loaded.record.experiment !== experiment)) {
            out.set(index, {
                path: loaded.path,
                warning: `${loaded.path} holds point ${loaded.record.index} of ${loaded.record.experiment}, not point ${index} of ${experiment}; it is ignored`,
            });
        } else {
            out.set(index, loaded);
        }
    }
    return out;
}

function readPointFile(path: string): LoadedPoint {
    return {
        path,
        ...readStoreFile(path, POINT_FILE, file => {
            const p = file.point as PointRecord | undefined;
            if (
                !p ||
                typeof p !== 'object' ||
                typeof p.index !== 'number' ||
                typeof p.planHash !== 'string' ||
                typeof p.experiment !== 'string'
            ) {
                throw new Error('no index, plan hash or experiment');
            }
            if (p.result !== undefined && typeof p.result.stopped !== 'string') throw new Error('a result without its stop reason');
            return { record: p.result ? { ...p, result: decodePoint(p.result) } : p };
        }),
    };
}

/** Why a point counts as failed, or undefined for a trained point that did not diverge or get cancelled. */
export function pointFailure(record: PointRecord): string | undefined {
    if (record.failure !== undefined) return record.failure;
    const r = record.result;
    if (!r) return 'no result in the point file';
    if (r.stopped === 'diverged') {
        return r.divergedAt ? `diverged at step ${r.divergedAt.step} (loss ${r.divergedAt.loss})` : 'diverged';
    }
    if (r.stopped === 'cancelled') return `cancelled at step ${r.steps}`;
    return undefined;
}
