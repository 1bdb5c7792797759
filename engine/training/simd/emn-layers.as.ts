// AssemblyScript source of emn-layers.wasm: the rowwise EMN with k masking layers (message passing, skip channels) on any
// target sum_p c_p A^p x, trained on fresh binary A in f32x4 SIMD (draw, forward, backward, SGD/Adam). The sibling of
// emn-step.as.ts; built by esbuild.mjs into dist/emn-layers.wasm, driven by ../simd-layers-kernel.ts. Not TypeScript for tsc.

/*
 * One module instance trains one run; configure() lays out every buffer in this module's memory.
 * Weights in paramSpecs order (mask1.W, mask1.S, mask2.W, mask2.S, ..., hidden2.W, ..., output.W; S only with skip
 * channels), each [n, rows, W4] per cluster, widths padded to 4 lanes with zeros (which stay zero under training):
 *   mask1.W [n, N4, W4] (i, j, c)   mask1.S [n, 1, W4]   maskM.W [n, n, W4, W4] (i, j, c', c)   maskM.S, hidden [n, W4, W4]
 *   output [n, 1, W4]. Gradients and optimiser slots have the same layout.
 * The batch is drawn here from the engine's seeded stream (draw.as.ts drawGatedRow, sampler 2), the numbers the JS
 * sampler draws (bernoulli.ts, sampling.ts): sample b's mask rows, then its x. Each row of A_b is kept as its list of
 * kept columns; the targets sum_p c_p A^p x are summed in f64 over the kept columns in ascending order, which is the
 * JS sampler's float64 sum to the bit (the skipped terms are exact zeros).
 */

import { drawGatedRow, GOLDEN, mulberryScalar } from './draw.as';
import { gemm, gemmAtB, transpose } from './dense-kernels.as';
import {
    maskedBackward, maskedForward, messageBackward, messageForward, outputBackward, outputForward, prunedBackward, prunedForward,
    throughActivation, transposeBlocks,
} from './layer-kernels.as';

// shape: n, padded n, batch, width and its padding, masking k, depth d, activation, skip channels, slots, coefficients
let N: i32 = 0, N4: i32 = 0, BATCH: i32 = 0, W: i32 = 0, W4: i32 = 0, K: i32 = 0, DEPTH: i32 = 0, ACT: i32 = 0;
let SKIPS: i32 = 0, SLOTS: i32 = 0, COEFS: i32 = 0, PARAMS: i32 = 0, DENSE: i32 = 0, U: i32 = 0;
// byte offsets: the parameter table, weights, gradients, slots, transposed message blocks, the batch and activations
let pTable: usize = 0, pW: usize = 0, pGrad: usize = 0, pSlots: usize = 0, pWT: usize = 0, pX: usize = 0, pOnes: usize = 0;
let pRow: usize = 0, pKept: usize = 0, pCount: usize = 0, pY: usize = 0, pYhat: usize = 0, pDY: usize = 0, pH: usize = 0;
let pG: usize = 0, pG2: usize = 0, pPow: usize = 0, pCoef: usize = 0, pTie: usize = 0, pOut: usize = 0, pDT: usize = 0;
let weightFloats: i32 = 0;

/**
 * Floats of parameter p (paramSpecs order): n slices of one cluster's, or, for the dense layers of pruning none, the
 * whole matrix over U = n W4 padded units: hidden [U, U] (in, out), output [U, N4].
 */
function paramFloats(p: i32): i32 {
    if (DENSE && p == PARAMS - 1) return U * N4;
    if (DENSE && p >= hiddenParam(2)) return U * U;
    return N * clusterFloats(p);
}

function clusterFloats(p: i32): i32 {
    const block = W4 * W4;
    if (p == 0) return N4 * W4;
    if (p == PARAMS - 1) return W4;
    let q = p - 1;
    if (SKIPS) {
        if (q == 0) return W4;
        q--;
    }
    const perMask = SKIPS ? 2 : 1;
    if (q < (K - 1) * perMask) return q % perMask == 0 ? N * block : block;
    return block;
}

/** Parameter index of masking layer m's weights (m >= 2), of its skip weights (S), and of hidden layer l's. */
function maskParam(m: i32): i32 { return SKIPS ? 2 * m - 2 : m - 1; }
function hiddenParam(l: i32): i32 { return maskParam(K + 1) + l - 2; }

/**
 * act: 0 none, 1 relu, 2 tanh; skips: 1 with skip channels; coefs: how many target coefficients (coefOffset); dense: 1
 * for pruning none (dense hidden and output layers).
 */
export function configure(n: i32, batch: i32, w: i32, k: i32, depth: i32, act: i32, skips: i32, slots: i32, coefs: i32, dense: i32): usize {
    N = n; N4 = (n + 3) & ~3; BATCH = batch; W = w; W4 = (w + 3) & ~3; K = k; DEPTH = depth; ACT = act; SKIPS = skips;
    SLOTS = slots; COEFS = coefs; DENSE = dense; U = n * W4;
    PARAMS = 1 + skips + (k - 1) * (1 + skips) + (depth - 1) + 1;
    let p: usize = (__heap_base + 15) & ~15;
    pTable = p; p += ((<usize>PARAMS << 2) + 15) & ~15;
    let floats = 0;
    for (let q = 0; q < PARAMS; q++) floats += paramFloats(q);
    weightFloats = floats;
    const weightBytes = <usize>floats << 2, activations = <usize>(batch * n * W4) << 2;
    pW = p; p += weightBytes;
    pGrad = p; p += weightBytes;
    pSlots = p; p += weightBytes * <usize>slots;
    pWT = p; p += <usize>((k - 1) * n * n * W4 * W4) << 2;
    pX = p; p += <usize>(batch * N4) << 2;
    pOnes = p; p += <usize>N4 << 2;
    pRow = p; p += <usize>N4 << 2;
    pKept = p; p += ((<usize>(batch * n * n) << 1) + 31) & ~15;
    pCount = p; p += ((<usize>(batch * n) << 2) + 15) & ~15;
    pY = p; p += ((<usize>(batch * n) << 2) + 15) & ~15;
    pYhat = p; p += ((<usize>(batch * n) << 2) + 15) & ~15;
    pDY = p; p += ((<usize>(batch * n) << 2) + 15) & ~15;
    pH = p; p += activations * <usize>(k + depth - 1);
    pG = p; p += activations;
    pG2 = p; p += activations;
    pPow = p; p += <usize>(3 * N4) << 3;
    pCoef = p; p += <usize>(coefs + 1) << 3;
    pTie = p; p += 16;
    // dense: the output's [B, N4] and its gradient, and one transposed dense matrix
    pOut = p; p += dense ? <usize>(2 * batch * N4) << 2 : 0;
    pDT = p; p += dense ? <usize>(U * max(U, N4)) << 2 : 0;
    const need = <i32>((p + 0xffff) >> 16) - memory.size();
    if (need > 0 && memory.grow(need) < 0) return 0;
    memory.fill(pW, 0, p - pW);
    for (let q = 0, at = 0; q < PARAMS; q++) {
        store<i32>(pTable + (<usize>q << 2), at);
        at += paramFloats(q);
    }
    for (let j = 0; j < n; j++) store<f32>(pOnes + (<usize>j << 2), 1);
    return p - pW;
}

export function paramCount(): i32 { return PARAMS; }
/** Byte offset of parameter p's weights, gradients, and optimiser slot s of it. */
export function weightOffset(p: i32): usize { return pW + (<usize>load<i32>(pTable + (<usize>p << 2)) << 2); }
export function gradOffset(p: i32): usize { return weightOffset(p) - pW + pGrad; }
export function slotOffset(s: i32, p: i32): usize { return weightOffset(p) - pW + pSlots + (<usize>(s * weightFloats) << 2); }
export function coefOffset(): usize { return pCoef; }
export function yOffset(): usize { return pY; }
export function yhatOffset(): usize { return pYhat; }
export function xOffset(): usize { return pX; }
export function keptOffset(): usize { return pKept; }
export function countOffset(): usize { return pCount; }
export function paddedN(): i32 { return N4; }
export function paddedW(): i32 { return W4; }

/**
 * Draws the batch from stream state s0 (A kept where u <= t, x = low + span u / 2^32): x into X, every row's kept
 * columns, and the targets Y [n, B] = sum_p c_p A^p x (f64 over the kept columns, stored f32).
 */
function drawBatch(s0: u32, t: u32, low: f64, span: f64): void {
    const n = N, words = N4 >> 2, perSample: u32 = <u32>(n * words + n);
    const top = i8x16.splat(<i8>(t >>> 24));
    const power = pPow, next = pPow + (<usize>N4 << 3), out = pPow + (<usize>(2 * N4) << 3);
    for (let b = 0; b < BATCH; b++) {
        const start: u32 = s0 + <u32>b * perSample * GOLDEN, xb = pX + (<usize>(b * N4) << 2);
        let s: u32 = start + <u32>(n * words) * GOLDEN;
        for (let j = 0; j < n; j++) {
            s += GOLDEN;
            const x = <f32>(low + span * (<f64>mulberryScalar(s) / 4294967296.0));
            store<f32>(xb + (<usize>j << 2), x);
            store<f64>(power + (<usize>j << 3), <f64>x);
            store<f64>(out + (<usize>j << 3), 0);
        }
        for (let i = 0; i < n; i++) {
            // the mask row gating ones: 1 where kept, then compacted to the kept columns without branches
            drawGatedRow(start, i, N4, t, top, pOnes, pRow, pTie);
            const row = pKept + (<usize>((b * n + i) * n) << 1);
            // four entries a quad: one compare and bitmask, four stores (a store lands one past a full row at most:
            // the next row's first, written over when that row is compacted, or the slack after the last row)
            let cnt = 0;
            for (let j = 0; j < N4; j += 4) {
                const m = i32x4.bitmask(f32x4.ne(v128.load(pRow + (<usize>j << 2)), f32x4.splat(0)));
                store<u16>(row + (<usize>cnt << 1), <u16>j); cnt += m & 1;
                store<u16>(row + (<usize>cnt << 1), <u16>(j + 1)); cnt += (m >> 1) & 1;
                store<u16>(row + (<usize>cnt << 1), <u16>(j + 2)); cnt += (m >> 2) & 1;
                store<u16>(row + (<usize>cnt << 1), <u16>(j + 3)); cnt += (m >> 3) & 1;
            }
            store<i32>(pCount + (<usize>(b * n + i) << 2), cnt);
        }
        targets(b, power, next, out);
    }
}

/** y_b = sum_p c_p A_b^p x_b as the JS sampler sums it (sampling.ts applyTarget), into Y[:, b]. */
function targets(b: i32, power: usize, next: usize, out: usize): void {
    const n = N;
    let pw = power, nx = next;
    for (let p = 0; p < COEFS; p++) {
        if (p > 0) {
            for (let i = 0; i < n; i++) {
                const row = pKept + (<usize>((b * n + i) * n) << 1), cnt = load<i32>(pCount + (<usize>(b * n + i) << 2));
                let sum: f64 = 0;
                for (let r = 0; r < cnt; r++) sum += load<f64>(pw + (<usize>load<u16>(row + (<usize>r << 1)) << 3));
                store<f64>(nx + (<usize>i << 3), sum);
            }
            const swap = pw; pw = nx; nx = swap;
        }
        const c = load<f64>(pCoef + (<usize>p << 3));
        if (c != 0) for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), load<f64>(out + (<usize>i << 3)) + c * load<f64>(pw + (<usize>i << 3)));
    }
    for (let i = 0; i < n; i++) store<f32>(pY + (<usize>(i * BATCH + b) << 2), <f32>load<f64>(out + (<usize>i << 3)));
}

/** Activations of hidden layer index h (0: masking layer 1, 1..k-1: masking layers 2..k, then the pruned layers). */
function layerH(h: i32): usize { return pH + (<usize>(h * BATCH * N * W4) << 2); }

/** The forward pass of the drawn batch into YHAT [n, B]. */
function forward(): void {
    const B = BATCH, n = N;
    maskedForward(B, n, N4, W4, pX, pKept, pCount, weightOffset(0), SKIPS ? weightOffset(1) : 0, layerH(0), ACT);
    for (let m = 2; m <= K; m++) {
        const p = maskParam(m);
        messageForward(B, n, W, W4, pKept, pCount, layerH(m - 2), weightOffset(p), SKIPS ? weightOffset(p + 1) : 0, layerH(m - 1), ACT);
    }
    if (DENSE) {
        // the units [B, n, W4] read as [B, U]
        for (let l = 2; l <= DEPTH; l++) gemm(B, U, U, layerH(K + l - 3), U, weightOffset(hiddenParam(l)), layerH(K + l - 2), U, ACT);
        gemm(B, U, N4, layerH(K + DEPTH - 2), U, weightOffset(PARAMS - 1), pOut, N4, 0);
        for (let b = 0; b < B; b++)
            for (let i = 0; i < n; i++) store<f32>(pYhat + (<usize>(i * B + b) << 2), load<f32>(pOut + (<usize>(b * N4 + i) << 2)));
        return;
    }
    for (let l = 2; l <= DEPTH; l++) prunedForward(B, n, W, W4, layerH(K + l - 3), weightOffset(hiddenParam(l)), layerH(K + l - 2), ACT);
    outputForward(B, n, W4, layerH(K + DEPTH - 2), weightOffset(PARAMS - 1), pYhat);
}

/** The dense layers' backward (pruning none) from DY: their gradients, and g = d loss / d units of the last masking layer. */
function denseBackward(g: usize, gIn: usize): usize {
    const B = BATCH, gOut = pOut + (<usize>(B * N4) << 2), last = K + DEPTH - 2, out = PARAMS - 1;
    memory.fill(gOut, 0, <usize>(B * N4) << 2);
    for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) store<f32>(gOut + (<usize>(b * N4 + i) << 2), load<f32>(pDY + (<usize>(b * N + i) << 2)));
    gemmAtB(B, U, N4, layerH(last), U, gOut, gradOffset(out));
    transpose(weightOffset(out), U, N4, pDT);
    gemm(B, N4, U, gOut, N4, pDT, g, U, 0);
    for (let h = last; h >= K; h--) {
        const p = hiddenParam(h - K + 2);
        throughActivation(g, layerH(h), B * U, ACT);
        gemmAtB(B, U, U, layerH(h - 1), U, g, gradOffset(p));
        transpose(weightOffset(p), U, U, pDT);
        gemm(B, U, U, g, U, pDT, gIn, U, 0);
        const swap = g; g = gIn; gIn = swap;
    }
    return g;
}

/** Mean squared error of YHAT against Y (summed in f64) and DY [B, n] = 2 (yhat - y) / (n B). */
function lossAndDy(): f64 {
    const scale: f32 = <f32>(2.0 / <f64>(N * BATCH));
    let sq: f64 = 0;
    for (let i = 0; i < N; i++)
        for (let b = 0; b < BATCH; b++) {
            const e = <usize>(i * BATCH + b) << 2;
            const err = load<f32>(pYhat + e) - load<f32>(pY + e);
            sq += <f64>err * <f64>err;
            store<f32>(pDY + (<usize>(b * N + i) << 2), scale * err);
        }
    return sq / <f64>(N * BATCH);
}

/** Every gradient of the batch's loss into GRAD (from the forward pass's activations and DY). */
function backward(): void {
    const B = BATCH, n = N, floats = B * n * W4;
    memory.fill(pGrad, 0, <usize>weightFloats << 2);
    // the message layers' blocks transposed, for gIn as four-lane rows (layer-kernels.as.ts messageBackward)
    for (let m = 2; m <= K; m++) transposeBlocks(weightOffset(maskParam(m)), pWT + (<usize>((m - 2) * n * n * W4 * W4) << 2), n * n, W4);
    let g = pG, gIn = pG2;
    let last = K + DEPTH - 2;
    if (DENSE) {
        g = denseBackward(pG, pG2);
        gIn = g == pG ? pG2 : pG;
        last = K - 1;
    } else {
        outputBackward(B, n, W4, layerH(last), weightOffset(PARAMS - 1), pDY, g, gradOffset(PARAMS - 1));
    }
    for (let h = last; h >= 0; h--) {
        throughActivation(g, layerH(h), floats, ACT);
        if (h >= K) {
            const p = hiddenParam(h - K + 2);
            prunedBackward(B, n, W, W4, layerH(h - 1), weightOffset(p), g, gIn, gradOffset(p));
        } else if (h >= 1) {
            const p = maskParam(h + 1), wt = pWT + (<usize>((h - 1) * n * n * W4 * W4) << 2);
            messageBackward(B, n, W, W4, pKept, pCount, layerH(h - 1), wt, SKIPS ? weightOffset(p + 1) : 0, g, gIn, gradOffset(p),
                SKIPS ? gradOffset(p + 1) : 0);
        } else {
            maskedBackward(B, n, N4, W4, pX, pKept, pCount, g, gradOffset(0), SKIPS ? gradOffset(1) : 0);
        }
        const swap = g; g = gIn; gIn = swap;
    }
}

/** The optimiser update of every weight from GRAD. kind 0: sgd (a = lr, m = momentum); 1: adam (a = lrT). */
function update(kind: i32, a: f32, m: f32, beta1: f32, beta2: f32, eps: f32): void {
    const w = pW, g = pGrad, len = weightFloats;
    if (kind == 0) {
        const lr = f32x4.splat(a);
        if (SLOTS == 0) {
            for (let e = 0; e < len; e += 4) {
                const at = <usize>e << 2;
                v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.mul(lr, v128.load(g + at))));
            }
            return;
        }
        const v = pSlots, mm = f32x4.splat(m);
        for (let e = 0; e < len; e += 4) {
            const at = <usize>e << 2;
            const vel = f32x4.add(f32x4.mul(mm, v128.load(v + at)), v128.load(g + at));
            v128.store(v + at, vel);
            v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.mul(lr, vel)));
        }
        return;
    }
    const mo = pSlots, vo = pSlots + (<usize>len << 2);
    const b1 = f32x4.splat(beta1), c1 = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), c2 = f32x4.splat(1 - beta2);
    const lrT = f32x4.splat(a), ep = f32x4.splat(eps);
    for (let e = 0; e < len; e += 4) {
        const at = <usize>e << 2;
        const ge = v128.load(g + at);
        const mv = f32x4.add(f32x4.mul(b1, v128.load(mo + at)), f32x4.mul(c1, ge));
        const vv = f32x4.add(f32x4.mul(b2, v128.load(vo + at)), f32x4.mul(c2, f32x4.mul(ge, ge)));
        v128.store(mo + at, mv);
        v128.store(vo + at, vv);
        v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.div(f32x4.mul(lrT, mv), f32x4.add(f32x4.sqrt(vv), ep))));
    }
}

/** One training step on the batch drawn from s0: returns its mean squared error before the update. */
export function trainStep(s0: u32, t: u32, low: f64, span: f64, kind: i32, a: f32, m: f32, beta1: f32, beta2: f32, eps: f32): f64 {
    drawBatch(s0, t, low, span);
    forward();
    const loss = lossAndDy();
    backward();
    update(kind, a, m, beta1, beta2, eps);
    return loss;
}

/** The same batch and loss as trainStep without the update; with `grads` set, GRAD holds every gradient. Used by tests. */
export function lossAndGradients(s0: u32, t: u32, low: f64, span: f64, grads: i32): f64 {
    drawBatch(s0, t, low, span);
    forward();
    const loss = lossAndDy();
    if (grads) backward();
    return loss;
}
