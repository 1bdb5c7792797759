// Where the tfjs backends' files are (tfjs-node, the wasm binaries), found without loading tfjs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const requireHere = createRequire(import.meta.url);

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

/** Why `auto` passes over tensorflow when tfjs-node is not there (backend.ts, and run-points.ts without loading tfjs). */
export const TFJS_NODE_NOT_INSTALLED = '@tensorflow/tfjs-node is not installed';

/** Whether @tensorflow/tfjs-node can be found (not whether it loads: backend.ts finds that out by loading it). */
export function tfjsNodeFound(): boolean {
    // asked for every point of a sweep on every thread; installing a package does not happen mid-run
    return (found.tfjsNode ??= (() => {
        try {
            requireHere.resolve('@tensorflow/tfjs-node', { paths: tfjsNodeSearchPaths() });
            return true;
        } catch {
            return false;
        }
    })());
}

/** What this process found once: the files do not come or go while it trains. */
const found: { tfjsNode?: boolean; wasmBinary?: boolean } = {};

/** The folder holding tfjs-backend-wasm*.wasm: beside the bundle in dist/, else the package's own dist/. */
export function wasmDirectory(): string {
    if (existsSync(join(here, 'tfjs-backend-wasm.wasm'))) return here;
    return join(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

/** Whether the tfjs wasm backend's binary is there (beside the bundle, or in its package). */
export function wasmBinaryFound(): boolean {
    return (found.wasmBinary ??= (() => {
        try {
            return existsSync(join(wasmDirectory(), 'tfjs-backend-wasm.wasm'));
        } catch {
            return false;
        }
    })());
}
