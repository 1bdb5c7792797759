// The singular value decomposition of a small dense matrix by one-sided Jacobi rotations (Hestenes), in float64.

export interface Svd {
    /** Left singular vectors, m x n row-major (column c is u_c; zero for a zero singular value). */
    u: Float64Array;
    /** Singular values, descending. */
    s: number[];
    /** Right singular vectors, n x n row-major (column c is v_c). */
    v: Float64Array;
}

/** Sweeps before giving up; Jacobi converges quadratically, so a well-scaled n <= 200 takes about 10. */
const MAX_SWEEPS = 60;

/**
 * A = U diag(s) V^T for A m x n (row-major). Orthogonalises the columns of A by plane rotations applied on the right
 * (accumulated in V) until every pair is orthogonal to machine precision; the column norms are then the singular values
 * and the normalised columns U. Zero singular values get zero columns in U (their left vectors are not needed here).
 */
export function svd(a: ArrayLike<number>, m: number, n: number): Svd {
    const w = Float64Array.from(a);
    const v = new Float64Array(n * n);
    for (let i = 0; i < n; i++) v[i * n + i] = 1;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        let rotated = false;
        for (let p = 0; p < n - 1; p++)
            for (let q = p + 1; q < n; q++) {
                let alpha = 0,
                    beta = 0,
                    gamma = 0;
                for (let i = 0; i < m; i++) {
                    const wp = w[i * n + p],
                        wq = w[i * n + q];
                    alpha += wp * wp;
                    beta += wq * wq;
                    gamma += wp * wq;
                }
                if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
                rotated = true;
                const zeta = (beta - alpha) / (2 * gamma);
                const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                const c = 1 / Math.sqrt(1 + t * t),
                    s = c * t;
                for (let i = 0; i < m; i++) {
                    const wp = w[i * n + p],
                        wq = w[i * n + q];
                    w[i * n + p] = c * wp - s * wq;
                    w[i * n + q] = s * wp + c * wq;
                }
                for (let i = 0; i < n; i++) {
                    const vp = v[i * n + p],
                        vq = v[i * n + q];
                    v[i * n + p] = c * vp - s * vq;
                    v[i * n + q] = s * vp + c * vq;
                }
            }
        if (!rotated) break;
    }
    const norms = Array.from({ length: n }, (_, c) => {
        let sum = 0;
        for (let i = 0; i < m; i++) sum += w[i * n + c] ** 2;
        return Math.sqrt(sum);
    });
    const order = norms.map((_, c) => c).sort((p, q) => norms[q] - norms[p]);
    const u = new Float64Array(m * n),
        vs = new Float64Array(n * n);
    order.forEach((c, k) => {
        for (let i = 0; i < m; i++) u[i * n + k] = norms[c] > 0 ? w[i * n + c] / norms[c] : 0;
        for (let i = 0; i < n; i++) vs[i * n + k] = v[i * n + c];
    });
    return { u, s: order.map(c => norms[c]), v: vs };
}

/** The spectral norm ||A||_2 (the largest singular value). */
export function spectralNorm(a: ArrayLike<number>, m: number, n: number): number {
    return m === 0 || n === 0 ? 0 : svd(a, m, n).s[0];
}
