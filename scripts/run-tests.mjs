// `npm test`: typecheck, lint, unused-code check, unit and protocol tests (vitest, with a real Slurm), then the real-editor test (code-server + Chromium); ends with "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const reportDir = join('test-results');
mkdirSync(reportDir, { recursive: true });
const skipEditor = process.argv.includes('--no-editor') || process.env.EMN_SKIP_EDITOR_TESTS === '1';

function run(cmd, args, env = {}) {
    const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    return r.status ?? 1;
}

/**
 * The Slurm tests need a real slurmctld + slurmd: scripts/setup-slurm.sh uses a running one or starts one (and we
 * stop what it started at the end, by the pids it recorded). Exit 3: none can be had here (no root, no apt-get);
 * the Slurm tests then count as skipped, with the reason, never as passed.
 */
function setUpSlurm() {
    const r = spawnSync('bash', ['scripts/setup-slurm.sh', 'start'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    process.stderr.write(r.stderr ?? '');
    if (r.status === 0) return { EMN_SLURM_EXPECTED: '1' };
    const reason =
        (r.stderr ?? '')
            .trim()
            .split('\n')
            .pop()
            ?.replace(/^\[setup-slurm\] (Slurm tests will be skipped: )?/, '') || `setup-slurm.sh exited ${r.status}`;
    if (r.status !== 3) {
        console.log(`Slurm setup FAILED: ${reason}`);
        totals.failed++;
    }
    return { EMN_SLURM_UNAVAILABLE: reason };
}

/** Counts from a vitest JSON report; a suite that failed to load counts as one failure. */
function countReport(file) {
    if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, missing: true };
    const r = JSON.parse(readFileSync(file, 'utf8'));
    const failedSuites = (r.testResults ?? []).filter(s => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
    return {
        passed: r.numPassedTests ?? 0,
        failed: (r.numFailedTests ?? 0) + failedSuites,
        skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const add = c => {
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
};

// dist/ is what the CLI and protocol tests run: build it fresh
if (run('node', ['esbuild.mjs']) !== 0) totals.failed++;

// the type checker, the linter and the unused-code check are tests too: one count each
const checks = [
    ['typecheck', 'every tsconfig (extension host, webview, real-editor test)'],
    ['lint', 'typescript-eslint, type-aware (eslint.config.mjs)'],
    ['unused', 'no unused files, dependencies or exports (knip.jsonc)'],
    ['format:check', 'every source formatted by prettier (.prettierrc.json; comments: the max-len lint rule)'],
];
for (const [script, what] of checks) {
    if (run('npm', ['run', '--silent', script]) === 0) {
        totals.passed++;
        console.log(`${script}: passed (${what})`);
    } else {
        totals.failed++;
        console.log(`${script}: FAILED (npm run ${script}: ${what})`);
    }
}

/**
 * The report tests execute the notebook `emn report --notebook` writes (Debian's nbconvert, pandas, matplotlib) and
 * render PNGs with the figures' font: scripts/setup-report-tools.sh installs them. Exit 3: they cannot be had here;
 * the notebook test then counts as skipped, with the reason.
 */
function setUpReportTools() {
    const r = spawnSync('bash', ['scripts/setup-report-tools.sh'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    process.stderr.write(r.stderr ?? '');
    if (r.status === 0) return {};
    const reason =
        (r.stderr ?? '')
            .trim()
            .split('\n')
            .pop()
            ?.replace(/^\[setup-report-tools\] (notebook tests will be skipped: )?/, '') || `setup-report-tools.sh exited ${r.status}`;
    if (r.status !== 3) {
        console.log(`report tools setup FAILED: ${reason}`);
        totals.failed++;
    }
    return { EMN_NOTEBOOK_UNAVAILABLE: reason };
}

const slurmEnv = { ...setUpSlurm(), ...setUpReportTools() };
const SLURM_TESTS = 'test/slurm-*.test.ts';
const unitReport = join(reportDir, 'unit.json');
run(
    'npx',
    ['vitest', 'run', '--exclude', SLURM_TESTS, '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`],
    slurmEnv,
);
add(countReport(unitReport));
// the Slurm tests share one node, and some take it down on purpose: one file at a time, after the others
const slurmReport = join(reportDir, 'slurm.json');
run(
    'npx',
    ['vitest', 'run', SLURM_TESTS, '--no-file-parallelism', '--reporter=default', '--reporter=json', `--outputFile.json=${slurmReport}`],
    slurmEnv,
);
add(countReport(slurmReport));

if (skipEditor) {
    console.log('real-editor tests skipped (--no-editor / EMN_SKIP_EDITOR_TESTS=1)');
} else if (existsSync('e2e/vitest.config.ts')) {
    if (run('bash', ['scripts/setup-real-editor.sh']) !== 0) {
        console.log('real-editor setup failed: see the messages above');
        totals.failed++;
    } else {
        const e2eReport = join(reportDir, 'e2e.json');
        run(
            'npx',
            [
                'vitest',
                'run',
                '--config',
                'e2e/vitest.config.ts',
                '--reporter=default',
                '--reporter=json',
                `--outputFile.json=${e2eReport}`,
            ],
            slurmEnv,
        );
        add(countReport(e2eReport));
    }
}

// the Slurm daemons this run started (none if Slurm was already running)
run('bash', ['scripts/setup-slurm.sh', 'stop']);

console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
