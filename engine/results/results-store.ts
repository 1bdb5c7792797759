// Saves and loads training results beside the spec: .emn-results/<spec file>/<experiment>.json, written atomically.
import { existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ExperimentResult, PointResult, WeightTensor } from './result-types.js';
import { checkPointShape, checkResultShape } from './result-checks.js';
import { removeAbandonedTemps, tempPathFor } from './temp-files.js';
import { decodeWeight, encodeWeight, isEncodedWeight } from './weights-codec.js';

/*
 * Layout and rules (ours):
 * - <spec dir>/.emn-results/<spec file name>/<experiment>.json holds the last good result of an experiment
 *   (stopped 'steps' or 'target'); `root` (emn train --out DIR) replaces <spec dir>/.emn-results/<spec file name>.
 * - A diverged or cancelled run never overwrites it: it goes to <experiment>.last-failure.json instead. What is
 *   written, kept and removed after a run is decided in one place for the CLI and the editor: failure-policy.ts.
 * - Files are written to a temporary file in the same folder and renamed over the target (atomic on one file system).
 * - Weights are stored as base64 float32; loading turns them back into plain number arrays.
 * - Spec and experiment names are sanitised to [A-Za-z0-9_.-], no leading dot, so a result path never leaves the results folder.
 * - Symbolic links cannot lead it out either: the results folder's real path must stay inside the spec's folder
 *   (or the `confineTo` folder) or nothing is read or written; an explicit `root` (--out DIR) is the user's choice.
 */

export const RESULTS_DIR = '.emn-results';

/** A kind of JSON file in the results store: its `format` tag, the newest `version` this code reads, and its words in messages. */
export interface FileKind {
    format: string;
    version: number;
    /** "results" in "not an EMN results file". */
    name: string;
    /** "result" in "holds a malformed result". */
    holds: string;
}

// version 2: a point's params may hold names (`sweep activation [none, relu]`); version-1 files are read as they are
const RESULT_FILE: FileKind = { format: 'emn-results', version: 2, name: 'results', holds: 'result' };

interface ResultFile {
    format: string;
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
    const safe = name
        .replace(/[^A-Za-z0-9_.-]/g, '_')
        .replace(/^\./, '_')
        .slice(0, 120);
    return safe.length > 0 ? safe : '_';
}

function isFailure(result: ExperimentResult): boolean {
    return result.stopped === 'diverged' || result.stopped === 'cancelled';
}

export interface StoreOptions {
    /** Refuse results whose real path (symbolic links resolved) is outside this folder. Default: the spec's folder, without a root. */
    confineTo?: string;
}

export class ResultsStore {
    /** @param root a folder that replaces the per-spec results folder (e.g. `emn train --out DIR`). */
    constructor(
        private readonly root?: string,
        private readonly options: StoreOptions = {},
    ) {}

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

    /** Writes the result file, or the last-failure file for a failure; `as` overrides that choice (failure-policy.ts). */
    save(specPath: string, result: ExperimentResult, as?: SavedResult['kind']): SavedResult {
        const failed = as ? as === 'failure' : isFailure(result);
        const path = failed ? this.failurePath(specPath, result.experiment) : this.resultPath(specPath, result.experiment);
        const file: ResultFile = {
            format: RESULT_FILE.format,
            version: RESULT_FILE.version,
            specFile: basename(specPath),
            result: encodeResult(result),
        };
        const escape = this.escape(specPath);
        if (escape) throw new Error(`refusing to write results: ${escape}`);
        try {
            mkdirSync(dirname(path), { recursive: true });
        } catch (err) {
            // e.g. ENOTDIR: a file sits where the results folder should be
            throw new Error(`cannot create the results folder ${dirname(path)}: ${(err as Error).message}`);
        }
        // again now that the folder exists: a link swapped in meanwhile is caught before the file is written
        const late = this.escape(specPath);
        if (late) throw new Error(`refusing to write results: ${late}`);
        try {
            writeAtomically(path, JSON.stringify(file));
        } catch (err) {
            throw new Error(`cannot write ${path} (the previous file, if any, is unchanged): ${(err as Error).message}`);
        }
        return { path, kind: failed ? 'failure' : 'result' };
    }

    load(specPath: string, experiment: string): LoadedResult {
        return this.read(specPath, this.resultPath(specPath, experiment));
    }

    loadFailure(specPath: string, experiment: string): LoadedResult {
        return this.read(specPath, this.failurePath(specPath, experiment));
    }

    /** Removes the last-failure file (a later good run made it old news); true when there was one. */
    removeFailure(specPath: string, experiment: string): boolean {
        if (this.escape(specPath)) return false;
        try {
            unlinkSync(this.failurePath(specPath, experiment));
            return true;
        } catch {
            return false;
        }
    }

    private read(specPath: string, path: string): LoadedResult {
        const escape = this.escape(specPath);
        if (escape) return { path, warning: `results not read: ${escape}` };
        return { path, ...readStoreFile(path, RESULT_FILE, file => ({ result: decodeResult((file as Partial<ResultFile>).result) })) };
    }

    /**
     * Removes the temporary files a crashed writer left in the spec's results folder (and its history and point folders),
     * never one a live process is writing (temp-files.ts); returns their paths.
     */
    removeAbandonedTemps(specPath: string): string[] {
        return this.escape(specPath) ? [] : removeAbandonedTemps(this.folder(specPath));
    }

    /** Why the results folder leads outside its confinement (a symbolic link on the way), or undefined when it does not. */
    escape(specPath: string): string | undefined {
        const base = this.options.confineTo ?? (this.root ? undefined : dirname(resolve(specPath)));
        if (base === undefined) return undefined;
        const folder = this.folder(specPath);
        const realBase = realPathOfExisting(resolve(base));
        const real = realPathOfExisting(folder);
        const rel = relative(realBase, real);
        if (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return undefined;
        return `${folder} leads to ${real}, outside the spec's folder ${realBase} (a symbolic link?)`;
    }
}

/** A result (or failure) is stale when it was trained from another compiled plan than the spec's current one (or none). */
export function isStale(trained: { planHash: string }, currentPlanHash: string | undefined): boolean {
    return trained.planHash !== currentPlanHash;
}

/** The real path of `path` with symbolic links resolved; the part that does not exist yet is appended as written. */
function realPathOfExisting(path: string): string {
    const missing: string[] = [];
    let at = path;
    for (;;) {
        try {
            return join(realpathSync(at), ...missing.reverse());
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return path; // unreadable or a link loop: the write fails with the reason
            const target = linkTarget(at);
            // a dangling link: where it points is where mkdir would go
            if (target !== undefined) return join(realPathOfExisting(resolve(dirname(at), target)), ...missing.reverse());
            const parent = dirname(at);
            if (parent === at) return path;
            missing.push(basename(at));
            at = parent;
        }
    }
}

function linkTarget(path: string): string | undefined {
    try {
        return readlinkSync(path);
    } catch {
        return undefined;
    }
}

export function writeAtomically(path: string, text: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = tempPathFor(path);
    try {
        // 'wx': never follow a link or reuse a file planted under the temporary name
        writeFileSync(tmp, text, { flag: 'wx' });
        renameSync(tmp, path);
    } catch (err) {
        try {
            if (existsSync(tmp)) unlinkSync(tmp);
        } catch {
            /* the original error matters more */
        }
        throw err;
    }
}

/**
 * The one reader of the store's JSON files (results, history runs, sweep points): reads `path`, checks its format tag
 * and version, and gives what `decode` makes of the parsed file, or a warning saying why the file is ignored (decode
 * throws for a malformed body). A missing file gives neither: there is nothing to ignore.
 */
export function readStoreFile<T extends object>(
    path: string,
    kind: FileKind,
    decode: (file: Record<string, unknown>) => T,
): T | { warning?: string } {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return {};
        // e.g. --out naming a file: say it in words, not as node's "ENOTDIR: not a directory, open …"
        if (code === 'ENOTDIR') return { warning: `cannot read ${path}: a file stands where one of its folders should be` };
        return { warning: `cannot read ${path}: ${(err as Error).message}` };
    }
    let file: unknown;
    try {
        file = JSON.parse(text);
    } catch (err) {
        return { warning: `${path} ${jsonProblem(text, (err as Error).message)}; it is ignored` };
    }
    if (file === null || typeof file !== 'object' || (file as { format?: unknown }).format !== kind.format) {
        return { warning: `${path} is not an EMN ${kind.name} file; it is ignored` };
    }
    const version = (file as { version?: unknown }).version;
    if (typeof version !== 'number' || version > kind.version) {
        return { warning: `${path} has ${kind.name} format version ${String(version)}, newer than this version reads (${kind.version})` };
    }
    try {
        return decode(file as Record<string, unknown>);
    } catch (err) {
        return { warning: `${path} holds a malformed ${kind.holds} (${(err as Error).message}); it is ignored` };
    }
}

/** `f` on each weight tensor of a result or point, with where it is ("weights[2]", "pathWeights"). */
/**
 * What is wrong with a file JSON cannot parse, from JSON.parse's message: cut short (a write that never finished, a
 * copy that stopped), or the line and column where it stops being JSON (a hand edit).
 */
function jsonProblem(text: string, message: string): string {
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : undefined;
    if (/end of JSON input/.test(message) || (offset !== undefined && offset >= text.trimEnd().length)) {
        return `is truncated: its JSON stops unfinished after ${text.length} bytes`;
    }
    const detail = message.replace(/ in JSON at position \d+$/, '').replace(/, ".*" is not valid JSON$/s, '');
    if (offset === undefined) return `is not valid JSON (${detail})`;
    const before = text.slice(0, offset).split('\n');
    return `is not valid JSON at line ${before.length}, column ${before[before.length - 1].length + 1} (${detail})`;
}

function mapWeights<T, U>(r: { weights?: T[]; pathWeights?: T }, f: (t: T, at: string) => U) {
    if (r.weights !== undefined && !Array.isArray(r.weights)) throw new Error('weights is not a list');
    return {
        ...(r.weights ? { weights: r.weights.map((t, k) => f(t, `weights[${k}]`)) } : {}),
        ...(r.pathWeights ? { pathWeights: f(r.pathWeights, 'pathWeights') } : {}),
    };
}

export function encodeResult(r: ExperimentResult): unknown {
    return {
        ...r,
        ...mapWeights(r, encodeWeight),
        ...(r.runs ? { runs: r.runs.map(encodePoint) } : {}),
    };
}

/** A sweep point as stored (weights as base64), in a result's runs or a point file of its own. */
export function encodePoint(p: PointResult): unknown {
    return { ...p, ...mapWeights(p, encodeWeight) };
}

/** A stored tensor back as numbers; its shape is checked by result-checks.ts. `at` names it in a message. */
function decodeTensor(t: unknown, at: string): WeightTensor {
    if (isEncodedWeight(t)) {
        try {
            return decodeWeight(t);
        } catch (err) {
            throw new Error(`${at}: ${(err as Error).message}`);
        }
    }
    const w = t as WeightTensor;
    if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || !Array.isArray(w.values)) throw new Error(`${at} is not a weight tensor`);
    return w;
}

/** JSON has no NaN: metrics of a diverged run come back as null; restore NaN so numbers stay numbers. */
function restoreNaN(metrics: object): void {
    const m = metrics as Record<string, unknown>;
    for (const [k, v] of Object.entries(m)) if (v === null) m[k] = NaN;
}

/** A stored sweep point back in memory (weights as number arrays, NaN metrics restored); throws naming a wrong field. */
export function decodePoint(raw: unknown, at = ''): PointResult {
    const p = raw as PointResult;
    if (typeof p !== 'object' || p === null || Array.isArray(p))
        throw new Error(`${at ? at.slice(0, -1) : 'the point'} is not a sweep point`);
    if (typeof p.metrics === 'object' && p.metrics !== null) restoreNaN(p.metrics);
    const decoded = {
        ...p,
        ...mapWeights(p as { weights?: unknown[]; pathWeights?: unknown }, (t, where) => decodeTensor(t, `${at}${where}`)),
    };
    checkPointShape(decoded, at);
    return decoded;
}

export function decodeResult(raw: unknown): ExperimentResult {
    const r = raw as ExperimentResult;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new Error('no result object');
    if (typeof r.metrics === 'object' && r.metrics !== null) restoreNaN(r.metrics);
    if (r.runs !== undefined && !Array.isArray(r.runs)) throw new Error('runs is not a list');
    const decoded = {
        ...r,
        ...mapWeights(r as { weights?: unknown[]; pathWeights?: unknown }, decodeTensor),
        ...(r.runs ? { runs: r.runs.map((p, k) => decodePoint(p, `runs[${k}].`)) } : {}),
    };
    checkResultShape(decoded);
    return decoded;
}
