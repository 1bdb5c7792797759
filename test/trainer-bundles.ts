// Bundles an entry (training worker, CLI) for the tests the way esbuild.mjs does, into node_modules/.cache (no race on dist/).
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const outDir = resolve('node_modules/.cache/emn-test');

/** Returns the path of the bundled CommonJS file; each test file uses its own name, so parallel files never share one. */
export async function bundleForTest(entry: string, name: string): Promise<string> {
    mkdirSync(outDir, { recursive: true });
    const outfile = join(outDir, `${name}.cjs`);
    await esbuild.build({
        entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
        external: ['vscode', '@tensorflow/tfjs-node'], logLevel: 'error', sourcemap: false,
        define: { 'import.meta.url': 'importMetaUrl' },
        banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    });
    return outfile;
}
