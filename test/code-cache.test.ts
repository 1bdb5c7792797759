// The V8 code cache loader (cli/code-cache.cjs): one cache per bundle build and command word, and a run of one word never removes
// another's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './fresh-dist.js';

const dir = mkdtempSync(join(tmpdir(), 'emn-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads `bundle` through the cache as command word `variant`, in a process of its own (the cache is written at exit). */
function load(bundle: string, variant: string): string {
    const loader = join(ROOT, 'cli', 'code-cache.cjs');
    const r = spawnSync(
        process.execPath,
        ['-e', `require(${JSON.stringify(loader)}).requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(variant)})`],
        { env: { ...process.env, XDG_CACHE_HOME: dir, EMN_CODE_CACHE: '1' }, encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    return r.stdout;
}

const caches = () => readdirSync(join(dir, 'emn-studio', 'v8')).sort();

describe('V8 code cache', () => {
    it('keeps one cache per command word; a run without one (emn --help) keeps the others', () => {
        const bundle = join(dir, 'bundle.cjs');
        writeFileSync(bundle, 'console.log("ran"); module.exports = 1;\n');
        expect(load(bundle, 'train')).toBe('ran\n');
        expect(load(bundle, 'check')).toBe('ran\n');
        expect(load(bundle, '')).toBe('ran\n');
        expect(caches().map(name => name.split('-')[1])).toEqual(['any', 'check', 'train']);
        // a new build of the bundle replaces that word's cache only
        writeFileSync(bundle, 'console.log("ran again"); module.exports = 2;\n');
        expect(load(bundle, 'train')).toBe('ran again\n');
        expect(caches().map(name => name.split('-')[1])).toEqual(['any', 'check', 'train']);
        expect(caches().filter(name => name.includes('-train-'))).toHaveLength(1);
    });
});
