// AssemblyScript: the layers of emn-layers.as.ts (masked, message passing, pruned, output) forward and backward in f32x4.
// Compiled into emn-layers.wasm through emn-layers.as.ts's import. Not TypeScript for tsc.

/*
 * Every function takes its sizes and byte offsets as arguments (no module state): B samples, n clusters, w units
 * (W4 padded to lanes), activations [B, n, W4] (b, i, c). kept/count: for sample b and row i of A_b, the columns j
 * with A_b[i][j] = 1 in ascending order (u16 at kept + ((b n + i) n + r) 2) and how many (i32 at count + (b n + i) 4):
 * A is binary, so a gated sum is a sum over the kept columns, the zeros skipped.
 * Sums over j ascend, sums over b ascend: the numbers depend only on the batch and the weights (bit for bit per kernel).
 */

// @ts-ignore: decorator
@inline function f32At(base: usize, index: i32): usize {
    return base + (<usize>index << 2);
}

// @ts-ignore: decorator
@inline function keptAt(kept: usize, n: i32, b: i32, i: i32, r: i32): i32 {
    return <i32>load<u16>(kept + (<usize>((b * n + i) * n + r) << 1));
}

// @ts-ignore: decorator
@inline function countAt(count: usize, n: i32, b: i32, i: i32): i32 {
    return load<i32>(count + (<usize>(b * n + i) << 2));
}

function tanh4(z: v128): v128 {
    return f32x4(Mathf.tanh(f32x4.extract_lane(z, 0)), Mathf.tanh(f32x4.extract_lane(z, 1)),
        Mathf.tanh(f32x4.extract_lane(z, 2)), Mathf.tanh(f32x4.extract_lane(z, 3)));
}

/** The activation of four units (0 none, 1 relu, 2 tanh); the cheap cases first (see emn-step.as.ts activate). */
// @ts-ignore: decorator
@inline export function activate(z: v128, act: i32): v128 {
    if (act == 0) return z;
    if (act == 1) return f32x4.max(z, f32x4.splat(0));
    return tanh4(z);
}

/** g * act'(z) for every unit of [count] floats, written with the activation's output h, in place. */
export function throughActivation(g: usize, h: usize, floats: i32, act: i32): void {
    if (act == 0) return;
    for (let e = 0; e < floats; e += 4) {
        const at = <usize>e << 2, gv = v128.load(g + at), hv = v128.load(h + at);
        const out = act == 1 ? v128.and(gv, f32x4.gt(hv, f32x4.splat(0))) : f32x4.mul(gv, f32x4.sub(f32x4.splat(1), f32x4.mul(hv, hv)));
        v128.store(g + at, out);
    }
}

/** Horizontal sum of four lanes, in lane order. */
// @ts-ignore: decorator
@inline function lanes(v: v128): f32 {
    return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Masking layer 1: h[b][i] = act( sum_{j kept} x_b[j] W1[i][j] (+ x_b[i] S1[i]) ). x [B, N4]; W1 [n, N4, W4]; S1 [n, W4]
 * (s1 = 0: no skip channel).
 */
export function maskedForward(B: i32, n: i32, N4: i32, W4: i32, x: usize, kept: usize, count: usize, w1: usize, s1: usize,
    h: usize, act: i32): void {
    for (let b = 0; b < B; b++) {
        const xb = f32At(x, b * N4);
        for (let i = 0; i < n; i++) {
            const cnt = countAt(count, n, b, i), wi = f32At(w1, i * N4 * W4);
            for (let q = 0; q < W4; q += 4) {
                let acc = f32x4.splat(0);
                for (let r = 0; r < cnt; r++) {
                    const j = keptAt(kept, n, b, i, r);
                    acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(f32At(xb, j)), v128.load(f32At(wi, j * W4 + q))));
                }
                if (s1) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(f32At(xb, i)), v128.load(f32At(s1, i * W4 + q))));
                v128.store(f32At(h, (b * n + i) * W4 + q), activate(acc, act));
            }
        }
    }
}

/**
 * A message-passing layer: out[b][i] = act( sum_{j kept} sum_c' in[b][j][c'] Wm[i][j][c'] (+ sum_c' in[b][i][c'] S[i][c']) ).
 * Wm [n, n, W4, W4] (i, j, c', c); S [n, W4, W4] (i, c', c) (s = 0: none).
 */
export function messageForward(B: i32, n: i32, w: i32, W4: i32, kept: usize, count: usize, hIn: usize, wm: usize, s: usize,
    hOut: usize, act: i32): void {
    const block = W4 * W4;
    for (let b = 0; b < B; b++) {
        const hb = f32At(hIn, b * n * W4);
        for (let i = 0; i < n; i++) {
            const cnt = countAt(count, n, b, i), wi = f32At(wm, i * n * block);
            for (let q = 0; q < W4; q += 4) {
                let acc = f32x4.splat(0);
                for (let r = 0; r < cnt; r++) {
                    const j = keptAt(kept, n, b, i, r), hj = f32At(hb, j * W4), wij = f32At(wi, j * block + q);
                    for (let c = 0; c < w; c++) {
                        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(f32At(hj, c)), v128.load(f32At(wij, c * W4))));
                    }
                }
                if (s) {
                    const hi = f32At(hb, i * W4), si = f32At(s, i * block + q);
                    for (let c = 0; c < w; c++) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(f32At(hi, c)), v128.load(f32At(si, c * W4))));
                }
                v128.store(f32At(hOut, (b * n + i) * W4 + q), activate(acc, act));
            }
        }
    }
}

/** A pruned layer (cluster i to cluster i): out[b][i] = act( sum_c' in[b][i][c'] Wl[i][c'] ). Wl [n, W4, W4]. */
export function prunedForward(B: i32, n: i32, w: i32, W4: i32, hIn: usize, wl: usize, hOut: usize, act: i32): void {
    for (let b = 0; b < B; b++)
        for (let i = 0; i < n; i++) {
            const hi = f32At(hIn, (b * n + i) * W4), wi = f32At(wl, i * W4 * W4);
            for (let q = 0; q < W4; q += 4) {
                let acc = f32x4.splat(0);
                for (let c = 0; c < w; c++) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(f32At(hi, c)), v128.load(f32At(wi, c * W4 + q))));
                v128.store(f32At(hOut, (b * n + i) * W4 + q), activate(acc, act));
            }
        }
}

/** The output: yhat[i][b] = h[b][i] . Wout[i]. Wout [n, W4]; yhat [n, B]. */
export function outputForward(B: i32, n: i32, W4: i32, h: usize, wo: usize, yhat: usize): void {
    for (let b = 0; b < B; b++)
        for (let i = 0; i < n; i++) {
            const hi = f32At(h, (b * n + i) * W4), wi = f32At(wo, i * W4);
            let acc = f32x4.splat(0);
            for (let q = 0; q < W4; q += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(f32At(hi, q)), v128.load(f32At(wi, q))));
            store<f32>(f32At(yhat, i * B + b), lanes(acc));
        }
}

/** The output's backward from dy [B, n]: g[b][i] = dy[b][i] Wout[i] and the gradient of Wout. */
export function outputBackward(B: i32, n: i32, W4: i32, h: usize, wo: usize, dy: usize, g: usize, gWo: usize): void {
    for (let b = 0; b < B; b++)
        for (let i = 0; i < n; i++) {
            const d = v128.load32_splat(f32At(dy, b * n + i)), hi = f32At(h, (b * n + i) * W4);
            for (let q = 0; q < W4; q += 4) {
                const at = f32At(gWo, i * W4 + q);
                v128.store(at, f32x4.add(v128.load(at), f32x4.mul(d, v128.load(f32At(hi, q)))));
                v128.store(f32At(g, (b * n + i) * W4 + q), f32x4.mul(d, v128.load(f32At(wo, i * W4 + q))));
            }
        }
}

/** A pruned layer's backward: the gradient of Wl, and gIn[b][i][c'] = sum_c Wl[i][c'][c] g[b][i][c] (written). */
export function prunedBackward(B: i32, n: i32, w: i32, W4: i32, hIn: usize, wl: usize, g: usize, gIn: usize, gWl: usize): void {
    for (let b = 0; b < B; b++)
        for (let i = 0; i < n; i++) {
            const hi = f32At(hIn, (b * n + i) * W4), gi = f32At(g, (b * n + i) * W4), wi = f32At(wl, i * W4 * W4);
            const gw = f32At(gWl, i * W4 * W4), gp = f32At(gIn, (b * n + i) * W4);
            for (let c = 0; c < W4; c++) {
                const hc = v128.load32_splat(f32At(hi, c));
                let s = f32x4.splat(0);
                for (let q = 0; q < W4; q += 4) {
                    const gq = v128.load(f32At(gi, q)), at = f32At(gw, c * W4 + q);
                    v128.store(at, f32x4.add(v128.load(at), f32x4.mul(hc, gq)));
                    s = f32x4.add(s, f32x4.mul(gq, v128.load(f32At(wi, c * W4 + q))));
                }
                store<f32>(f32At(gp, c), c < w ? lanes(s) : 0);
            }
        }
}

/**
 * A message-passing layer's backward: the gradients of Wm (and S), and gIn = d loss / d in (overwritten):
 * gIn[b][j] += sum_c g[b][i][c] WmT[i][j][c] over the rows i that keep j, WmT [n, n, W4, W4] (i, j, c, c') the transposed
 * blocks of Wm (transposeBlocks), so the product is four-lane rows rather than horizontal sums.
 */
export function messageBackward(B: i32, n: i32, w: i32, W4: i32, kept: usize, count: usize, hIn: usize, wmT: usize, s: usize,
    g: usize, gIn: usize, gWm: usize, gS: usize): void {
    const block = W4 * W4;
    memory.fill(gIn, 0, <usize>(B * n * W4) << 2);
    for (let b = 0; b < B; b++) {
        const hb = f32At(hIn, b * n * W4), gpb = f32At(gIn, b * n * W4);
        for (let i = 0; i < n; i++) {
            const cnt = countAt(count, n, b, i), gi = f32At(g, (b * n + i) * W4);
            for (let r = 0; r < cnt; r++) {
                const j = keptAt(kept, n, b, i, r), hj = f32At(hb, j * W4), o = (i * n + j) * block;
                // d Wm[i][j][c'] += in[b][j][c'] g[b][i]
                for (let c = 0; c < w; c++) {
                    const hc = v128.load32_splat(f32At(hj, c));
                    for (let q = 0; q < W4; q += 4) {
                        const at = f32At(gWm, o + c * W4 + q);
                        v128.store(at, f32x4.add(v128.load(at), f32x4.mul(hc, v128.load(f32At(gi, q)))));
                    }
                }
                // gIn[b][j] += sum_c g[b][i][c] WmT[i][j][c]
                const gj = f32At(gpb, j * W4);
                for (let q = 0; q < W4; q += 4) {
                    let acc = v128.load(f32At(gj, q));
                    for (let c = 0; c < w; c++) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(f32At(gi, c)), v128.load(f32At(wmT, o + c * W4 + q))));
                    v128.store(f32At(gj, q), acc);
                }
            }
            if (s) skipBackward(W4, w, f32At(hb, i * W4), gi, f32At(s, i * block), f32At(gS, i * block), f32At(gpb, i * W4));
        }
    }
}

/** The skip channel of cluster i for one sample: d S[c'] += in[c'] g, gIn[c'] += S[c'] . g. */
function skipBackward(W4: i32, w: i32, hi: usize, gi: usize, si: usize, gSi: usize, gp: usize): void {
    for (let c = 0; c < w; c++) {
        const hc = v128.load32_splat(f32At(hi, c));
        let t = f32x4.splat(0);
        for (let q = 0; q < W4; q += 4) {
            const gq = v128.load(f32At(gi, q)), at = f32At(gSi, c * W4 + q);
            v128.store(at, f32x4.add(v128.load(at), f32x4.mul(hc, gq)));
            t = f32x4.add(t, f32x4.mul(gq, v128.load(f32At(si, c * W4 + q))));
        }
        store<f32>(f32At(gp, c), load<f32>(f32At(gp, c)) + lanes(t));
    }
}

/** Masking layer 1's backward: d W1[i][j] += x_b[j] g[b][i] over the kept j, d S1[i] += x_b[i] g[b][i]. */
export function maskedBackward(B: i32, n: i32, N4: i32, W4: i32, x: usize, kept: usize, count: usize, g: usize, gW1: usize,
    gS1: usize): void {
    for (let b = 0; b < B; b++) {
        const xb = f32At(x, b * N4);
        for (let i = 0; i < n; i++) {
            const cnt = countAt(count, n, b, i), gi = f32At(g, (b * n + i) * W4), gw = f32At(gW1, i * N4 * W4);
            for (let q = 0; q < W4; q += 4) {
                const gq = v128.load(f32At(gi, q));
                for (let r = 0; r < cnt; r++) {
                    const j = keptAt(kept, n, b, i, r), at = f32At(gw, j * W4 + q);
                    v128.store(at, f32x4.add(v128.load(at), f32x4.mul(v128.load32_splat(f32At(xb, j)), gq)));
                }
                if (gS1) {
                    const at = f32At(gS1, i * W4 + q);
                    v128.store(at, f32x4.add(v128.load(at), f32x4.mul(v128.load32_splat(f32At(xb, i)), gq)));
                }
            }
        }
    }
}

/** dst[k][c][c'] = src[k][c'][c] for `blocks` blocks of W4 x W4 floats. */
export function transposeBlocks(src: usize, dst: usize, blocks: i32, W4: i32): void {
    const block = W4 * W4;
    for (let k = 0; k < blocks; k++)
        for (let r = 0; r < W4; r++)
            for (let c = 0; c < W4; c++) store<f32>(f32At(dst, k * block + c * W4 + r), load<f32>(f32At(src, k * block + r * W4 + c)));
}
