// `npm run bench`: bundles bench/train-bench.ts with esbuild (inside node_modules/.cache so packages resolve) and runs it,
// with the PyTorch column when a python3 with torch is found (Debian's python3-torch: /usr/bin/python3).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

const outfile = 'node_modules/.cache/emn-bench/train-bench.cjs';
await esbuild.build({
    entryPoints: ['bench/train-bench.ts'], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['@tensorflow/tfjs-node'], logLevel: 'warning',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
// a pyenv or venv python3 first on PATH may lack the apt package, so the system one is tried too
const python = [process.env.EMN_BENCH_PYTHON, 'python3', '/usr/bin/python3']
    .filter(Boolean)
    .find(p => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
if (!python) console.log("PyTorch column skipped: install Debian's python3-torch");
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, EMN_BENCH_PYTHON: python ?? '' } });
process.exitCode = r.status ?? 1;
