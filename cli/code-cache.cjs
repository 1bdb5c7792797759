// Loads a CommonJS bundle through V8's code cache (per user, bundle build and Node version), so that a bundle of
// megabytes starts without compiling its functions again. Bundled to dist/code-cache.cjs for bin/emn.cjs and the workers.
'use strict';
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

/** globalThis[SAVE](), when set, writes the cache now (training-worker.ts calls it after its first job). */
const SAVE = Symbol.for('emn-studio.saveCodeCache');

/** The folder of the caches: $XDG_CACHE_HOME/emn-studio/v8, else ~/.cache/emn-studio/v8 (a user's own folder). */
function cacheFolder(env = process.env) {
    return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'emn-studio', 'v8');
}

/**
 * Runs `file` as the module `require(file)` would, with V8's code cache when there is one for this exact file (size,
 * modification time), Node and `variant` (the command: each compiles other functions), and writes one at exit when there was none (or V8 refused it). EMN_CODE_CACHE=0, or
 * any failure around the cache, falls back to a plain require: the cache only ever saves time.
 */
function requireWithCodeCache(file, variant = '') {
    if (process.env.EMN_CODE_CACHE === '0') return require(file);
    let source, prefix, cachePath, cached;
    try {
        const st = statSync(file);
        source = readFileSync(file, 'utf8');
        // every name carries a variant, so that one variant's prefix never matches another's caches
        prefix = `${basename(file)}-${variant.replace(/[^a-z]/gi, '') || 'any'}-`;
        cachePath = join(cacheFolder(), `${prefix}${st.size}-${Math.round(st.mtimeMs)}-${process.version}-${process.arch}.bin`);
        if (existsSync(cachePath)) cached = readFileSync(cachePath);
    } catch {
        return require(file);
    }
    const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached });
    if (!cached || script.cachedDataRejected) {
        let saved = false;
        // once the run compiled what it uses (at exit; a worker thread, which is terminated, when its first job is done)
        const save = () => {
            if (saved) return;
            saved = true;
            try {
                mkdirSync(dirname(cachePath), { recursive: true });
                const partial = `${cachePath}.${process.pid}`;
                writeFileSync(partial, script.createCachedData());
                renameSync(partial, cachePath);
                // caches of earlier builds of this bundle (this variant's) are of no use any more
                for (const old of readdirSync(dirname(cachePath))) {
                    if (old.startsWith(prefix) && old !== basename(cachePath) && old.endsWith('.bin'))
                        rmSync(join(dirname(cachePath), old), { force: true });
                }
            } catch {
                // no cache this time (read-only home, full disk): the next run compiles again
            }
        };
        process.once('exit', save);
        globalThis[SAVE] = save;
    }
    const mod = new Module(file, module);
    mod.filename = file;
    mod.paths = Module._nodeModulePaths(dirname(file));
    Module._cache[file] = mod;
    script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
    mod.loaded = true;
    return mod.exports;
}

module.exports = { requireWithCodeCache, cacheFolder, SAVE };
