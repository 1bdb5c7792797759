// AssemblyScript: the batches of emn-step.as.ts that are not fresh binary A with uniform x (weighted or normal entries,
// normal vectors, a pool, meta-epochs' fixed mask), drawn with the JS sampler's stream. Not TypeScript for tsc.

/*
 * The stream is the engine's Rng (rng.ts) as the JS sampler walks it (training-data.ts next(), sampling.ts): per sample,
 * its matrix (fresh: the mask of bernoulli.ts, then one value per kept entry in row-major order; pool: one int draw;
 * meta-epochs: none), then its vector, n values. Normal values are rng.ts's Box-Muller with its spare carried across
 * calls (and across steps: setStream / streamSpare), log, sin and cos taken from the JS runtime (imports), so every
 * value is the JS sampler's to the bit. Matrices live in the store, [n, n4] each, padded with zeros: B fresh ones
 * (redrawn every step) or the K of a pool written once by the host (matrixOffset).
 */

import { drawGatedRow, GOLDEN, mulberryScalar } from './draw.as';

// the JS runtime's own functions, so normal values equal rng.ts's (AssemblyScript's Math differs in the last bit)
@external('env', 'log') declare function jsLog(x: f64): f64;
@external('env', 'sin') declare function jsSin(x: f64): f64;
@external('env', 'cos') declare function jsCos(x: f64): f64;

/** Distribution codes of drawBatch: what rng.ts sample() draws. */
const BINARY = 0, UNIFORM = 1, NORMAL = 2;
/** Matrix sources of drawBatch. */
const FRESH = 0, POOL = 1, FIXED = 2;

let N: i32 = 0, N4: i32 = 0, BATCH: i32 = 0, COUNT: i32 = 0;
// the store (COUNT matrices), each sample's matrix address (u32 a sample), a row of n ones then zeros (the mask's
// gate), 16 bytes of tie scratch
let pStore: usize = 0, pOf: usize = 0, pOnes: usize = 0, pScratch: usize = 0;
let matrixBytes: usize = 0;
// the stream: mulberry32 state, Box-Muller's pending second value
let S: u32 = 0, HAS_SPARE: bool = false, SPARE: f64 = 0;

/** Lays the store of `count` matrices out from byte `p` (16-aligned); returns the end. Called by emn-step's configureStore. */
export function layoutStore(n: i32, n4: i32, batch: i32, count: i32, p: usize): usize {
    N = n; N4 = n4; BATCH = batch; COUNT = count;
    matrixBytes = <usize>(n * n4) << 2;
    pStore = p; p += matrixBytes * <usize>count;
    pOf = p; p += ((<usize>batch << 2) + 15) & ~15;
    pOnes = p; p += <usize>n4 << 2;
    pScratch = p; p += 16;
    return p;
}

/** Fills what layoutStore laid out (after the memory grew): zeros, and the ones row. */
export function clearStore(): void {
    memory.fill(pStore, 0, pScratch + 16 - pStore);
    for (let j = 0; j < N; j++) store<f32>(pOnes + (<usize>j << 2), 1);
}

/** Byte offset of stored matrix k ([n, n4] f32, the padding zero): where a host writes a pool's matrices. */
export function matrixOffset(k: i32): usize { return pStore + <usize>k * matrixBytes; }

/** Row i of sample b's matrix in the last drawn batch. */
// @ts-ignore: decorator
@inline export function sampleRow(b: i32, i: i32): usize {
    return <usize>load<u32>(pOf + (<usize>b << 2)) + (<usize>(i * N4) << 2);
}

export function setStream(state: u32, hasSpare: i32, spare: f64): void { S = state; HAS_SPARE = hasSpare != 0; SPARE = spare; }
export function streamState(): u32 { return S; }
export function streamHasSpare(): i32 { return HAS_SPARE ? 1 : 0; }
export function streamSpare(): f64 { return SPARE; }

/** rng.ts next(): uniform in [0, 1). */
// @ts-ignore: decorator
@inline function next(): f64 {
    S += GOLDEN;
    return <f64>mulberryScalar(S) / 4294967296.0;
}

/** rng.ts normal(): Box-Muller, the second value kept for the next call. */
function normal(): f64 {
    if (HAS_SPARE) {
        HAS_SPARE = false;
        return SPARE;
    }
    let u = next();
    while (u == 0) u = next();
    const r = Math.sqrt(-2 * jsLog(u));
    const theta = 2 * Math.PI * next();
    SPARE = r * jsSin(theta);
    HAS_SPARE = true;
    return r * jsCos(theta);
}

/** rng.ts sample(d): p1, p2 = low, high - low (uniform) or mean, std (normal). */
// @ts-ignore: decorator
@inline function sample(kind: i32, p1: f64, p2: f64): f64 {
    if (kind == UNIFORM) return p1 + p2 * next();
    if (kind == NORMAL) return p1 + p2 * normal();
    return 1;
}

/**
 * A fresh matrix into `m` (sampling.ts sampleMatrix): the mask of bernoulli.ts drawMask (kept where u <= t), then,
 * for weighted entries, each kept entry's value in row-major order.
 */
function drawMatrix(m: usize, t: u32, kind: i32, p1: f64, p2: f64): void {
    const start = S, top = i8x16.splat(<i8>(t >>> 24));
    for (let i = 0; i < N; i++) {
        const row = m + (<usize>(i * N4) << 2);
        drawGatedRow(start, i, N4, t, top, pOnes, row, pScratch);
    }
    S = start + <u32>(N * (N4 >> 2)) * GOLDEN;
    if (kind == BINARY) return;
    for (let i = 0; i < N; i++) {
        const row = m + (<usize>(i * N4) << 2);
        for (let j = 0; j < N4; j += 4) {
            let bits = i32x4.bitmask(f32x4.ne(v128.load(row + (<usize>j << 2)), f32x4.splat(0)));
            while (bits != 0) {
                const at = row + (<usize>(j + ctz(bits)) << 2);
                bits &= bits - 1;
                store<f32>(at, <f32>sample(kind, p1, p2));
            }
        }
    }
}

/**
 * Draws a batch from the stream (setStream): each sample's matrix (source FRESH: drawn with mask threshold t and entry
 * distribution aKind, p1, p2 into store slot b; POOL: stored matrix floor(next() K); FIXED: stored matrix `fixed`),
 * then its vector (xKind, x1, x2) into X [B, n4] at pX. The stream ends where the JS sampler's would.
 */
export function drawBatch(source: i32, t: u32, aKind: i32, a1: f64, a2: f64, xKind: i32, x1: f64, x2: f64, fixed: i32, pX: usize): void {
    for (let b = 0; b < BATCH; b++) {
        let m: usize;
        if (source == FRESH) {
            m = matrixOffset(b);
            drawMatrix(m, t, aKind, a1, a2);
        } else if (source == POOL) {
            m = matrixOffset(<i32>Math.floor(next() * <f64>COUNT));
        } else {
            m = matrixOffset(fixed);
        }
        store<u32>(pOf + (<usize>b << 2), <u32>m);
        const row = pX + (<usize>(b * N4) << 2);
        for (let j = 0; j < N; j++) store<f32>(row + (<usize>j << 2), <f32>sample(xKind, x1, x2));
    }
}

/**
 * Row i of sample b: A_b[i][j] x_b[j] into axRow (f32 products, as the JS sampler stores them) and its sum, the target
 * (A x)_i (f32 lanes, where JS sums in f64: a few ulps apart).
 */
// @ts-ignore: decorator
@inline export function gateStoredRow(b: i32, i: i32, xRow: usize, axRow: usize): f32 {
    const m = sampleRow(b, i);
    let ysum = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= N4; j += 8) {
        const at = <usize>j << 2;
        const a0 = f32x4.mul(v128.load(m + at), v128.load(xRow + at)), a1 = f32x4.mul(v128.load(m + at, 16), v128.load(xRow + at, 16));
        v128.store(axRow + at, a0);
        v128.store(axRow + at, a1, 16);
        ysum = f32x4.add(ysum, f32x4.add(a0, a1));
    }
    if (j < N4) {
        const at = <usize>j << 2, a0 = f32x4.mul(v128.load(m + at), v128.load(xRow + at));
        v128.store(axRow + at, a0);
        ysum = f32x4.add(ysum, a0);
    }
    return f32x4.extract_lane(ysum, 0) + f32x4.extract_lane(ysum, 1) + f32x4.extract_lane(ysum, 2) + f32x4.extract_lane(ysum, 3);
}
