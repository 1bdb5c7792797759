// The graph normalisations of A (none, D^-1 A, D^-1/2 A D^-1/2) on sparse and dense matrices, and A's support.
import type { SparseMatrix } from './matrix-market.js';

/** `normalize none | rows | symmetric`: A, D^-1 A or D^-1/2 A D^-1/2 with D the row sums (degrees); no self-loops added. */
export type Normalization = 'none' | 'rows' | 'symmetric';

/** Whether A[i][j] = A[j][i] for every entry. */
export function isSymmetric(m: SparseMatrix): boolean {
    const at = new Map<number, number>();
    m.rows.forEach((i, k) => at.set(i * m.n + m.cols[k], m.values[k]));
    return m.rows.every((i, k) => (at.get(m.cols[k] * m.n + i) ?? 0) === m.values[k]);
}

/** Row sums: the (weighted) degrees. */
function degrees(n: number, rowOf: (k: number) => number, valueOf: (k: number) => number, count: number): Float64Array {
    const d = new Float64Array(n);
    for (let k = 0; k < count; k++) d[rowOf(k)] += valueOf(k);
    return d;
}

/**
 * The normalised matrix, or why it has none. Rows of degree zero stay zero (their entries are dropped); `symmetric`
 * needs a symmetric A with non-negative degrees (a square root of a negative degree is not a number).
 */
export function normalizeSparse(m: SparseMatrix, mode: Normalization): { matrix: SparseMatrix } | { error: string } {
    if (mode === 'none') return { matrix: m };
    if (mode === 'symmetric' && !isSymmetric(m)) {
        return { error: 'normalize symmetric needs a symmetric A (A[i][j] = A[j][i]); this one is not: use normalize rows' };
    }
    const d = degrees(
        m.n,
        k => m.rows[k],
        k => m.values[k],
        m.values.length,
    );
    const negative = d.findIndex(v => v < 0);
    if (mode === 'symmetric' && negative >= 0) {
        return { error: `normalize symmetric needs non-negative degrees; row ${negative + 1} sums to ${d[negative]}` };
    }
    const scale = (v: number) => (v === 0 ? 0 : mode === 'symmetric' ? 1 / Math.sqrt(v) : 1 / v);
    const out: SparseMatrix = { n: m.n, rows: [], cols: [], values: [] };
    m.values.forEach((v, k) => {
        const i = m.rows[k],
            j = m.cols[k];
        const value = mode === 'symmetric' ? v * scale(d[i]) * scale(d[j]) : v * scale(d[i]);
        if (value === 0) return;
        out.rows.push(i);
        out.cols.push(j);
        out.values.push(value);
    });
    return { matrix: out };
}

/** Normalises a dense row-major n x n matrix in place by rows (D^-1 A): what a freshly drawn A gets under `normalize rows`. */
export function normalizeRowsDense(a: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j];
        const inv = s === 0 ? 0 : 1 / s;
        for (let j = 0; j < n; j++) a[i * n + j] *= inv;
    }
}

/** The dense row-major form of a sparse matrix. */
export function toDense(m: SparseMatrix, out: Float32Array = new Float32Array(m.n * m.n)): Float32Array {
    out.fill(0);
    m.values.forEach((v, k) => (out[m.rows[k] * m.n + m.cols[k]] = v));
    return out;
}
