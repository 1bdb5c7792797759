// AssemblyScript: the dense layers of emn-layers.as.ts (pruning none) as f32x4 matrix products, register-blocked 4 x 8.
// Compiled into emn-layers.wasm through emn-layers.as.ts's import. Not TypeScript for tsc.

import { activate } from './layer-kernels.as';

/*
 * Row-major matrices with byte offsets and row strides in floats; column counts are multiples of 4. Every output
 * element is one sum in ascending order of the inner index, whichever block computes it: the blocking changes the
 * speed, not the numbers.
 */

// @ts-ignore: decorator
@inline function at(base: usize, row: i32, stride: i32, col: i32): usize {
    return base + (<usize>(row * stride + col) << 2);
}

/** c [rows, M] = act(a [rows, K] @ bm [K, M]) (act 0: none); lda, ldc: row strides of a and c (bm's is M). */
export function gemm(rows: i32, K: i32, M: i32, a: usize, lda: i32, bm: usize, c: usize, ldc: i32, act: i32): void {
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
        let o = 0;
        for (; o + 8 <= M; o += 8) {
            let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
            let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
            // pointers stepped through the inner loop: no index arithmetic per product
            const stride = <usize>lda << 2, wStep = <usize>M << 2;
            let pa = at(a, r, lda, 0), pw = at(bm, 0, M, o);
            for (let k = 0; k < K; k++, pa += 4, pw += wStep) {
                const w0 = v128.load(pw), w1 = v128.load(pw, 16);
                const a0 = v128.load32_splat(pa), a1 = v128.load32_splat(pa + stride);
                const a2 = v128.load32_splat(pa + 2 * stride), a3 = v128.load32_splat(pa + 3 * stride);
                c00 = f32x4.add(c00, f32x4.mul(a0, w0)); c01 = f32x4.add(c01, f32x4.mul(a0, w1));
                c10 = f32x4.add(c10, f32x4.mul(a1, w0)); c11 = f32x4.add(c11, f32x4.mul(a1, w1));
                c20 = f32x4.add(c20, f32x4.mul(a2, w0)); c21 = f32x4.add(c21, f32x4.mul(a2, w1));
                c30 = f32x4.add(c30, f32x4.mul(a3, w0)); c31 = f32x4.add(c31, f32x4.mul(a3, w1));
            }
            v128.store(at(c, r, ldc, o), activate(c00, act)); v128.store(at(c, r, ldc, o), activate(c01, act), 16);
            v128.store(at(c, r + 1, ldc, o), activate(c10, act)); v128.store(at(c, r + 1, ldc, o), activate(c11, act), 16);
            v128.store(at(c, r + 2, ldc, o), activate(c20, act)); v128.store(at(c, r + 2, ldc, o), activate(c21, act), 16);
            v128.store(at(c, r + 3, ldc, o), activate(c30, act)); v128.store(at(c, r + 3, ldc, o), activate(c31, act), 16);
        }
        for (; o < M; o += 4) for (let t = 0; t < 4; t++) gemmRow4(r + t, o, K, M, a, lda, bm, c, ldc, act);
    }
    for (; r < rows; r++) for (let o = 0; o < M; o += 4) gemmRow4(r, o, K, M, a, lda, bm, c, ldc, act);
}

/** Four outputs of gemm: c[r][o..o+3]. */
function gemmRow4(r: i32, o: i32, K: i32, M: i32, a: usize, lda: i32, bm: usize, c: usize, ldc: i32, act: i32): void {
    let acc = f32x4.splat(0);
    for (let k = 0; k < K; k++) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(at(a, r, lda, k)), v128.load(at(bm, k, M, o))));
    v128.store(at(c, r, ldc, o), activate(acc, act));
}

/** c [K, M] = a^T @ g for a [rows, K] (row stride lda) and g [rows, M]: the weight gradient, summed over rows ascending. */
export function gemmAtB(rows: i32, K: i32, M: i32, a: usize, lda: i32, g: usize, c: usize): void {
    for (let k = 0; k < K; k += 4) {
        let o = 0;
        for (; o + 8 <= M; o += 8) {
            let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
            let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
            const aStep = <usize>lda << 2, gStep = <usize>M << 2;
            let pa = at(a, 0, lda, k), pg = at(g, 0, M, o);
            for (let b = 0; b < rows; b++, pa += aStep, pg += gStep) {
                const g0 = v128.load(pg), g1 = v128.load(pg, 16);
                const u = v128.load(pa);
                const a0 = v128.shuffle<f32>(u, u, 0, 0, 0, 0), a1 = v128.shuffle<f32>(u, u, 1, 1, 1, 1);
                const a2 = v128.shuffle<f32>(u, u, 2, 2, 2, 2), a3 = v128.shuffle<f32>(u, u, 3, 3, 3, 3);
                c00 = f32x4.add(c00, f32x4.mul(a0, g0)); c01 = f32x4.add(c01, f32x4.mul(a0, g1));
                c10 = f32x4.add(c10, f32x4.mul(a1, g0)); c11 = f32x4.add(c11, f32x4.mul(a1, g1));
                c20 = f32x4.add(c20, f32x4.mul(a2, g0)); c21 = f32x4.add(c21, f32x4.mul(a2, g1));
                c30 = f32x4.add(c30, f32x4.mul(a3, g0)); c31 = f32x4.add(c31, f32x4.mul(a3, g1));
            }
            v128.store(at(c, k, M, o), c00); v128.store(at(c, k, M, o), c01, 16);
            v128.store(at(c, k + 1, M, o), c10); v128.store(at(c, k + 1, M, o), c11, 16);
            v128.store(at(c, k + 2, M, o), c20); v128.store(at(c, k + 2, M, o), c21, 16);
            v128.store(at(c, k + 3, M, o), c30); v128.store(at(c, k + 3, M, o), c31, 16);
        }
        for (; o < M; o += 4)
            for (let t = 0; t < 4; t++) {
                let acc = f32x4.splat(0);
                for (let b = 0; b < rows; b++) {
                    acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(at(a, b, lda, k + t)), v128.load(at(g, b, M, o))));
                }
                v128.store(at(c, k + t, M, o), acc);
            }
    }
}

/** dst [cols, rows] = src [rows, cols]^T. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) store<f32>(at(dst, c, rows, r), load<f32>(at(src, r, cols, c)));
}
