// Saves and loads training results beside the spec: .emn-results/<spec file>/<experiment>.json, written atomically.
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ExperimentResult, PointResult, WeightTensor } from './result-types.js';
import { decodeWeight, encodeWeight, isEncodedWeight } from './weights-codec.js';

/*
 * Layout and rules (ours):
 * - <spec dir>/.emn-results/<spec file name>/<experiment>.json holds the last good result of an experiment
 *   (stopped 'steps' or 'target'); `root` (emn train --out DIR) replaces <spec dir>/.emn-results/<spec file name>.
 * - A diverged or cancelled run never overwrites it: it goes to <experiment>.last-failure.json instead.
 * - Files are written to a temporary file in the same folder and renamed over the target (atomic on one file system).
 * - Weights are stored as base64 float32; loading turns them back into plain number arrays.
 * - Spec and experiment names are sanitised to [A-Za-z0-9_.-], no leading dot, so a result path never leaves the results folder.
 */

export const RESULTS_DIR = '.emn-results';
const FORMAT = 'emn-results';
const VERSION = 1;

interface ResultFile {
    format: typeof FORMAT;
    version: number;
    specFile: string;
    result: unknown;
}

export interface LoadedResult {
    result?: ExperimentResult;
    /** Why the file could not be used (corrupt, foreign, newer format); the result is absent then. */
    warning?: string;
    path: string;
}

export interface SavedResult {
    path: string;
    /** 'result': the experiment's result file; 'failure': the last-failure file (the good result was kept). */
    kind: 'result' | 'failure';
}

/** A file-name-safe form of a name: [A-Za-z0-9_.-] only, never starting with a dot (so never '.' or '..'), never empty. */
export function sanitizeName(name: string): string {
    const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\./, '_').slice(0, 120);
    return safe.length > 0 ? safe : '_';
}

export function isFailure(result: ExperimentResult): boolean {
    return result.stopped === 'diverged' || result.stopped === 'cancelled';
}

export class ResultsStore {
    /** @param root a folder that replaces the per-spec results folder (e.g. `emn train --out DIR`). */
    constructor(private readonly root?: string) {}

    folder(specPath: string): string {
        if (this.root) return resolve(this.root);
        const abs = resolve(specPath);
        return join(dirname(abs), RESULTS_DIR, sanitizeName(basename(abs)));
    }

    resultPath(specPath: string, experiment: string): string {
        return join(this.folder(specPath), `${sanitizeName(experiment)}.json`);
    }

    failurePath(specPath: string, experiment: string): string {
        return join(this.folder(specPath), `${sanitizeName(experiment)}.last-failure.json`);
    }

    save(specPath: string, result: ExperimentResult): SavedResult {
        const failed = isFailure(result);
        const path = failed ? this.failurePath(specPath, result.experiment) : this.resultPath(specPath, result.experiment);
        const file: ResultFile = { format: FORMAT, version: VERSION, specFile: basename(specPath), result: encodeResult(result) };
        writeAtomically(path, JSON.stringify(file));
        return { path, kind: failed ? 'failure' : 'result' };
    }

    load(specPath: string, experiment: string): LoadedResult {
        return readResultFile(this.resultPath(specPath, experiment));
    }

    loadFailure(specPath: string, experiment: string): LoadedResult {
        return readResultFile(this.failurePath(specPath, experiment));
    }

    /** A result is stale when it was trained from a different compiled plan than the spec's current one. */
    isStale(result: ExperimentResult, currentPlanHash: string): boolean {
        return result.planHash !== currentPlanHash;
    }
}

export function writeAtomically(path: string, text: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
    try {
        writeFileSync(tmp, text);
        renameSync(tmp, path);
    } catch (err) {
        try { if (existsSync(tmp)) unlinkSync(tmp); } catch { /* the original error matters more */ }
        throw err;
    }
}

/** Reads a result file; a missing file gives neither result nor warning, a bad one gives a warning. */
export function readResultFile(path: string): LoadedResult {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path };
        return { path, warning: `cannot read ${path}: ${(err as Error).message}` };
    }
    let file: Partial<ResultFile>;
    try {
        file = JSON.parse(text);
    } catch {
        return { path, warning: `${path} is not valid JSON (corrupt or truncated); it is ignored` };
    }
    if (file === null || typeof file !== 'object' || file.format !== FORMAT) {
        return { path, warning: `${path} is not an EMN results file; it is ignored` };
    }
    if (typeof file.version !== 'number' || file.version > VERSION) {
        return { path, warning: `${path} has results format version ${String(file.version)}, newer than this version reads (${VERSION})` };
    }
    try {
        return { path, result: decodeResult(file.result) };
    } catch (err) {
        return { path, warning: `${path} holds a malformed result (${(err as Error).message}); it is ignored` };
    }
}

function mapWeights<T, U>(r: { weights?: T[]; pathWeights?: T }, f: (t: T) => U) {
    return {
        ...(r.weights ? { weights: r.weights.map(f) } : {}),
        ...(r.pathWeights ? { pathWeights: f(r.pathWeights) } : {}),
    };
}

function encodeResult(r: ExperimentResult): unknown {
    return {
        ...r,
        ...mapWeights(r, encodeWeight),
        ...(r.runs ? { runs: r.runs.map(p => ({ ...p, ...mapWeights(p, encodeWeight) })) } : {}),
    };
}

function decodeTensor(t: unknown): WeightTensor {
    if (isEncodedWeight(t)) return decodeWeight(t);
    const w = t as WeightTensor;
    if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || !Array.isArray(w.values)) throw new Error('malformed weight tensor');
    return w;
}

function decodeResult(raw: unknown): ExperimentResult {
    const r = raw as ExperimentResult;
    if (r === null || typeof r !== 'object') throw new Error('no result object');
    for (const key of ['experiment', 'planHash', 'stopped', 'backend'] as const) {
        if (typeof r[key] !== 'string') throw new Error(`missing ${key}`);
    }
    if (typeof r.metrics !== 'object' || r.metrics === null) throw new Error('missing metrics');
    if (r.runs !== undefined && !Array.isArray(r.runs)) throw new Error('runs is not a list');
    // JSON has no NaN: metrics of a diverged run come back as null; restore NaN so numbers stay numbers
    const fixMetrics = (m: Record<string, unknown>) => {
        for (const [k, v] of Object.entries(m)) if (v === null) m[k] = NaN;
    };
    fixMetrics(r.metrics as unknown as Record<string, unknown>);
    return {
        ...r,
        ...mapWeights(r as { weights?: unknown[]; pathWeights?: unknown }, decodeTensor),
        ...(r.runs ? {
            runs: r.runs.map((p: PointResult) => {
                fixMetrics(p.metrics as unknown as Record<string, unknown>);
                return { ...p, ...mapWeights(p as { weights?: unknown[]; pathWeights?: unknown }, decodeTensor) };
            }),
        } : {}),
    };
}
