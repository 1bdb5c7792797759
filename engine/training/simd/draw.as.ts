// AssemblyScript: the batch draws of emn-step.as.ts (sampler 2: mulberry32 as a counter, one byte per entry of A).
// Compiled into emn-step.wasm through emn-step.as.ts's import; the JS twin is ../bernoulli.ts. Not TypeScript for tsc.

/** mulberry32's increment: draw k of a stream hashes s0 + k * GOLDEN. */
export const GOLDEN: u32 = 0x6d2b79f5;
/** Keys a mask's tie stream off its start state (bernoulli.ts TIE_KEY). */
const TIE_KEY: u32 = 0x9e3779b9;

/** mulberry32's outputs of four already advanced states, one a lane. */
// @ts-ignore: decorator
@inline export function mulberry(s: v128): v128 {
    let t = i32x4.mul(v128.xor(s, i32x4.shr_u(s, 15)), v128.or(s, i32x4.splat(1)));
    t = v128.xor(t, i32x4.add(t, i32x4.mul(v128.xor(t, i32x4.shr_u(t, 7)), v128.or(t, i32x4.splat(61)))));
    return v128.xor(t, i32x4.shr_u(t, 14));
}

/** Scalar mulberry32 output of state s (already advanced). */
// @ts-ignore: decorator
@inline export function mulberryScalar(s: u32): u32 {
    let t: u32 = (s ^ (s >>> 15)) * (s | 1);
    t ^= t + (t ^ (t >>> 7)) * (t | 61);
    return t ^ (t >>> 14);
}

/**
 * Byte lanes of `tie` (bytes equal to t's top byte) decided by the tie stream of the sample whose mask starts at
 * state `start`: byte lane p is entry byte index e0 + p (bernoulli.ts tieKeeps). Rare: 16/256 of the groups.
 */
function resolveTies(keep: v128, tie: v128, start: u32, e0: i32, t: u32, scratch: usize): v128 {
    v128.store(scratch, keep);
    const base = mulberryScalar(start ^ TIE_KEY), low = t & 0xffffff;
    let bits = i8x16.bitmask(tie);
    while (bits != 0) {
        const p = ctz(bits);
        bits &= bits - 1;
        if ((mulberryScalar(base + <u32>(e0 + p + 1) * GOLDEN) & 0xffffff) <= low) store<u8>(scratch + <usize>p, 0xff);
    }
    return v128.load(scratch);
}

/** Byte mask (0xff kept) of the 16 entries whose bytes are u, entry byte indices e0..e0+15 of the mask from `start`. */
// @ts-ignore: decorator
@inline function keepBytes(u: v128, top: v128, start: u32, e0: i32, t: u32, scratch: usize): v128 {
    const keep = i8x16.lt_u(u, top), tie = i8x16.eq(u, top);
    return v128.any_true(tie) ? resolveTies(keep, tie, start, e0, t, scratch) : keep;
}

/** Four entries of A x: x where `mask`, else 0, stored at `ax`. */
// @ts-ignore: decorator
@inline function gate(x: usize, ax: usize, mask: v128): v128 {
    const a = v128.and(v128.load(x), mask);
    v128.store(ax, a);
    return a;
}

/**
 * Row i of one sample's A x (its mask drawn from `start`; n4 entries a row) into axRow (x where kept, else 0; padded lanes of x are zero, so they stay zero whatever
 * their draw), returning the row's sum (its target (A x)_i). One mulberry32 call over 4 lanes gives 16 entries, a
 * byte each; lane l's bytes are entries j+4l..j+4l+3, widened to lane masks (0xff -> 0xffffffff). In the last group,
 * the words past the row belong to the next row: drawn, not used. Returns the row's sum, the target (A x)_i.
 */
// @ts-ignore: decorator
@inline export function drawGatedRow(start: u32, i: i32, N4: i32, t: u32, top: v128, xRow: usize, axRow: usize, scratch: usize): f32 {
    let s = i32x4.add(i32x4.splat(<i32>(start + (<u32>(i * (N4 >> 2)) + 1) * GOLDEN)),
        i32x4(0, <i32>GOLDEN, <i32>(GOLDEN * 2), <i32>(GOLDEN * 3)));
    const step4 = i32x4.splat(<i32>(GOLDEN * 4));
    let ysum = f32x4.splat(0);
    const full = N4 & ~15;
    let j = 0;
    // the four quads of a group summed as a tree, then added: one add carried from group to group
    for (; j < full; j += 16) {
        const keep = keepBytes(mulberry(s), top, start, i * N4 + j, t, scratch);
        s = i32x4.add(s, step4);
        const lo = i16x8.extend_low_i8x16_s(keep), hi = i16x8.extend_high_i8x16_s(keep), at = <usize>j << 2;
        const a0 = gate(xRow + at, axRow + at, i32x4.extend_low_i16x8_s(lo));
        const a1 = gate(xRow + at + 16, axRow + at + 16, i32x4.extend_high_i16x8_s(lo));
        const a2 = gate(xRow + at + 32, axRow + at + 32, i32x4.extend_low_i16x8_s(hi));
        const a3 = gate(xRow + at + 48, axRow + at + 48, i32x4.extend_high_i16x8_s(hi));
        ysum = f32x4.add(ysum, f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
    }
    if (j < N4) {
        const keep = keepBytes(mulberry(s), top, start, i * N4 + j, t, scratch);
        const lo = i16x8.extend_low_i8x16_s(keep), at = <usize>j << 2;
        ysum = f32x4.add(ysum, gate(xRow + at, axRow + at, i32x4.extend_low_i16x8_s(lo)));
        if (j + 4 < N4) ysum = f32x4.add(ysum, gate(xRow + at + 16, axRow + at + 16, i32x4.extend_high_i16x8_s(lo)));
        if (j + 8 < N4) {
            const hi = i16x8.extend_high_i8x16_s(keep);
            ysum = f32x4.add(ysum, gate(xRow + at + 32, axRow + at + 32, i32x4.extend_low_i16x8_s(hi)));
        }
    }
    return f32x4.extract_lane(ysum, 0) + f32x4.extract_lane(ysum, 1) + f32x4.extract_lane(ysum, 2) + f32x4.extract_lane(ysum, 3);
}


/** x_b for every sample of the fresh binary batch from s0: X [B, n4] at pX, zero padded (sample b's x follows its mask). */
export function drawX(s0: u32, low: f64, span: f64, pX: usize, n: i32, n4: i32, batch: i32): void {
    const maskDraws: u32 = <u32>(n * (n4 >> 2)), perSample: u32 = maskDraws + <u32>n;
    for (let b = 0; b < batch; b++) {
        const row = pX + (<usize>(b * n4) << 2);
        let s: u32 = s0 + (<u32>b * perSample + maskDraws) * GOLDEN;
        for (let j = 0; j < n; j++) {
            s += GOLDEN;
            store<f32>(row + (<usize>j << 2), <f32>(low + span * (<f64>mulberryScalar(s) / 4294967296.0)));
        }
        for (let j = n; j < n4; j++) store<f32>(row + (<usize>j << 2), 0);
    }
}
