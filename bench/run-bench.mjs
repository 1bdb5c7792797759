// `npm run bench`: bundles bench/train-bench.ts with esbuild (inside node_modules/.cache so packages resolve) and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

const outfile = 'node_modules/.cache/emn-bench/train-bench.cjs';
await esbuild.build({
    entryPoints: ['bench/train-bench.ts'], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['@tensorflow/tfjs-node'], logLevel: 'warning',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
