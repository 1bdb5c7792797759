// The Matrix Market reader on the format's corner cases, and the graph normalisations (rows, symmetric, degree-zero rows).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMatrixMarket, type SparseMatrix } from '../engine/graphs/matrix-market.js';
import { isSymmetric, normalizeSparse, toDense } from '../engine/graphs/normalize.js';

function read(text: string): SparseMatrix {
    const parsed = parseMatrixMarket(text);
    if ('error' in parsed) throw new Error(`line ${parsed.error.line}: ${parsed.error.message}`);
    return parsed.file.matrix;
}

function errorOf(text: string): { line: number; message: string } {
    const parsed = parseMatrixMarket(text);
    if (!('error' in parsed)) throw new Error('expected an error');
    return parsed.error;
}

const dense = (m: SparseMatrix) => Array.from(toDense(m));

describe('parseMatrixMarket', () => {
    it('reads a real general file with comments and blank lines anywhere after the header', () => {
        const m = read('%%MatrixMarket matrix coordinate real general\n% a comment\n\n2 2 3\n1 1 1.5\n\n% mid\n2 1 -2e-1\r\n1 2 3\n');
        expect(m.n).toBe(2);
        expect(dense(m)).toEqual([1.5, 3, Math.fround(-0.2), 0]);
    });

    it('mirrors a symmetric file, counting its diagonal once', () => {
        const m = read('%%MatrixMarket matrix coordinate integer symmetric\n3 3 3\n1 1 4\n2 1 1\n3 2 7\n');
        expect(dense(m)).toEqual([4, 1, 0, 1, 0, 7, 0, 7, 0]);
        expect(isSymmetric(m)).toBe(true);
    });

    it('gives pattern entries the value 1 and sums duplicates', () => {
        const m = read('%%MatrixMarket matrix coordinate pattern general\n2 2 3\n1 2\n1 2\n2 1\n');
        expect(dense(m)).toEqual([0, 2, 1, 0]);
        expect(m.values).toHaveLength(2);
    });

    it('reads the shipped karate club: 34 nodes, 78 edges stored once, 156 entries, degrees 16 and 17 at the two leaders', () => {
        const parsed = parseMatrixMarket(readFileSync(join(__dirname, '..', 'examples', 'graphs', 'karate.mtx'), 'utf8'));
        if ('error' in parsed) throw new Error(parsed.error.message);
        const m = parsed.file.matrix;
        expect([m.n, parsed.file.declaredEntries, m.values.length]).toEqual([34, 78, 156]);
        const degree = (i: number) => m.rows.filter(r => r === i).length;
        expect([degree(0), degree(33)]).toEqual([16, 17]);
        expect(isSymmetric(m)).toBe(true);
    });

    it.each([
        ['', 1, 'the first line must be the header'],
        ['%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n', 1, 'array format'],
        ['%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n', 1, 'complex entries are not supported'],
        ['%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n2 1 1\n', 1, 'skew-symmetric matrices are not supported'],
        ['%%MatrixMarket vector coordinate real general\n', 1, 'not a matrix'],
        ['%%MatrixMarket matrix coordinate real general\n% only comments\n', 2, 'the size line'],
        ['%%MatrixMarket matrix coordinate real general\n2 3 1\n1 1 1\n', 2, 'A must be square'],
        ['%%MatrixMarket matrix coordinate real general\n2 two 1\n', 2, 'three whole numbers'],
        ['%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n', 3, 'index 3 is out of range'],
        ['%%MatrixMarket matrix coordinate real general\n2 2 1\n0 1 1\n', 3, 'index 0 is out of range'],
        ['%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n', 3, 'declares 2 entries but the file has 1'],
        ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n% c\n2 2 1\n', 5, 'more entries than the 1'],
        ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1\n', 3, 'row column value'],
        ['%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 abc\n', 3, 'not a finite number'],
        ['%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 0.5\n', 3, 'not an integer'],
        ['%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 2 1\n', 3, 'above the diagonal'],
    ])('refuses %j at line %i: %s', (text, line, message) => {
        const error = errorOf(text);
        expect(error.line).toBe(line);
        expect(error.message).toContain(message);
    });
});

describe('normalizeSparse', () => {
    const path = read('%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 2\n'); // 1 - 2 - 3

    it('rows: D^-1 A, each row summing to 1', () => {
        const r = normalizeSparse(path, 'rows');
        if ('error' in r) throw new Error(r.error);
        expect(dense(r.matrix)).toEqual([0, 1, 0, 0.5, 0, 0.5, 0, 1, 0]);
    });

    it('symmetric: D^-1/2 A D^-1/2, no self-loops added', () => {
        const r = normalizeSparse(path, 'symmetric');
        if ('error' in r) throw new Error(r.error);
        const s = Math.fround(1 / Math.sqrt(2));
        expect(dense(r.matrix)).toEqual([0, s, 0, s, 0, s, 0, s, 0]);
    });

    it('keeps rows of degree zero at zero', () => {
        const isolated = read('%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n2 1\n');
        for (const mode of ['rows', 'symmetric'] as const) {
            const r = normalizeSparse(isolated, mode);
            if ('error' in r) throw new Error(r.error);
            expect(dense(r.matrix).slice(6)).toEqual([0, 0, 0]);
            expect(r.matrix.values.every(Number.isFinite)).toBe(true);
        }
    });

    it('refuses symmetric on a matrix that is not symmetric, and on a negative degree', () => {
        const directed = read('%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 2\n');
        expect(normalizeSparse(directed, 'symmetric')).toEqual({ error: expect.stringContaining('needs a symmetric A') });
        const negative = read('%%MatrixMarket matrix coordinate real symmetric\n2 2 2\n1 1 -3\n2 1 1\n');
        expect(normalizeSparse(negative, 'symmetric')).toEqual({ error: expect.stringContaining('row 1 sums to -2') });
    });
});
