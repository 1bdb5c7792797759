// Picks the tfjs backend: tensorflow (tfjs-node, when it loads), else wasm, else cpu; says why it fell back.
import { createRequire } from 'node:module';
import type { BackendChoice, BackendName } from '../results/result-types.js';
import { TFJS_NODE_NOT_INSTALLED, tfjsNodeSearchPaths, wasmDirectory } from './backend-files.js';
import { setWasmPaths, tf } from './tf.js';
import { TrainingFailure } from './training-failure.js';
import { errorMessage } from '../error-message.js';

export { tfjsNodeSearchPaths };

export interface BackendSelection {
    backend: BackendName;
    /** Why `auto` did not pick a faster backend (one line per backend skipped). */
    fallbacks: string[];
}

const requireHere = createRequire(import.meta.url);
let wasmPathsSet = false;
let tfjsNodeError: string | undefined;
let tfjsNodeLoaded = false;
/** What we last selected (tf.getBackend() itself would initialise a default backend as a side effect). */
let current: BackendName | undefined;
let autoSelection: BackendSelection | undefined;

/** Loads @tensorflow/tfjs-node once; returns why it is unavailable, or undefined when it registered 'tensorflow'. */
function loadTfjsNode(): string | undefined {
    if (tfjsNodeLoaded) return undefined;
    if (tfjsNodeError !== undefined) return tfjsNodeError;
    try {
        requireHere(requireHere.resolve('@tensorflow/tfjs-node', { paths: tfjsNodeSearchPaths() }));
        tfjsNodeLoaded = true;
        return undefined;
    } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const notInstalled = e?.code === 'MODULE_NOT_FOUND' && String(e.message).includes("'@tensorflow/tfjs-node'");
        tfjsNodeError = notInstalled
            ? TFJS_NODE_NOT_INSTALLED
            : `@tensorflow/tfjs-node failed to load: ${String(e?.message ?? err)
                  .split('\n')[0]
                  .replace(/ at path: .*/, '')
                  .trim()}`;
        return tfjsNodeError;
    }
}

async function trySetBackend(name: BackendName): Promise<string | undefined> {
    try {
        if (name === 'tensorflow') {
            const why = loadTfjsNode();
            if (why) return why;
        }
        if (name === 'wasm' && !wasmPathsSet) {
            setWasmPaths(wasmDirectory() + '/');
            wasmPathsSet = true;
        }
        const ok = await tf.setBackend(name);
        if (!ok) return `${name} backend failed to initialise`;
        await tf.ready();
        current = name;
        return undefined;
    } catch (err) {
        return `${name} backend failed to initialise: ${errorMessage(err)}`;
    }
}

/** Makes `choice` the active backend. A forced backend that cannot run throws "backend X is not available: why". */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendSelection> {
    if (choice !== 'auto') {
        if (current === choice) return { backend: choice, fallbacks: [] };
        const why = await trySetBackend(choice);
        if (why) throw new TrainingFailure('backend-unavailable', `backend ${choice} is not available: ${why}`);
        return { backend: choice, fallbacks: [] };
    }
    if (autoSelection && current === autoSelection.backend) return autoSelection;
    const fallbacks: string[] = [];
    for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
        const why = await trySetBackend(name);
        if (!why) return (autoSelection = { backend: name, fallbacks });
        fallbacks.push(why);
    }
    throw new Error(`no tfjs backend could start: ${fallbacks.join('; ')}`);
}
