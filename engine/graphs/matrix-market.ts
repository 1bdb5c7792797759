// Reads Matrix Market coordinate files (real, integer or pattern; general or symmetric) into a square sparse matrix.
// No kept reader exists on npm (checked: none is published under matrix-market / matrixmarket), so this is the project's.

/** A square sparse matrix in coordinate form: entry k is A[rows[k]][cols[k]] = values[k] (0-based, row-major, no duplicates). */
export interface SparseMatrix {
    n: number;
    rows: number[];
    cols: number[];
    values: number[];
}

export interface MatrixMarketFile {
    matrix: SparseMatrix;
    field: 'real' | 'integer' | 'pattern';
    symmetry: 'general' | 'symmetric';
    /** The entry count the size line declares (a symmetric file stores one triangle). */
    declaredEntries: number;
}

/** What is wrong with a file, and on which 1-based line. */
export interface MatrixMarketError {
    line: number;
    message: string;
}

const HEADER_FORM = '%%MatrixMarket matrix coordinate real|integer|pattern general|symmetric';

/** The file's matrix, or the first thing wrong with it (duplicate entries are summed; a symmetric file is mirrored). */
export function parseMatrixMarket(text: string): { file: MatrixMarketFile } | { error: MatrixMarketError } {
    const lines = text.split(/\r?\n/);
    const fail = (line: number, message: string) => ({ error: { line, message } });
    const header = (lines[0] ?? '').trim().split(/\s+/);
    if (header[0]?.toLowerCase() !== '%%matrixmarket') {
        return fail(1, `the first line must be the header \`${HEADER_FORM}\``);
    }
    const [object, format, field, symmetry] = header.slice(1).map(word => word.toLowerCase());
    if (object !== 'matrix') return fail(1, `the header names a ${object ?? 'nothing'}, not a matrix: \`${HEADER_FORM}\``);
    if (format === 'array') return fail(1, 'array format (a dense matrix) is not supported: write the file in coordinate format');
    if (format !== 'coordinate') return fail(1, `unknown format ${format ?? '(none)'}: the header reads \`${HEADER_FORM}\``);
    if (field === 'complex') return fail(1, 'complex entries are not supported: A must be real, integer or pattern');
    if (field !== 'real' && field !== 'integer' && field !== 'pattern') {
        return fail(1, `unknown field ${field ?? '(none)'}: the entries are real, integer or pattern`);
    }
    if (symmetry === 'skew-symmetric' || symmetry === 'hermitian') {
        return fail(1, `${symmetry} matrices are not supported: the symmetry is general or symmetric`);
    }
    if (symmetry !== 'general' && symmetry !== 'symmetric') {
        return fail(1, `unknown symmetry ${symmetry ?? '(none)'}: the symmetry is general or symmetric`);
    }
    if (header.length > 5) return fail(1, `the header has ${header.length} words, 5 expected: \`${HEADER_FORM}\``);

    // comments (%) and blank lines may come anywhere after the header
    const content = (k: number) => {
        const t = lines[k].trim();
        return t === '' || t.startsWith('%') ? undefined : t;
    };
    // where the file ends, for what is missing at its end: its last line that is not blank
    let end = lines.length;
    while (end > 1 && lines[end - 1].trim() === '') end--;
    let k = 1;
    while (k < lines.length && content(k) === undefined) k++;
    if (k >= lines.length) return fail(end, 'the size line `rows columns entries` is missing');
    const size = content(k)!.split(/\s+/);
    const sizeLine = k + 1;
    if (size.length !== 3 || !size.every(isCount)) {
        return fail(sizeLine, `the size line must be three whole numbers \`rows columns entries\`; found \`${content(k)}\``);
    }
    const [rows, cols, declared] = size.map(Number);
    if (rows !== cols) return fail(sizeLine, `the matrix is ${rows} x ${cols}: A must be square (an n x n adjacency or operator)`);
    if (rows < 1) return fail(sizeLine, 'the matrix has no rows: n must be at least 1');
    const n = rows;
    const sums = new Map<number, number>();
    let seen = 0;
    for (k++; k < lines.length; k++) {
        const line = content(k);
        if (line === undefined) continue;
        const at = k + 1;
        if (seen === declared) return fail(at, `more entries than the ${declared} the size line declares`);
        const words = line.split(/\s+/);
        const expected = field === 'pattern' ? 2 : 3;
        if (words.length !== expected) {
            return fail(at, `an entry of a ${field} file is \`row column${field === 'pattern' ? '' : ' value'}\`; found \`${line}\``);
        }
        const [i, j] = [words[0], words[1]].map(Number);
        for (const [index, word] of [
            [i, words[0]],
            [j, words[1]],
        ] as const) {
            if (!isCount(word) || index < 1 || index > n) {
                return fail(at, `index ${word} is out of range: the matrix is ${n} x ${n} (indices 1 to ${n})`);
            }
        }
        let value = 1;
        if (field !== 'pattern') {
            value = Number(words[2]);
            if (!isNumber(words[2]) || !Number.isFinite(value)) return fail(at, `the value \`${words[2]}\` is not a finite number`);
            if (field === 'integer' && !Number.isInteger(value))
                return fail(at, `the value ${words[2]} is not an integer (the field is integer)`);
        }
        if (symmetry === 'symmetric' && j > i) {
            return fail(at, `entry ${i} ${j} is above the diagonal: a symmetric file stores the lower triangle (row >= column)`);
        }
        add(sums, (i - 1) * n + (j - 1), value);
        if (symmetry === 'symmetric' && i !== j) add(sums, (j - 1) * n + (i - 1), value);
        seen++;
    }
    if (seen < declared) return fail(end, `the size line declares ${declared} entries but the file has ${seen}`);
    const keys = [...sums.keys()].sort((a, b) => a - b);
    return {
        file: {
            matrix: { n, rows: keys.map(e => Math.floor(e / n)), cols: keys.map(e => e % n), values: keys.map(e => sums.get(e)!) },
            field,
            symmetry,
            declaredEntries: declared,
        },
    };
}

function add(sums: Map<number, number>, key: number, value: number): void {
    sums.set(key, (sums.get(key) ?? 0) + value);
}

function isCount(word: string): boolean {
    return /^\d+$/.test(word);
}

function isNumber(word: string): boolean {
    return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(word);
}
