// Picks the tfjs backend: tensorflow (tfjs-node, when it loads), else wasm, else cpu; says why it fell back.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../results/result-types.js';
import { setWasmPaths, tf } from './tf.js';

export type BackendChoice = 'auto' | BackendName;

export interface BackendSelection {
    backend: BackendName;
    /** Why `auto` did not pick a faster backend (one line per backend skipped). */
    fallbacks: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
const requireHere = createRequire(import.meta.url);
let wasmPathsSet = false;
let tfjsNodeError: string | undefined;
let tfjsNodeLoaded = false;
/** What we last selected (tf.getBackend() itself would initialise a default backend as a side effect). */
let current: BackendName | undefined;
let autoSelection: BackendSelection | undefined;

/**
 * Where to look for @tensorflow/tfjs-node: beside the bundle (an npm install of this package, where it is an
 * optionalDependency), then EMN_TFJS_NODE_PATH and NODE_PATH folders, then the usual global npm folders. The
 * .vsix ships without node_modules, so the extension finds a user's tfjs-node only through the latter.
 */
export function tfjsNodeSearchPaths(env: NodeJS.ProcessEnv = process.env): string[] {
    const listed = [env.EMN_TFJS_NODE_PATH, env.NODE_PATH].flatMap(v => (v ?? '').split(delimiter)).filter(Boolean);
    const globals = ['/usr/local/lib/node_modules', '/usr/lib/node_modules', '/opt/homebrew/lib/node_modules'];
    if (env.HOME) globals.push(join(env.HOME, '.npm-global', 'lib', 'node_modules'));
    if (env.APPDATA) globals.push(join(env.APPDATA, 'npm', 'node_modules'));
    return [here, ...listed, ...globals];
}

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
            ? '@tensorflow/tfjs-node is not installed'
            : `@tensorflow/tfjs-node failed to load: ${String(e?.message ?? err).split('\n')[0].replace(/ at path: .*/, '').trim()}`;
        return tfjsNodeError;
    }
}

/** The folder holding tfjs-backend-wasm*.wasm: beside the bundle in dist/, else the package's own dist/. */
function wasmDirectory(): string {
    if (existsSync(join(here, 'tfjs-backend-wasm.wasm'))) return here;
    return join(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
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
        return `${name} backend failed to initialise: ${err instanceof Error ? err.message : String(err)}`;
    }
}

/** Makes `choice` the active backend. A forced backend that cannot run throws "backend X is not available: why". */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendSelection> {
    if (choice !== 'auto') {
        if (current === choice) return { backend: choice, fallbacks: [] };
        const why = await trySetBackend(choice);
        if (why) throw new Error(`backend ${choice} is not available: ${why}`);
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
