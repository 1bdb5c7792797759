// Fuzz corpus and settings: seed specs (docs/language.md + examples/*.emn), grammar keywords, env config, failure files.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../fresh-dist.js';
import { seedFrom } from './prng.js';
import { DESIGN_SEEDS, type SeedSpec } from './seeds.js';

export { ROOT };
const FAILURE_DIR = join(ROOT, 'test-results', 'fuzz-failures');

export interface FuzzConfig {
    seed: number;
    seedText: string;
    cases: number;
    indices: number[];
}

/**
 * EMN_FUZZ_CASES (default `defaultCases`) and EMN_FUZZ_SEED (default fixed, so CI is deterministic);
 * EMN_FUZZ_ONLY=17,42 replays just those case indices (what a failure report tells you to run).
 */
export function fuzzConfig(defaultCases: number): FuzzConfig {
    const seedText = process.env.EMN_FUZZ_SEED?.trim() || '20240505';
    const cases = Number(process.env.EMN_FUZZ_CASES || defaultCases);
    if (!Number.isInteger(cases) || cases < 0)
        throw new Error(`EMN_FUZZ_CASES must be a non-negative integer; got ${process.env.EMN_FUZZ_CASES}`);
    const only = process.env.EMN_FUZZ_ONLY?.trim();
    const indices = only ? only.split(',').map(s => Number(s.trim())) : Array.from({ length: cases }, (_, i) => i);
    if (indices.some(i => !Number.isInteger(i) || i < 0)) throw new Error(`EMN_FUZZ_ONLY must list case indices; got ${only}`);
    return { seed: seedFrom(seedText), seedText, cases: indices.length, indices };
}

export interface Corpus {
    seeds: SeedSpec[];
    keywords: string[];
}

/** Seeds are read at run time so new examples and grammar keywords join the fuzzing without edits here. */
export function loadCorpus(): Corpus {
    const seeds = [...DESIGN_SEEDS];
    const examples = join(ROOT, 'examples');
    if (existsSync(examples)) {
        for (const name of readdirSync(examples)
            .filter(n => n.endsWith('.emn'))
            .sort()) {
            seeds.push({ name: `examples/${name}`, text: readFileSync(join(examples, name), 'utf8') });
        }
    }
    const grammar = readFileSync(join(ROOT, 'grammar', 'emn.langium'), 'utf8');
    const keywords = [...new Set([...grammar.matchAll(/'([^'\\]+)'/g)].map(m => m[1]))].sort();
    return { seeds, keywords };
}

/** Writes the failing input (exact text in the .json, lone surrogates escaped) and returns the .emn path. */
export function writeFailure(kind: string, config: FuzzConfig, index: number, text: string, details: object): string {
    mkdirSync(FAILURE_DIR, { recursive: true });
    const base = join(FAILURE_DIR, `${kind}-seed${config.seed}-case${index}`);
    writeFileSync(`${base}.emn`, text);
    writeFileSync(
        `${base}.json`,
        JSON.stringify(
            {
                kind,
                seed: config.seed,
                seedText: config.seedText,
                index,
                reproduce: `EMN_FUZZ_SEED=${config.seedText} EMN_FUZZ_ONLY=${index} npx vitest run test/fuzz-${kind}.test.ts`,
                ...details,
                text,
            },
            null,
            2,
        ),
    );
    return `${base}.emn`;
}
