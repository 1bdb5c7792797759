// The one way tests get built bundles: makes sure dist/ (what bin/emn.cjs, the language server and the training worker run) is newer than
// the sources.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const ABANDONED_LOCK_MS = 60_000;

/** The bundles of esbuild.mjs that tests run. */
const BUNDLES = [
    'cli.cjs',
    'language-server.cjs',
    'training-worker.cjs',
    'training-tfjs.cjs',
    'code-cache.cjs',
    'emn-step.wasm',
    'emn-layers.wasm',
];

function newestSource(dir: string): number {
    let newest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
        else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
    return newest;
}

function mtime(path: string): number {
    try {
        return statSync(path).mtimeMs;
    } catch {
        return 0;
    }
}

function isStale(): boolean {
    // every source the bundles are built from (the engine's .as.ts modules end in .ts too)
    const sources = Math.max(...['engine', 'language-server', 'cli', 'extension'].map(dir => newestSource(join(ROOT, dir))));
    return Math.min(...BUNDLES.map(b => mtime(join(ROOT, 'dist', b)))) < sources;
}

/**
 * Rebuilds dist/ with `node esbuild.mjs` when a source is newer (`npm test` builds first, so then this
 * does nothing). A lock directory keeps parallel test files from building at the same time.
 */
export async function ensureFreshDist(): Promise<void> {
    await buildUnderLock(isStale, () => {
        execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe' });
    });
}

/** The test-only language server of test/fixtures/worker-override-server.ts (a TrainingEngine with another worker), bundled fresh. */
export async function freshWorkerOverrideServer(): Promise<string> {
    const source = join(ROOT, 'test', 'fixtures', 'worker-override-server.ts');
    const bundle = join(ROOT, 'out', 'test', 'worker-override-server.cjs');
    await ensureFreshDist();
    const stale = () => mtime(bundle) < Math.max(mtime(source), ...BUNDLES.map(b => mtime(join(ROOT, 'dist', b))));
    await buildUnderLock(stale, () => {
        execFileSync(
            join(ROOT, 'node_modules', '.bin', 'esbuild'),
            [
                source,
                '--bundle',
                '--platform=node',
                '--format=cjs',
                '--target=node20',
                `--outfile=${bundle}`,
                '--log-level=warning',
                // as in esbuild.mjs: import.meta.url means the bundle's own file
                '--define:import.meta.url=importMetaUrl',
                "--banner:js=const importMetaUrl = require('url').pathToFileURL(__filename).href;",
                '--external:@tensorflow/tfjs-node',
            ],
            { cwd: ROOT, stdio: 'pipe' },
        );
    });
    return bundle;
}

async function buildUnderLock(isStale: () => boolean, build: () => void): Promise<void> {
    if (!isStale()) return;
    const lock = join(ROOT, 'node_modules/.cache/emn-dist-build.lock');
    mkdirSync(dirname(lock), { recursive: true });
    for (;;) {
        try {
            mkdirSync(lock);
            break;
        } catch {
            // a lock older than any build (one takes seconds) was left by a killed run: take it over rather than wait forever
            if (Date.now() - mtime(lock) > ABANDONED_LOCK_MS) {
                rmSync(lock, { recursive: true, force: true });
                continue;
            }
            // another test file is building: wait for its lock to go, then look again
            await new Promise(r => setTimeout(r, 200));
            if (!isStale()) return;
        }
    }
    try {
        if (isStale()) build();
    } finally {
        rmdirSync(lock);
    }
}

/** Path of a dist/ bundle (e.g. 'training-worker.cjs'), built fresh first. */
export async function freshBundle(name: string): Promise<string> {
    await ensureFreshDist();
    return join(ROOT, 'dist', name);
}
