// Makes sure dist/ is built for the fuzz tests, sharing the protocol tests' build lock (test/fresh-dist.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFreshDist, ROOT } from '../fresh-dist.js';

/** `npm test` and `npm run fuzz` build first, so this only builds when vitest is run by hand on a stale tree. */
export async function ensureBuilt(bundles: string[]): Promise<void> {
    try {
        await ensureFreshDist();
    } catch (err) {
        // a tree mid-edit by someone else must not block fuzzing the last good build; the test runner reports build breaks
        if (!bundles.every(b => existsSync(join(ROOT, 'dist', b)))) throw err;
        console.warn(
            `fuzz: esbuild failed, fuzzing the existing dist/ bundles:\n${String((err as { stderr?: Buffer }).stderr ?? err).slice(0, 2000)}`,
        );
    }
}
