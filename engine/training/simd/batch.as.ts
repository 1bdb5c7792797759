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

import { drawGatedRow, GOLDEN, mulberry, mulberryScalar } from './draw.as';

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
// one sample's normal entry values in draw order (f32), one slot before the first (read, never used, by lanes not kept)
let pValues: usize = 0;
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
    pValues = p + 16; p += 16 + ((<usize>(n * n4) << 2) + 15) & ~15;
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

/** One Box-Muller pair of rng.ts normal(): z0 = r cos(theta) returned, z1 = r sin(theta) kept as the spare. */
function normalPair(): f64 {
    let u = next();
    while (u == 0) u = next();
    const r = Math.sqrt(-2 * jsLog(u));
    const theta = 2 * Math.PI * next();
    SPARE = r * jsSin(theta);
    return r * jsCos(theta);
}

/**
 * `count` values mean + std z (f32) into `out`, z the next `count` values of rng.ts normal(): the pending spare first,
 * then pairs; an odd value out leaves its pair's second value as the new spare.
 */
function normals(out: usize, count: i32, mean: f64, std: f64): void {
    let k = 0;
    if (count > 0 && HAS_SPARE) {
        store<f32>(out, <f32>(mean + std * SPARE));
        HAS_SPARE = false;
        k = 1;
    }
    for (; k + 1 < count; k += 2) {
        store<f32>(out + (<usize>k << 2), <f32>(mean + std * normalPair()));
        store<f32>(out + (<usize>k << 2), <f32>(mean + std * SPARE), 4);
    }
    if (k < count) {
        store<f32>(out + (<usize>k << 2), <f32>(mean + std * normalPair()));
        HAS_SPARE = true;
    }
}

/**
 * A fresh matrix into `m` (sampling.ts sampleMatrix): the mask of bernoulli.ts drawMask (kept where u <= t), then,
 * for weighted entries, each kept entry's value in row-major order.
 */
function drawMatrix(m: usize, t: u32, kind: i32, p1: f64, p2: f64): void {
    const start = S, top = i8x16.splat(<i8>(t >>> 24));
    let kept: f32 = 0;
    for (let i = 0; i < N; i++) kept += drawGatedRow(start, i, N4, t, top, pOnes, m + (<usize>(i * N4) << 2), pScratch);
    S = start + <u32>(N * (N4 >> 2)) * GOLDEN;
    if (kind == UNIFORM) uniformEntries(m, p1, p2);
    else if (kind == NORMAL) normalEntries(m, <i32>kept, p1, p2);
}

/** The kept entries of mask `m` (`kept` of them) take the next normal values in row-major order (a lane's by its rank). */
function normalEntries(m: usize, kept: i32, mean: f64, std: f64): void {
    normals(pValues, kept, mean, std);
    const zero = i32x4.splat(0);
    // the value index of a lane: values before its quad, plus its rank among the quad's kept lanes, minus one
    let before: i32 = -1;
    for (let i = 0; i < N; i++) {
        const row = m + (<usize>(i * N4) << 2);
        for (let j = 0; j < N4; j += 4) {
            const at = row + (<usize>j << 2);
            const keep = f32x4.ne(v128.load(at), f32x4.splat(0));
            const c = i32x4.sub(zero, keep);
            const c1 = i32x4.add(c, v128.shuffle<i32>(zero, c, 0, 4, 5, 6));
            const rank = i32x4.add(c1, v128.shuffle<i32>(zero, c1, 0, 0, 4, 5));
            const index = i32x4.shl(i32x4.add(i32x4.splat(before), rank), 2);
            const values = f32x4(
                load<f32>(pValues + <usize>i32x4.extract_lane(index, 0)),
                load<f32>(pValues + <usize>i32x4.extract_lane(index, 1)),
                load<f32>(pValues + <usize>i32x4.extract_lane(index, 2)),
                load<f32>(pValues + <usize>i32x4.extract_lane(index, 3)),
            );
            v128.store(at, v128.and(values, keep));
            before += i32x4.extract_lane(rank, 3);
        }
    }
}

/**
 * Uniform values of the kept entries of mask `m`, four entries at a time: the k-th kept entry (row-major) takes draw k + 1
 * of the stream, low + span u / 2^32 in f64 as rng.ts computes it, stored as f32. A lane's draw is found from its rank
 * among the kept lanes before it (a prefix sum over the four lanes), so no lane waits for another.
 */
function uniformEntries(m: usize, low: f64, span: f64): void {
    const zero = i32x4.splat(0), golden = i32x4.splat(<i32>GOLDEN);
    const lo = f64x2.splat(low), sp = f64x2.splat(span), scale = f64x2.splat(1.0 / 4294967296.0);
    let base = S;
    for (let i = 0; i < N; i++) {
        const row = m + (<usize>(i * N4) << 2);
        for (let j = 0; j < N4; j += 4) {
            const at = row + (<usize>j << 2);
            const kept = f32x4.ne(v128.load(at), f32x4.splat(0));
            // inclusive prefix count of kept lanes: the kept lane's draw number after base
            const c = i32x4.sub(zero, kept);
            const c1 = i32x4.add(c, v128.shuffle<i32>(zero, c, 0, 4, 5, 6));
            const rank = i32x4.add(c1, v128.shuffle<i32>(zero, c1, 0, 0, 4, 5));
            const u = mulberry(i32x4.add(i32x4.splat(<i32>base), i32x4.mul(rank, golden)));
            const v01 = f64x2.add(lo, f64x2.mul(sp, f64x2.mul(f64x2.convert_low_i32x4_u(u), scale)));
            const v23 = f64x2.add(lo, f64x2.mul(sp, f64x2.mul(f64x2.convert_low_i32x4_u(v128.shuffle<i32>(u, u, 2, 3, 2, 3)), scale)));
            const values = v128.shuffle<f32>(f32x4.demote_f64x2_zero(v01), f32x4.demote_f64x2_zero(v23), 0, 1, 4, 5);
            v128.store(at, v128.and(values, kept));
            base += <u32>i32x4.extract_lane(rank, 3) * GOLDEN;
        }
    }
    S = base;
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
        if (xKind == NORMAL) normals(row, N, x1, x2);
        else for (let j = 0; j < N; j++) store<f32>(row + (<usize>j << 2), xKind == UNIFORM ? <f32>(x1 + x2 * next()) : 1);
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
