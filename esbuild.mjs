// Bundles the extension, language server, CLI and training worker to CommonJS in dist/, copies the tfjs wasm binaries
// beside them and compiles the SIMD training step (AssemblyScript) to dist/emn-step.wasm.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const entries = {
    extension: 'extension/main.ts',
    'language-server': 'language-server/main.ts',
    cli: 'cli/main.ts',
    'training-worker': 'engine/training/training-worker.ts',
    // loads the CLI and the worker bundles through V8's code cache (bin/emn.cjs, worker-client.ts)
    'code-cache': 'cli/code-cache.cjs',
    // tfjs and the training paths on it: loaded only by a run that needs them (see tfjsApart)
    'training-tfjs': 'engine/training/run-experiment.ts',
    // `emn report` and Vega (2 MB): loaded only by that command (see reportApart)
    report: 'cli/report-command.ts',
};
// a missing entry or input fails the build: after a move, a silently skipped worker bundle or emn-step.wasm would
// quietly drop the SIMD path
const missing = [
    ...Object.values(entries),
    'engine/training/simd/emn-step.as.ts',
    'engine/training/simd/emn-layers.as.ts',
    'extension/results-view/webview/main.ts',
    'extension/results-view/webview/compare-main.ts',
].filter(file => !existsSync(file));
if (missing.length > 0) throw new Error(`esbuild.mjs: missing input ${missing.join(', ')}`);
const entryPoints = entries;

/**
 * run-points.ts imports run-experiment.ts (tfjs, 2 MB) dynamically, only for a run the SIMD step cannot train: in the
 * bundles that import is dist/training-tfjs.cjs, so a training worker or `emn train` on SIMD points never reads tfjs.
 */
const tfjsApart = {
    name: 'tfjs-apart',
    setup(build) {
        build.onResolve({ filter: /^\.\/run-experiment\.js$/ }, args =>
            args.kind === 'dynamic-import' && args.importer.endsWith(join('training', 'run-points.ts'))
                ? { path: './training-tfjs.cjs', external: true }
                : undefined,
        );
    },
};

/**
 * vega-canvas's Node build awaits import('canvas') at its top level, which CommonJS cannot hold; the browser build gives
 * no canvas outside a page, as the Node build does without the optional 'canvas' package, so the CLI's headless
 * figures (SVG text, no canvas) are the same with it.
 */
const vegaCanvasBrowser = {
    name: 'vega-canvas-browser',
    setup(build) {
        build.onResolve({ filter: /^vega-canvas$/ }, () => ({
            path: join(dirname(require.resolve('vega-canvas')), 'vega-canvas.browser.js'),
        }));
    },
};

/** cli/commands.ts imports the report command (and Vega with it) dynamically: in the bundles that is dist/report.cjs. */
const reportApart = {
    name: 'report-apart',
    setup(build) {
        build.onResolve({ filter: /^\.\/report-command\.js$/ }, args =>
            args.kind === 'dynamic-import' && args.importer.endsWith(join('cli', 'commands.ts'))
                ? { path: './report.cjs', external: true }
                : undefined,
        );
    },
};

const options = {
    entryPoints,
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    minify,
    // vscode is provided by the editor; tfjs-node is an optional native package loaded only if installed
    external: ['vscode', '@tensorflow/tfjs-node'],
    plugins: [tfjsApart, reportApart, vegaCanvasBrowser],
    // import() of an external bundle (training-tfjs.cjs) as require: a bundle run from V8's code cache (a vm.Script) or
    // in a test runner's worker has no ESM loader to call
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
    // import.meta.url has no CommonJS meaning; map it to the bundle's own file URL
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

function copyWasmBinaries() {
    mkdirSync('dist', { recursive: true });
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    for (const file of readdirSync(wasmDir).filter(f => f.endsWith('.wasm'))) {
        copyFileSync(join(wasmDir, file), join('dist', file));
    }
}

// the training steps in f32x4 SIMD (engine/training/simd/emn-step.as.ts, and emn-layers.as.ts for masking k): compiled
// here, at build time, by the assemblyscript devDependency; the .wasm ships beside the bundles (CLI, server, worker
// thread) and in the .vsix
async function compileSimdStep(source, outFile) {
    const { default: asc } = await import('assemblyscript/asc');
    let errors = '';
    const { error } = await asc.main([source, '--outFile', outFile, '--enable', 'simd', '--runtime', 'stub', '-O3', '--noAssert'], {
        stderr: {
            write: text => {
                errors += text;
                return true;
            },
        },
    });
    if (error) throw new Error(`AssemblyScript failed on ${source}:\n${errors}`);
}

// the results and compare views run in webviews (browser pages under a strict CSP): one IIFE script + its stylesheet each
const webviewOptions = {
    entryPoints: {
        'results-view': 'extension/results-view/webview/main.ts',
        'compare-view': 'extension/results-view/webview/compare-main.ts',
    },
    outdir: 'dist/webview',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    minify,
    logLevel: 'warning',
};
const builds = [options, webviewOptions];

copyWasmBinaries();
await compileSimdStep('engine/training/simd/emn-step.as.ts', 'dist/emn-step.wasm');
await compileSimdStep('engine/training/simd/emn-layers.as.ts', 'dist/emn-layers.wasm');
if (watch) {
    for (const o of builds) await (await esbuild.context(o)).watch();
} else {
    await Promise.all(builds.map(o => esbuild.build(o)));
}
