// Seeded spec mutator: turns valid seed specs into broken, extreme or huge inputs, each reproducible from (seed, index).
import type { Corpus } from './corpus.js';
import { caseState, Rng } from './prng.js';

export interface FuzzCase {
    index: number;
    /** Name of the seed spec the case started from. */
    base: string;
    /** The mutations applied, in order (for the failure report). */
    ops: string[];
    text: string;
    huge: boolean;
}

export interface MutateOptions {
    /** Every `hugeEvery`-th case is a 10^5-line file (0: never). They are slow, so CI keeps them few. */
    hugeEvery: number;
}

const PUNCT = ['{', '}', '[', ']', '(', ')', ',', '<', '.', '-', '+', '/', '*', '"', "'", ';', ':', '=', '@', '#', '\\', '/*', '*/', '//'];
const NUMBERS = [
    '1e308',
    '-1e308',
    '1e309',
    '-1e309',
    '1e-320',
    '-1e-320',
    '5e-324',
    '0',
    '-0',
    '-0.0',
    '0.0',
    '.5',
    '5.',
    '-.5',
    'NaN',
    '-NaN',
    'Infinity',
    '-Infinity',
    'nan',
    'inf',
    '99999999999999999999',
    '-99999999999999999999',
    '9007199254740993',
    '4294967296',
    '2147483648',
    '-2147483649',
    '0.9999999999999999999',
    '1.0000000000000001',
    '1e',
    '1e+',
    '1e-',
    '--1',
    '+1',
    '0x10',
    '0b1',
    '1_000',
    '1.2.3',
    '00000001',
    '1e-7',
    '-1',
    '0.5',
    '1',
    '2',
    '3',
    '1'.repeat(400),
    '0.' + '0'.repeat(400) + '1',
    '1e99999',
];
const UNICODE = [
    '😀',
    '👩‍👩‍👧‍👦',
    '🏳️‍🌈',
    '\u202e',
    '\u202d',
    '\u200f',
    '\u200e',
    'שלום',
    'مرحبا',
    'e\u0301\u0301\u0301\u0301',
    '\u0338\u0336\u035c',
    '\ud800',
    '\udfff',
    '\udc00\ud800',
    '\ufeff',
    '\u200b',
    '\u2028',
    '\u2029',
    '\u00a0',
    '\u3000',
    '\u0085',
    '\ufffd',
    '\uffff',
    'ｓｉｚｅ',
    'ѕіzе',
    'ß',
    'İ',
    '\u{10ffff}',
    '\u{1d54f}',
    'x\u0000y',
];
const OPENERS = ['{', '[', '('];
const CLOSERS: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** Splits into tokens, keeping whitespace and comments, so `join('')` gives the text back. */
function tokenize(text: string): string[] {
    return text.match(/\/\/[^\n\r]*|\/\*[\s\S]*?\*\/|\s+|[_a-zA-Z]\w*|-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[\s\S]/g) ?? [];
}
const isSignificant = (t: string) => !/^\s*$/.test(t) && !t.startsWith('//') && !t.startsWith('/*');
const isNumber = (t: string) => /^-?(\d|\.\d)/.test(t);
const isIdent = (t: string) => /^[_a-zA-Z]/.test(t);

function significantIndices(tokens: string[]): number[] {
    const out: number[] = [];
    tokens.forEach((t, i) => {
        if (isSignificant(t)) out.push(i);
    });
    return out;
}

function randomChars(rng: Rng, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) {
        // control characters and Latin-1 bytes (what a binary file decodes to), sometimes a raw UTF-16 unit
        s += String.fromCharCode(rng.chance(0.4) ? rng.int(0, 0x1f) : rng.chance(0.8) ? rng.int(0x7f, 0xff) : rng.int(0, 0xffff));
    }
    return s;
}

function atom(rng: Rng, corpus: Corpus): string {
    switch (rng.weighted({ keyword: 5, punct: 3, number: 3, ident: 2, unicode: 1 })) {
        case 'keyword':
            return rng.pick(corpus.keywords);
        case 'punct':
            return rng.pick(PUNCT);
        case 'number':
            return rng.pick(NUMBERS);
        case 'ident':
            return rng.pick(['Matvec20', 'Emn', 'Weighted20', 'Paper', 'pool', 'X', '_', 'a1', 'Undefined']);
        default:
            return rng.pick(UNICODE);
    }
}

type Mutation = (rng: Rng, tokens: string[], corpus: Corpus) => string[];

const MUTATIONS: Record<string, { weight: number; apply: Mutation }> = {
    delete: {
        weight: 10,
        apply: (rng, t) => {
            const sig = significantIndices(t);
            if (sig.length === 0) return t;
            const at = rng.int(0, sig.length - 1);
            const count = rng.geometric(0.6, 5);
            const drop = new Set(sig.slice(at, at + count));
            return t.filter((_, i) => !drop.has(i));
        },
    },
    insert: {
        weight: 10,
        apply: (rng, t, c) => {
            const at = rng.int(0, t.length);
            const n = rng.geometric(0.5, 6);
            const parts = Array.from({ length: n }, () => atom(rng, c));
            const glue = rng.chance(0.7) ? ' ' : '';
            return [...t.slice(0, at), glue + parts.join(glue) + glue, ...t.slice(at)];
        },
    },
    swap: {
        weight: 6,
        apply: (rng, t) => {
            const sig = significantIndices(t);
            if (sig.length < 2) return t;
            const out = [...t];
            const a = rng.pick(sig),
                b = rng.pick(sig);
            [out[a], out[b]] = [out[b], out[a]];
            return out;
        },
    },
    duplicate: {
        weight: 6,
        apply: (rng, t) => {
            if (t.length === 0) return t;
            const from = rng.int(0, t.length - 1);
            const span = t.slice(from, from + rng.int(1, 60));
            const spanLength = span.reduce((n, x) => n + x.length, 0);
            // many copies of a short span, but never megabytes of a long line (that is `huge`'s job)
            const times = rng.chance(0.1) && spanLength < 20_000 ? rng.int(2, 50) : 1;
            const at = rng.int(0, t.length);
            return [...t.slice(0, at), ...Array.from({ length: times }, () => span).flat(), ...t.slice(at)];
        },
    },
    number: {
        weight: 8,
        apply: (rng, t) => {
            const nums = t.map((x, i) => (isNumber(x) ? i : -1)).filter(i => i >= 0);
            const out = [...t];
            if (nums.length === 0) return [...out, ' ', rng.pick(NUMBERS)];
            out[rng.pick(nums)] = rng.pick(NUMBERS);
            return out;
        },
    },
    keyword: {
        weight: 6,
        apply: (rng, t, c) => {
            const sig = significantIndices(t);
            if (sig.length === 0) return t;
            const out = [...t];
            out[rng.pick(sig)] = rng.pick(c.keywords);
            return out;
        },
    },
    bytes: {
        weight: 4,
        apply: (rng, t) => {
            const at = rng.int(0, t.length);
            return [...t.slice(0, at), randomChars(rng, rng.int(1, rng.chance(0.1) ? 2000 : 16)), ...t.slice(at)];
        },
    },
    unicode: {
        weight: 5,
        apply: (rng, t) => {
            const at = rng.int(0, t.length);
            const s = Array.from({ length: rng.geometric(0.5, 8) }, () => rng.pick(UNICODE)).join(rng.chance(0.5) ? '' : ' ');
            // sometimes glue it onto an identifier: `Emn😀`, `sizé`
            return [...t.slice(0, at), s, ...t.slice(at)];
        },
    },
    longIdent: {
        weight: 2,
        apply: (rng, t) => {
            const ids = t.map((x, i) => (isIdent(x) ? i : -1)).filter(i => i >= 0);
            const long = rng.pick(['x', 'Ab', '_9', 'matvec']).repeat(rng.pick([300, 5_000, 50_000]));
            if (ids.length === 0) return [...t, ' ', long];
            const out = [...t];
            out[rng.pick(ids)] = long;
            return out;
        },
    },
    nesting: {
        weight: 2,
        apply: (rng, t) => {
            const depth = rng.pick([10, 100, 1000, 10_000]);
            const open = rng.chance(0.5) ? rng.pick(OPENERS) : '';
            let s = '';
            for (let i = 0; i < depth; i++) s += open || rng.pick(OPENERS);
            let close = '';
            if (rng.chance(0.5)) for (let i = s.length - 1; i >= 0; i--) close += CLOSERS[s[i]];
            const at = rng.int(0, t.length);
            return [...t.slice(0, at), s, rng.chance(0.5) ? rng.pick(['', ' size 1 ', ' 1, 2 ', ' matvec ']) : '', close, ...t.slice(at)];
        },
    },
    longLine: {
        weight: 2,
        apply: (rng, t) => {
            if (rng.chance(0.3)) return [t.join('').replace(/[\r\n]+/g, ' ')]; // the whole spec on one line
            const unit = rng.pick(['size 1 ', '1, ', 'a', ' ', 'evaluate 1 samples ', '\t', '/**/']);
            const line = unit.repeat(Math.ceil(rng.pick([10_000, 100_000, 200_000]) / unit.length));
            const at = rng.int(0, t.length);
            return [...t.slice(0, at), line, ...t.slice(at)];
        },
    },
    bigList: {
        weight: 2,
        apply: (rng, t) => {
            const n = rng.pick([100, 1000, 20_000]);
            const values = Array.from({ length: n }, (_, i) => (rng.chance(0.05) ? rng.pick(NUMBERS) : String(i % 7))).join(', ');
            const decl = rng.chance(0.5)
                ? `\noperation Big { polynomial [${values}] }\n`
                : `\nexperiment BigSweep { learn Matvec20 with Emn sweep size [${values}], lr [${values}] }\n`;
            return [...t, decl];
        },
    },
    lineEndings: {
        weight: 2,
        apply: (rng, t) => {
            const eol = rng.pick(['\r\n', '\r', '\n\r', '\u2028', '\r\r\n']);
            return [t.join('').replace(/\r?\n/g, () => (rng.chance(0.8) ? eol : '\n'))];
        },
    },
    truncate: {
        weight: 5,
        apply: (rng, t) => {
            const text = t.join('');
            return [text.slice(0, rng.int(0, text.length))]; // may split a surrogate pair or a comment
        },
    },
    splice: {
        weight: 3,
        apply: (rng, t, c) => {
            const other = rng.pick(c.seeds).text;
            const a = rng.int(0, other.length),
                b = rng.int(a, other.length);
            const at = rng.int(0, t.length);
            return [...t.slice(0, at), other.slice(a, b), ...t.slice(at)];
        },
    },
    comment: {
        weight: 2,
        apply: (rng, t) => {
            const at = rng.int(0, t.length);
            return [...t.slice(0, at), rng.pick(['/*', '//', '/* unclosed', '*/', '/**/', '/*/', '///']), ...t.slice(at)];
        },
    },
    blank: { weight: 1, apply: rng => [rng.pick(['', ' ', '\n', '\n\n\n', '\t', '\r\n', '\ufeff', '\u0000'])] },
};

// Numbers the NUMBER terminal accepts: the text parses, so validation, linking, hover and the compiler see them
const VALID_NUMBERS = [
    '1e308',
    '-1e308',
    '1e309',
    '1e-320',
    '5e-324',
    '0',
    '-0',
    '-0.0',
    '.5',
    '5.',
    '99999999999999999999',
    '-1',
    '0.5',
    '0.9999999999999999',
    '1',
    '2',
    '3',
    '7',
    '64',
    '1000',
    '100000',
    '10000000',
    '2147483648',
    '4294967297',
    '1e-7',
    '1'.repeat(400),
    '-' + '9'.repeat(30),
    '1e-12',
    '0.000001',
];
const NAMES = ['Matvec20', 'Weighted20', 'Emn', 'Paper', 'Sizes', 'Power2', 'Filter', 'Deep', 'Interaction', 'Op', 'Net', 'E', 'Missing'];
const CHOICES = [
    ['rowwise', 'none'],
    ['none', 'relu', 'tanh'],
    ['fixed', 'shuffled', 'sparsity'],
    ['sgd', 'adam'],
    ['matvec', 'power 2', 'power 0', 'polynomial [1]', 'polynomial [0]'],
    ['binary', 'uniform(0, 1)', 'uniform(1, 0)', 'uniform(0, 0)', 'normal(0, 1)', 'normal(0, 0)', 'normal(0, -1)'],
    ['lr', 'momentum', 'beta1', 'beta2', 'epsilon'],
    ['size', 'sparsity', 'width', 'depth', 'masking', 'pool', 'batch', 'steps', 'lr', 'seed'],
    ['joint', 'metaEpochs 5 masks 64 steps 40', 'metaEpochs 0 masks 0 steps 0 order sparsity'],
    ['samples', 'samples on pool', 'samples on Weighted20', 'samples on Emn'],
];

/** False inside a `//` comment: a mutation there would change nothing the server sees. */
const inCode = (text: string, at: number) => text.lastIndexOf('//', at) <= text.lastIndexOf('\n', at);

/** Mutations that keep the text parseable, so validators, linking and LSP features run on odd but well-formed specs. */
const SEMANTIC: Record<string, (rng: Rng, text: string) => string> = {
    number: (rng, text) => {
        const nums = [...text.matchAll(/(?<![\w.])-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/g)].filter(m => inCode(text, m.index));
        if (nums.length === 0) return text;
        const m = rng.pick(nums);
        return text.slice(0, m.index) + rng.pick(VALID_NUMBERS) + text.slice(m.index + m[0].length);
    },
    rename: (rng, text) => {
        const ids = [...text.matchAll(/\b[A-Z]\w*\b/g)].filter(m => inCode(text, m.index));
        if (ids.length === 0) return text;
        const m = rng.pick(ids);
        return text.slice(0, m.index) + rng.pick(NAMES) + text.slice(m.index + m[0].length);
    },
    choice: (rng, text) => {
        const group = rng.pick(CHOICES);
        const hits = [
            ...text.matchAll(new RegExp(`\\b(${group.map(g => g.replace(/[()[\]]/g, '\\$&')).join('|')})(?![\\w(])`, 'g')),
        ].filter(m => inCode(text, m.index));
        if (hits.length === 0) return text;
        const m = rng.pick(hits);
        return text.slice(0, m.index) + rng.pick(group) + text.slice(m.index + m[0].length);
    },
    line: (rng, text) => {
        // property lines sit inside a declaration; moving or doubling one gives duplicates, missing `learn` and the like
        const lines = text.split('\n');
        const props = lines.map((l, i) => (/^\s+\w/.test(l) ? i : -1)).filter(i => i >= 0);
        if (props.length === 0) return text;
        const i = rng.pick(props);
        const op = rng.pick(['delete', 'double', 'move'] as const);
        if (op === 'delete') lines.splice(i, 1);
        else if (op === 'double') lines.splice(i, 0, ...Array.from({ length: rng.pick([1, 1, 5, 200]) }, () => lines[i]));
        else lines.splice(rng.pick(props), 0, lines.splice(i, 1)[0]);
        return lines.join('\n');
    },
    declaration: (rng, text) => {
        const decls = text.match(/^(operation|network|experiment)[^]*?^\}/gm) ?? [];
        if (decls.length === 0) return text;
        return rng.chance(0.5) ? text + '\n' + rng.pick(decls) + '\n' : text.replace(rng.pick(decls), '');
    },
};

const HUGE_LINES = 100_000;

/** A 10^5-line file: many declarations, or many lines of noise, or one declaration split over every line. */
function hugeText(rng: Rng, base: string, corpus: Corpus): { text: string; op: string } {
    const kind = rng.pick(['repeat', 'renamed', 'noise', 'tall'] as const);
    const lines: string[] = [];
    if (kind === 'repeat' || kind === 'renamed') {
        // `renamed` keeps names unique so linking and per-declaration validation do real work
        const baseLines = base.split('\n');
        for (let copy = 0; lines.length < HUGE_LINES; copy++) {
            for (const line of baseLines) {
                lines.push(
                    kind === 'renamed'
                        ? line.replace(/\b(Matvec20|Weighted20|Emn|Paper|Sizes|Power2|Filter|Deep|Interaction|Op|Net|E)\b/g, `$1_${copy}`)
                        : line,
                );
            }
        }
    } else if (kind === 'noise') {
        while (lines.length < HUGE_LINES) lines.push(Array.from({ length: rng.int(0, 6) }, () => atom(rng, corpus)).join(' '));
    } else {
        lines.push('operation Tall {');
        while (lines.length < HUGE_LINES - 1) lines.push(rng.pick(['size', '20', 'sparsity', '0.5', '', 'matvec', '// c']));
        lines.push('}');
    }
    return { text: lines.slice(0, HUGE_LINES).join('\n'), op: `huge:${kind}` };
}

/** The case `index` of the run seeded with `seed`: the same (seed, index, corpus) always gives the same text. */
export function makeCase(corpus: Corpus, seed: number, index: number, options: MutateOptions): FuzzCase {
    const rng = new Rng(caseState(seed, index));
    const baseSpec = rng.pick(corpus.seeds);
    const ops: string[] = [];
    const huge = options.hugeEvery > 0 && index % options.hugeEvery === options.hugeEvery - 1;
    let text = baseSpec.text;
    if (huge) {
        const h = hugeText(rng, text, corpus);
        ops.push(h.op);
        text = h.text;
    }
    // a few cases stay valid (the happy path must hold too); a third stay parseable; the rest get 1-8 mutations of any kind
    if (!huge && rng.chance(0.35)) {
        const n = rng.chance(0.1) ? 0 : rng.geometric(0.4, 6);
        for (let i = 0; i < n; i++) {
            const name = rng.pick(Object.keys(SEMANTIC));
            text = SEMANTIC[name](rng, text);
            ops.push(`semantic:${name}`);
        }
        return { index, base: baseSpec.name, ops, text, huge };
    }
    const count = huge ? rng.int(0, 1) : rng.chance(0.03) ? 0 : rng.geometric(0.45, 8);
    const names = Object.keys(MUTATIONS);
    const weights = Object.fromEntries(names.map(n => [n, MUTATIONS[n].weight]));
    for (let i = 0; i < count; i++) {
        // huge texts only get cheap, local mutations; re-tokenising 10^5 lines per op is slow
        const name = huge ? rng.pick(['insert', 'bytes', 'unicode', 'comment']) : rng.weighted(weights);
        text = MUTATIONS[name].apply(rng, tokenize(text), corpus).join('');
        ops.push(name);
    }
    return { index, base: baseSpec.name, ops, text, huge };
}
