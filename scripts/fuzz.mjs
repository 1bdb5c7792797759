// `npm run fuzz`: the long fuzz run (10,000 cases by default) of the language server and `emn check`, with a summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const cases = process.env.EMN_FUZZ_CASES || '10000';
const seed = process.env.EMN_FUZZ_SEED || '20240505';
const report = join('test-results', 'fuzz.json');
const failureDir = join('test-results', 'fuzz-failures');
mkdirSync('test-results', { recursive: true });
// failures of an earlier run would be mistaken for this run's
rmSync(failureDir, { recursive: true, force: true });

// the tests run dist/: build it once here rather than racing two test files to it
const build = spawnSync('node', ['esbuild.mjs'], { stdio: 'inherit' });
if (build.status !== 0) console.log('fuzz: esbuild failed; the tests fuzz the existing dist/ bundles');

const started = Date.now();
const env = { ...process.env, EMN_FUZZ_CASES: cases, EMN_FUZZ_SEED: seed };
const run = spawnSync(
    'npx',
    [
        'vitest',
        'run',
        'test/fuzz-lsp.test.ts',
        'test/fuzz-check.test.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
    ],
    { stdio: 'inherit', env },
);
const seconds = ((Date.now() - started) / 1000).toFixed(0);

let passed = 0,
    failed = 1;
if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const brokenSuites = (r.testResults ?? []).filter(s => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
    passed = r.numPassedTests ?? 0;
    failed = (r.numFailedTests ?? 0) + brokenSuites;
}
const inputs = existsSync(failureDir) ? readdirSync(failureDir).filter(f => f.endsWith('.emn')).length : 0;
console.log(
    `fuzz: seed ${seed}, ${cases} cases, ${seconds} s: ${passed} passed, ${failed} failed` +
        (inputs
            ? `; ${inputs} failing inputs in ${failureDir}/ (replay one: EMN_FUZZ_SEED=${seed} EMN_FUZZ_ONLY=<index> npx vitest run test/fuzz-lsp.test.ts)`
            : ''),
);
process.exitCode = failed > 0 || run.status !== 0 ? 1 : 0;
