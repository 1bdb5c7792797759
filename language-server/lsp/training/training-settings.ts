// Reads the training settings (emn.training.*, emn.results.*, emn.slurm.enabled) for a spec, with safe fallbacks.
import { isAbsolute, win32 } from 'node:path';
import type { BackendSetting } from '../../protocol.js';
import { DEFAULT_HISTORY_LIMIT, RESULTS_DIR } from '../../../engine/index.js';

/** The results store's own default, so the server and `emn train` write to the same folder. */
export const DEFAULT_RESULTS_FOLDER = RESULTS_DIR;
const BACKEND_SETTINGS: readonly BackendSetting[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface TrainingSettings {
    backend: BackendSetting;
    /** Relative to the spec's folder, never escaping it. */
    resultsFolder: string;
    /** `emn.results.history`: runs kept per experiment in its history (default 20). */
    historyLimit: number;
    /** `emn.training.workerMemoryMB`: each training worker's heap limit in MB (undefined: Node's default). */
    workerMemoryMB?: number;
    /** `emn.slurm.enabled`: offer "Train on Slurm" (true), never (false), or where sbatch is on the PATH (undefined). */
    slurmEnabled?: boolean;
    /** Set when a configured value was unusable and a default took its place. */
    warnings: string[];
}

/** The `emn` configuration section as VS Code sends it (nested objects). */
export interface EmnSettingsSection {
    training?: { backend?: unknown; workerMemoryMB?: unknown };
    results?: { folder?: unknown; history?: unknown };
    slurm?: { enabled?: unknown };
}

function parseBackend(value: unknown, warnings: string[]): BackendSetting | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string' && (BACKEND_SETTINGS as readonly string[]).includes(value)) return value as BackendSetting;
    warnings.push(`emn.training.backend must be one of ${BACKEND_SETTINGS.join(', ')}; got ${JSON.stringify(value)}, using auto`);
    return undefined;
}

/** Below this a worker cannot load its own code: the setting would fail every run. */
const MIN_WORKER_MEMORY_MB = 32;

function parseWorkerMemory(value: unknown, warnings: string[]): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_WORKER_MEMORY_MB) return value;
    warnings.push(
        `emn.training.workerMemoryMB must be a whole number of MB, at least ${MIN_WORKER_MEMORY_MB}; got ${JSON.stringify(value)}, using Node's default`,
    );
    return undefined;
}

/**
 * A results folder must stay inside the spec's folder: results are written there without asking,
 * so an absolute path or a `..` segment (a settings file from an untrusted repository) is refused.
 */
export function parseResultsFolder(value: unknown, warnings: string[]): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
        warnings.push(`emn.results.folder must be a relative folder name; got ${JSON.stringify(value)}, using ${DEFAULT_RESULTS_FOLDER}`);
        return undefined;
    }
    const segments = value.split(/[\\/]+/).filter(s => s !== '' && s !== '.');
    if (isAbsolute(value) || win32.isAbsolute(value) || segments.includes('..') || segments.length === 0) {
        warnings.push(
            `emn.results.folder must stay inside the spec's folder (no absolute path, no ..); got ${JSON.stringify(value)}, using ${DEFAULT_RESULTS_FOLDER}`,
        );
        return undefined;
    }
    return segments.join('/');
}

/** Settings win over initialization options; anything unusable falls back to the defaults with a warning. */
export function resolveTrainingSettings(
    section: EmnSettingsSection | undefined,
    init: { backend?: unknown; resultsFolder?: unknown },
): TrainingSettings {
    const warnings: string[] = [];
    const backend = parseBackend(section?.training?.backend, warnings) ?? parseBackend(init.backend, warnings) ?? 'auto';
    const resultsFolder =
        parseResultsFolder(section?.results?.folder, warnings) ??
        parseResultsFolder(init.resultsFolder, warnings) ??
        DEFAULT_RESULTS_FOLDER;
    const slurm = section?.slurm?.enabled;
    if (slurm !== undefined && slurm !== null && typeof slurm !== 'boolean')
        warnings.push(`emn.slurm.enabled must be true, false or unset; got ${JSON.stringify(slurm)}, using: where sbatch is on the PATH`);
    let historyLimit = DEFAULT_HISTORY_LIMIT;
    const history = section?.results?.history;
    if (typeof history === 'number' && Number.isInteger(history) && history >= 1) historyLimit = history;
    else if (history !== undefined && history !== null)
        warnings.push(`emn.results.history must be a positive integer; got ${JSON.stringify(history)}, using ${DEFAULT_HISTORY_LIMIT}`);
    const workerMemoryMB = parseWorkerMemory(section?.training?.workerMemoryMB, warnings);
    return {
        backend,
        resultsFolder,
        historyLimit,
        warnings,
        ...(workerMemoryMB !== undefined ? { workerMemoryMB } : {}),
        ...(typeof slurm === 'boolean' ? { slurmEnabled: slurm } : {}),
    };
}
