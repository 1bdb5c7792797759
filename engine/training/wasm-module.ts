// Finds, compiles (once per process) and instantiates the project's SIMD wasm modules (emn-step.wasm, emn-layers.wasm).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../error-message.js';
import type { OptimizerStep } from './emn-kernels.js';

type Fn = (...args: number[]) => number;

const here = dirname(fileURLToPath(import.meta.url));
const compiled = new Map<string, { module?: WebAssembly.Module; error?: string }>();

/** The compiled module `file`, or why there is none (no .wasm beside the bundle, no SIMD in this runtime). */
export function wasmModule(file: string): { module?: WebAssembly.Module; error?: string } {
    let entry = compiled.get(file);
    if (entry) return entry;
    // beside the bundle (dist/), else the repository's dist/ when running from source (tests, bench)
    const path = [join(here, file), join(here, '..', '..', 'dist', file)].find(p => existsSync(p));
    if (!path) entry = { error: `${file} not found beside ${here} (run node esbuild.mjs)` };
    else
        try {
            entry = { module: new WebAssembly.Module(readFileSync(path)) };
        } catch (err) {
            entry = { error: `${file} failed to compile: ${errorMessage(err)}` };
        }
    compiled.set(file, entry);
    return entry;
}

/**
 * A fresh instance of `file` (its own memory), its memory and the functions `names`, each checked to be there; `env`
 * adds imports beside `abort`.
 */
export function instantiate<N extends string>(
    file: string,
    names: readonly N[],
    env: Record<string, (...args: number[]) => number> = {},
): { memory: WebAssembly.Memory } & Record<N, Fn> {
    const { module, error } = wasmModule(file);
    if (!module) throw new Error(`the SIMD kernel is unavailable: ${error}`);
    const abort = () => {
        throw new Error(`${file} aborted`);
    };
    const e = new WebAssembly.Instance(module, { env: { abort, ...env } }).exports;
    const memory = e.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new Error(`${file} exports no memory`);
    const fns = {} as Record<N, Fn>;
    for (const name of names) {
        const f = e[name];
        if (typeof f !== 'function') throw new Error(`${file} lacks ${name} (rebuild: node esbuild.mjs)`);
        fns[name] = f as Fn;
    }
    return { memory, ...fns };
}

/** An optimiser step as the wasm steps take it: kind (0 sgd, 1 adam), rate, momentum, beta1, beta2, epsilon. */
export function wasmOptimizerArgs(opt: OptimizerStep): [number, number, number, number, number, number] {
    return opt.kind === 'sgd' ? [0, opt.lr, opt.momentum, 0, 0, 0] : [1, opt.lrT, 0, opt.beta1, opt.beta2, opt.epsilon];
}
