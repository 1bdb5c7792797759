// AssemblyScript source of emn-step.wasm: the rowwise EMN training step (draw, forward, backward, SGD/Adam) in f32x4 SIMD.
// Built by esbuild.mjs (asc --enable simd) into dist/emn-step.wasm; driven by ../simd-kernel.ts. Not TypeScript for tsc.

/*
 * One module instance trains one run; every buffer lives in this module's memory, laid out by configure().
 * Padded layouts (widths and row lengths rounded up to 4 lanes, padding kept at zero, which stays zero under training:
 * a zero input or a zero downstream weight gives it a zero gradient):
 *   W1 [n, n4, w4] (i, j, c)    hidden l [n, w4, w4] (i, c', c)    Wout [n, w4]
 * The batch is drawn inside the step (draw.as.ts) with the engine's seeded stream, the very numbers the JS sampler
 * (bernoulli.ts, sampling.ts) draws (sampler 2): A_b's row i = draws i R + 1 .. i R + R of sample b (R = n4 / 4 words,
 * a byte per entry), x_b = the n draws after the mask, low + span * u / 2^32 in f32.
 * Sums run in f32 lanes (over j, then over b ascending), where the JS kernels accumulate in f64: the draws are the
 * same numbers, the targets and losses agree within a few ulps (test/simd-kernel.test.ts).
 */

import { drawGatedRow, drawX, GOLDEN } from './draw.as';
import { updateSlice } from './optimizer.as';
import { clearStore, drawBatch, gateStoredRow, layoutStore } from './batch.as';

export { matrixOffset, setStream, streamHasSpare, streamSpare, streamState } from './batch.as';

// shape
let N: i32 = 0, N4: i32 = 0, BATCH: i32 = 0, W4: i32 = 0, DEPTH: i32 = 0, ACT: i32 = 0, SLOTS: i32 = 0;
// the rows (clusters) this instance trains: FIRST .. FIRST + ROWS - 1 of the n (a split run's share, split-run.ts);
// a cluster's weights, Y and YHAT are indexed by its place among them, its draws by its row of A
let FIRST: i32 = 0, ROWS: i32 = 0;
// each owned row's squared error of the last pass (f64, ROWS of them): a split run sums them over every row in order
let pRowSq: usize = 0;
// buffers (byte offsets): X [B, n4], AX [B, n4] (one cluster's rows), Y and YHAT [ROWS, B] (the whole batch)
let pW: usize = 0, pSlots: usize = 0, pX: usize = 0, pAX: usize = 0, pY: usize = 0, pH: usize = 0;
let pG: usize = 0, pGP: usize = 0, pDY: usize = 0, pGrad: usize = 0, pYhat: usize = 0, pTie: usize = 0, pEnd: usize = 0;
// floats per weight tensor p (0 = W1, 1..d-1 hidden, d = output) and per cluster slice
let sizeW1: i32 = 0, sizeHidden: i32 = 0, sizeOut: i32 = 0;

/** Lays out every buffer for one shape and grows the memory; returns the bytes used. act: 0 none, 1 relu, 2 tanh. */
export function configure(n: i32, batch: i32, w: i32, depth: i32, act: i32, slots: i32): usize {
    return configureRows(n, batch, w, depth, act, slots, 0, n);
}

/** configure for rows first .. first + rows - 1 only: their weights, their draws of each batch, their losses. */
export function configureRows(n: i32, batch: i32, w: i32, depth: i32, act: i32, slots: i32, first: i32, rows: i32): usize {
    N = n; N4 = (n + 3) & ~3; BATCH = batch; W4 = (w + 3) & ~3; DEPTH = depth; ACT = act; SLOTS = slots;
    FIRST = first; ROWS = rows;
    sizeW1 = rows * N4 * W4; sizeHidden = rows * W4 * W4; sizeOut = rows * W4;
    const weights = weightTotalBytes();
    let p: usize = (__heap_base + 15) & ~15;
    pW = p; p += weights;
    pSlots = p; p += weights * <usize>slots;
    pX = p; p += <usize>(batch * N4) << 2;
    pAX = p; p += <usize>(batch * N4) << 2;
    pY = p; p += <usize>(rows * batch) << 2;
    pH = p; p += <usize>(depth * batch * W4) << 2;
    pG = p; p += <usize>(batch * W4) << 2;
    pGP = p; p += <usize>(batch * W4) << 2;
    pDY = p; p += <usize>(batch * 4) << 2;
    pGrad = p; p += <usize>(N4 * W4 + (depth - 1) * W4 * W4 + W4) << 2;
    pYhat = p; p += <usize>(rows * batch) << 2;
    pRowSq = p; p += <usize>rows << 3;
    pTie = p; p += 16;
    pEnd = p;
    const need = <i32>((p + 0xffff) >> 16) - memory.size();
    if (need > 0 && memory.grow(need) < 0) return 0;
    memory.fill(pW, 0, p - pW);
    return p - pW;
}

/**
 * Lays out the store of `count` matrices (batch.as.ts: a pool, or the batch's fresh matrices) after the buffers and
 * grows the memory; returns its bytes, 0 when the memory cannot grow. After configure, for a stored-batch run.
 */
export function configureStore(count: i32): usize {
    const end = layoutStore(N, N4, BATCH, count, pEnd);
    const need = <i32>((end + 0xffff) >> 16) - memory.size();
    if (need > 0 && memory.grow(need) < 0) return 0;
    clearStore();
    return end - pEnd;
}

/** Byte offset of weight tensor p (padded layout), and of slot k of it. */
export function weightOffset(p: i32): usize {
    return pW + (<usize>(p == 0 ? 0 : sizeW1 + (p - 1) * sizeHidden) << 2);
}
export function slotOffset(k: i32, p: i32): usize {
    return weightOffset(p) - pW + pSlots + <usize>k * weightTotalBytes();
}
export function weightTotalBytes(): usize { return <usize>(sizeW1 + (DEPTH - 1) * sizeHidden + sizeOut) << 2; }
export function axOffset(): usize { return pAX; }
export function yOffset(): usize { return pY; }
export function gradOffset(): usize { return pGrad; }
export function rowSqOffset(): usize { return pRowSq; }
export function paddedN(): i32 { return N4; }
export function paddedW(): i32 { return W4; }

/** Draws of one sample: its mask (n rows of n4 / 4 words), then x (n). */
// @ts-ignore: decorator
@inline function drawsPerSample(): u32 {
    return <u32>(N * (N4 >> 2) + N);
}

/**
 * The activation of four units. The cheap cases come first: binaryen turns these ifs into "compute the value, then
 * branch out with it", so whatever is written before a case's test runs for that case too (with tanh written first,
 * every 'none' step computed four tanh per unit and threw them away: 5x the whole step at n = 10).
 */
// @ts-ignore: decorator
@inline function activate(z: v128): v128 {
    if (ACT == 0) return z;
    if (ACT == 1) return f32x4.max(z, f32x4.splat(0));
    return tanh4(z);
}

function tanh4(z: v128): v128 {
    return f32x4(Mathf.tanh(f32x4.extract_lane(z, 0)), Mathf.tanh(f32x4.extract_lane(z, 1)),
        Mathf.tanh(f32x4.extract_lane(z, 2)), Mathf.tanh(f32x4.extract_lane(z, 3)));
}

/** g * act'(z) written with the activation's output h. */
// @ts-ignore: decorator
@inline function gradThrough(g: v128, h: v128): v128 {
    if (ACT == 0) return g;
    if (ACT == 1) return v128.and(g, f32x4.gt(h, f32x4.splat(0)));
    return f32x4.mul(g, f32x4.sub(f32x4.splat(1), f32x4.mul(h, h)));
}

/**
 * The masked layer's four units (W4 == 4) for one sample's row of A x: the four products of a quad summed as a tree,
 * then added, so the chain carried from quad to quad is one add (four adds made the step latency-bound).
 */
function maskedForward4(w1: usize, axRow: usize): v128 {
    let acc = f32x4.splat(0);
    for (let j = 0; j < N4; j += 4) {
        const a = v128.load(axRow + (<usize>j << 2)), wr = w1 + (<usize>(j * 4) << 2);
        const p01 = f32x4.add(f32x4.mul(v128.shuffle<f32>(a, a, 0, 0, 0, 0), v128.load(wr)),
            f32x4.mul(v128.shuffle<f32>(a, a, 1, 1, 1, 1), v128.load(wr, 16)));
        const p23 = f32x4.add(f32x4.mul(v128.shuffle<f32>(a, a, 2, 2, 2, 2), v128.load(wr, 32)),
            f32x4.mul(v128.shuffle<f32>(a, a, 3, 3, 3, 3), v128.load(wr, 48)));
        acc = f32x4.add(acc, f32x4.add(p01, p23));
    }
    return acc;
}

/**
 * Draws row i of every sample's A (times x) into AX [B, n4] and the targets Y[i, :] = (A x)_i, and runs the masked
 * layer forward into H layer 0.
 */
function drawAndForwardMasked(i: i32, s0: u32, t: u32, stored: bool): void {
    const top = i8x16.splat(<i8>(t >>> 24));
    const w1 = pW + (<usize>(i * N4 * W4) << 2);
    for (let b = 0; b < BATCH; b++) {
        const start: u32 = s0 + <u32>b * drawsPerSample() * GOLDEN;
        const xRow = pX + (<usize>(b * N4) << 2), axRow = pAX + (<usize>(b * N4) << 2);
        const row = FIRST + i;
        const y = stored ? gateStoredRow(b, row, xRow, axRow) : drawGatedRow(start, row, N4, t, top, xRow, axRow, pTie);
        store<f32>(pY + (<usize>(i * BATCH + b) << 2), y);
        if (W4 == 4) v128.store(pH + (<usize>(b * 4) << 2), activate(maskedForward4(w1, axRow)));
        else maskedForwardWide(w1, axRow, pH + (<usize>(b * W4) << 2));
    }
}

/** The masked layer for one sample when W4 > 4: unit chunks of 4, over j. */
function maskedForwardWide(w1: usize, axRow: usize, out: usize): void {
    for (let q = 0; q < W4; q += 4) {
        let acc = f32x4.splat(0);
        for (let j = 0; j < N; j++) {
            acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(axRow + (<usize>j << 2))), v128.load(w1 + (<usize>(j * W4 + q) << 2))));
        }
        v128.store(out + (<usize>q << 2), activate(acc));
    }
}

/** Hidden layers and the output of cluster i: H layers 1..d-1, yhat into YHAT[i, b]. */
function forwardRest(i: i32): void {
    for (let l = 1; l < DEPTH; l++) {
        const wl = weightOffset(l) + (<usize>(i * W4 * W4) << 2);
        const prev = pH + (<usize>((l - 1) * BATCH * W4) << 2), h = pH + (<usize>(l * BATCH * W4) << 2);
        if (W4 == 4) {
            // the layer's four rows in registers, the input's units by lane shuffles: the same products and sums
            const r0 = v128.load(wl), r1 = v128.load(wl, 16), r2 = v128.load(wl, 32), r3 = v128.load(wl, 48);
            for (let b = 0; b < BATCH; b++) {
                const o = <usize>(b * 4) << 2, u = v128.load(prev + o);
                let acc = f32x4.add(f32x4.splat(0), f32x4.mul(v128.shuffle<f32>(u, u, 0, 0, 0, 0), r0));
                acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(u, u, 1, 1, 1, 1), r1));
                acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(u, u, 2, 2, 2, 2), r2));
                acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(u, u, 3, 3, 3, 3), r3));
                v128.store(h + o, activate(acc));
            }
            continue;
        }
        for (let b = 0; b < BATCH; b++) {
            const po = prev + (<usize>(b * W4) << 2);
            for (let q = 0; q < W4; q += 4) {
                let acc = f32x4.splat(0);
                for (let cp = 0; cp < W4; cp++) {
                    acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(po + (<usize>cp << 2))), v128.load(wl + (<usize>(cp * W4 + q) << 2))));
                }
                v128.store(h + (<usize>(b * W4 + q) << 2), activate(acc));
            }
        }
    }
    const wo = weightOffset(DEPTH) + (<usize>(i * W4) << 2);
    const hd = pH + (<usize>((DEPTH - 1) * BATCH * W4) << 2);
    for (let b = 0; b < BATCH; b++) {
        let acc = f32x4.splat(0);
        for (let q = 0; q < W4; q += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(hd + (<usize>(b * W4 + q) << 2)), v128.load(wo + (<usize>q << 2))));
        store<f32>(pYhat + (<usize>(i * BATCH + b) << 2), f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)
            + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    }
}

/** Backward of cluster i from DY [B]: gradients of its weight slices into GRAD (W1 [n4, w4], hidden..., out [w4]). */
function backward(i: i32): void {
    const gW1 = pGrad, gOut = pGrad + (<usize>(N4 * W4 + (DEPTH - 1) * W4 * W4) << 2);
    const wo = weightOffset(DEPTH) + (<usize>(i * W4) << 2);
    const hd = pH + (<usize>((DEPTH - 1) * BATCH * W4) << 2);
    let g = pG, gp = pGP;
    // output: yhat = hd . wo
    for (let q = 0; q < W4; q += 4) {
        let acc = f32x4.splat(0);
        const wq = v128.load(wo + (<usize>q << 2));
        for (let b = 0; b < BATCH; b++) {
            const dy = f32x4.splat(load<f32>(pDY + (<usize>b << 2)));
            acc = f32x4.add(acc, f32x4.mul(v128.load(hd + (<usize>(b * W4 + q) << 2)), dy));
            v128.store(g + (<usize>(b * W4 + q) << 2), f32x4.mul(dy, wq));
        }
        v128.store(gOut + (<usize>q << 2), acc);
    }
    // g = d loss / d h_l: through the activation, then the weight gradient and one layer down
    for (let l = DEPTH - 1; l >= 1; l--) {
        const h = pH + (<usize>(l * BATCH * W4) << 2), prev = pH + (<usize>((l - 1) * BATCH * W4) << 2);
        const wl = weightOffset(l) + (<usize>(i * W4 * W4) << 2);
        const gW = pGrad + (<usize>(N4 * W4 + (l - 1) * W4 * W4) << 2);
        if (W4 == 4) {
            hiddenBackward4(g, gp, h, prev, wl, gW);
            const t = g; g = gp; gp = t;
            continue;
        }
        memory.fill(gW, 0, <usize>(W4 * W4) << 2);
        for (let b = 0; b < BATCH; b++) {
            const o = <usize>(b * W4) << 2;
            for (let q = 0; q < W4; q += 4) v128.store(g + o + (<usize>q << 2), gradThrough(v128.load(g + o + (<usize>q << 2)), v128.load(h + o + (<usize>q << 2))));
            for (let cp = 0; cp < W4; cp++) {
                const hp = f32x4.splat(load<f32>(prev + o + (<usize>cp << 2)));
                let s = f32x4.splat(0);
                for (let q = 0; q < W4; q += 4) {
                    const gq = v128.load(g + o + (<usize>q << 2));
                    const at = gW + (<usize>(cp * W4 + q) << 2);
                    v128.store(at, f32x4.add(v128.load(at), f32x4.mul(hp, gq)));
                    s = f32x4.add(s, f32x4.mul(gq, v128.load(wl + (<usize>(cp * W4 + q) << 2))));
                }
                store<f32>(gp + o + (<usize>cp << 2), f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)
                    + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
            }
        }
        const t = g; g = gp; gp = t;
    }
    // masked layer: d W1[j] = sum_b ax[b, j] g1[b] (sum over b ascending, as the JS kernel)
    const h1 = pH;
    for (let b = 0; b < BATCH; b++) {
        const o = <usize>(b * W4) << 2;
        for (let q = 0; q < W4; q += 4) v128.store(g + o + (<usize>q << 2), gradThrough(v128.load(g + o + (<usize>q << 2)), v128.load(h1 + o + (<usize>q << 2))));
    }
    if (W4 == 4) {
        // four columns j at a time, their four accumulators in registers: per j still the sum over b ascending
        for (let j = 0; j < N4; j += 4) {
            let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
            for (let b = 0; b < BATCH; b++) {
                const x = v128.load(pAX + (<usize>(b * N4 + j) << 2)), gb = v128.load(g + (<usize>(b * 4) << 2));
                a0 = f32x4.add(a0, f32x4.mul(v128.shuffle<f32>(x, x, 0, 0, 0, 0), gb));
                a1 = f32x4.add(a1, f32x4.mul(v128.shuffle<f32>(x, x, 1, 1, 1, 1), gb));
                a2 = f32x4.add(a2, f32x4.mul(v128.shuffle<f32>(x, x, 2, 2, 2, 2), gb));
                a3 = f32x4.add(a3, f32x4.mul(v128.shuffle<f32>(x, x, 3, 3, 3, 3), gb));
            }
            const at = gW1 + (<usize>(j * 4) << 2);
            v128.store(at, a0); v128.store(at, a1, 16); v128.store(at, a2, 32); v128.store(at, a3, 48);
        }
        return;
    }
    for (let j = 0; j < N4; j++) {
        for (let q = 0; q < W4; q += 4) {
            let acc = f32x4.splat(0);
            for (let b = 0; b < BATCH; b++) {
                acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(pAX + (<usize>(b * N4 + j) << 2))), v128.load(g + (<usize>(b * W4 + q) << 2))));
            }
            v128.store(gW1 + (<usize>(j * W4 + q) << 2), acc);
        }
    }
}

/**
 * One pruned layer's backward at W4 == 4 (the common width): through the activation, the weight gradient gW [c', c]
 * (four accumulators in registers, summed over b ascending as in memory) and g one layer down into gp, computed as
 * the transposed layer times g: lane c' sums g[q] W[c'][q] over q in the order the horizontal sum takes.
 */
function hiddenBackward4(g: usize, gp: usize, h: usize, prev: usize, wl: usize, gW: usize): void {
    const r0 = v128.load(wl), r1 = v128.load(wl, 16), r2 = v128.load(wl, 32), r3 = v128.load(wl, 48);
    // columns of W: c_q[c'] = W[c'][q]
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 0, 4), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 0, 4);
    const c0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5);
    const t2 = v128.shuffle<f32>(r0, r1, 1, 5, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 1, 5, 1, 5);
    const c1 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5);
    const t4 = v128.shuffle<f32>(r0, r1, 2, 6, 2, 6), t5 = v128.shuffle<f32>(r2, r3, 2, 6, 2, 6);
    const c2 = v128.shuffle<f32>(t4, t5, 0, 1, 4, 5);
    const t6 = v128.shuffle<f32>(r0, r1, 3, 7, 3, 7), t7 = v128.shuffle<f32>(r2, r3, 3, 7, 3, 7);
    const c3 = v128.shuffle<f32>(t6, t7, 0, 1, 4, 5);
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let b = 0; b < BATCH; b++) {
        const o = <usize>(b * 4) << 2;
        const gb = gradThrough(v128.load(g + o), v128.load(h + o));
        v128.store(g + o, gb);
        const u = v128.load(prev + o);
        a0 = f32x4.add(a0, f32x4.mul(v128.shuffle<f32>(u, u, 0, 0, 0, 0), gb));
        a1 = f32x4.add(a1, f32x4.mul(v128.shuffle<f32>(u, u, 1, 1, 1, 1), gb));
        a2 = f32x4.add(a2, f32x4.mul(v128.shuffle<f32>(u, u, 2, 2, 2, 2), gb));
        a3 = f32x4.add(a3, f32x4.mul(v128.shuffle<f32>(u, u, 3, 3, 3, 3), gb));
        let d = f32x4.add(f32x4.splat(0), f32x4.mul(v128.shuffle<f32>(gb, gb, 0, 0, 0, 0), c0));
        d = f32x4.add(d, f32x4.mul(v128.shuffle<f32>(gb, gb, 1, 1, 1, 1), c1));
        d = f32x4.add(d, f32x4.mul(v128.shuffle<f32>(gb, gb, 2, 2, 2, 2), c2));
        d = f32x4.add(d, f32x4.mul(v128.shuffle<f32>(gb, gb, 3, 3, 3, 3), c3));
        v128.store(gp + o, d);
    }
    v128.store(gW, a0); v128.store(gW, a1, 16); v128.store(gW, a2, 32); v128.store(gW, a3, 48);
}

/** Loss contribution of cluster i (sum of squared errors, f64) and DY = scale * err. */
function lossAndDy(i: i32, scale: f32): f64 {
    let sq: f64 = 0;
    for (let b = 0; b < BATCH; b++) {
        const err = load<f32>(pYhat + (<usize>(i * BATCH + b) << 2)) - load<f32>(pY + (<usize>(i * BATCH + b) << 2));
        sq += <f64>err * <f64>err;
        store<f32>(pDY + (<usize>b << 2), scale * err);
    }
    return sq;
}

/** The optimiser update of cluster i's slices from GRAD. kind 0: sgd (a = lr, m = momentum); 1: adam (a = lrT). */
function update(i: i32, kind: i32, a: f32, m: f32, beta1: f32, beta2: f32, eps: f32): void {
    for (let p = 0; p <= DEPTH; p++) {
        const len = p == 0 ? N4 * W4 : p == DEPTH ? W4 : W4 * W4;
        const off = <usize>(i * len) << 2;
        const g = pGrad + (<usize>(p == 0 ? 0 : N4 * W4 + (p - 1) * W4 * W4) << 2);
        const s0 = SLOTS > 0 ? slotOffset(0, p) + off : 0, s1 = SLOTS > 1 ? slotOffset(1, p) + off : 0;
        updateSlice(weightOffset(p) + off, g, s0, s1, len, SLOTS, kind, a, m, beta1, beta2, eps);
    }
}

/**
 * The batch drawn from stream state s0 (A kept where u <= t; x = low + span u / 2^32), or with `stored` the batch of
 * the last drawStoredBatch, through the network, cluster by cluster, returning its mean squared error. With kind >= 0
 * (0 sgd, 1 adam) every cluster is also trained (backward and update); with kind < 0 only cluster `only` gets its
 * gradients in GRAD (-1: none).
 */
function pass(stored: bool, s0: u32, t: u32, low: f64, span: f64, only: i32, kind: i32, a: f32, m: f32, beta1: f32, beta2: f32, eps: f32): f64 {
    if (!stored) drawX(s0, low, span, pX, N, N4, BATCH);
    const scale: f32 = <f32>(2.0 / <f64>(N * BATCH));
    let sq: f64 = 0;
    for (let i = 0; i < ROWS; i++) {
        drawAndForwardMasked(i, s0, t, stored);
        forwardRest(i);
        const rowSq = lossAndDy(i, scale);
        store<f64>(pRowSq + (<usize>i << 3), rowSq);
        sq += rowSq;
        if (kind >= 0) {
            backward(i);
            update(i, kind, a, m, beta1, beta2, eps);
        } else if (i == only) {
            backward(i);
        }
    }
    return sq / <f64>(N * BATCH);
}

/** One training step on a fresh batch: forward, backward and update. Returns the batch's mean squared error before the update. */
export function trainStep(s0: u32, t: u32, low: f64, span: f64, kind: i32, a: f32, m: f32, beta1: f32, beta2: f32, eps: f32): f64 {
    return pass(false, s0, t, low, span, -1, kind, a, m, beta1, beta2, eps);
}

/**
 * The same batch and loss as trainStep, without the update; GRAD ends up holding cluster `only`'s gradients
 * (-1: none), so a caller reads every cluster's with n calls. Returns the mean squared error. Used by tests.
 */
export function lossAndGradients(s0: u32, t: u32, low: f64, span: f64, only: i32): f64 {
    return pass(false, s0, t, low, span, only, -1, 0, 0, 0, 0, 0);
}

/** Draws row i of the batch only: AX [B, n4] and Y[i, :] (tests compare them with the JS sampler). */
export function drawRow(s0: u32, t: u32, low: f64, span: f64, i: i32): void {
    drawX(s0, low, span, pX, N, N4, BATCH);
    drawAndForwardMasked(i, s0, t, false);
}

/**
 * Draws a batch into the store and X from the stream set by setStream (batch.as.ts drawBatch: source 0 fresh, 1 pool,
 * 2 the stored matrix `fixed`; distribution codes 0 binary, 1 uniform (low, high - low), 2 normal (mean, std)).
 */
export function drawStoredBatch(source: i32, t: u32, aKind: i32, a1: f64, a2: f64, xKind: i32, x1: f64, x2: f64, fixed: i32): void {
    drawBatch(source, t, aKind, a1, a2, xKind, x1, x2, fixed, pX);
}

/** trainStep, lossAndGradients and drawRow on the batch of the last drawStoredBatch (drawn once, so repeatable). */
export function trainStored(kind: i32, a: f32, m: f32, beta1: f32, beta2: f32, eps: f32): f64 {
    return pass(true, 0, 0, 0, 0, -1, kind, a, m, beta1, beta2, eps);
}
export function lossAndGradientsStored(only: i32): f64 {
    return pass(true, 0, 0, 0, 0, only, -1, 0, 0, 0, 0, 0);
}
export function storedRow(i: i32): void {
    drawAndForwardMasked(i, 0, 0, true);
}
