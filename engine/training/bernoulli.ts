// Bernoulli masks of A from one random byte per entry (sampler 2), exact: the SIMD module (simd/emn-step.as.ts) draws the same.
import type { Rng } from './rng.js';

/** mulberry32's increment: the state after k draws is the state before plus k times this (mod 2^32). */
export const GOLDEN = 0x6d2b79f5;
/** Keys the tie stream of a matrix off its start state, so it is not the main stream's own sequence. */
const TIE_KEY = 0x9e3779b9;

/** mulberry32's output for an already advanced state s (draw k of a stream hashes s0 + k * GOLDEN). */
export function mulberry32(s: number): number {
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
}

/**
 * The keep threshold t of an entry kept with probability `keep` in (0, 1]: kept <=> u <= t for a uniform 32-bit u
 * (t = ceil(keep 2^32) - 1, exact in double), so P(kept) = (t + 1) / 2^32, within 2^-32 of keep and never rounded
 * to a coarser grid.
 */
export function keepThreshold(keep: number): number {
    return Math.ceil(keep * 4294967296) - 1;
}

/** 32-bit words one row of an n x n mask takes: four entries a word. */
function maskWordsPerRow(n: number): number {
    return (n + 3) >> 2;
}

/** Main-stream draws of one n x n mask. */
export function maskDraws(n: number): number {
    return n * maskWordsPerRow(n);
}

/**
 * Whether the entry at byte index e (= i * 4 ceil(n/4) + j) of the mask drawn from start state `start` is kept, given
 * that its byte equalled the threshold's top byte: the low 24 bits of the threshold against 24 bits of the tie stream
 * (draw e + 1 of a stream keyed off `start`). Byte then tie compare is the lexicographic u <= t of a 32-bit u.
 */
function tieKeeps(start: number, e: number, t: number): boolean {
    const base = mulberry32((start ^ TIE_KEY) >>> 0);
    return (mulberry32((base + Math.imul(e + 1, GOLDEN)) >>> 0) & 0xffffff) <= (t & 0xffffff);
}

/**
 * Draws an n x n mask (1 kept, 0 not, row-major into `out`) from `rng`: row i takes words i R + 1 .. i R + R of the
 * stream (R = ceil(n / 4)), entry (i, j) is byte j mod 4 (least significant first) of word i R + floor(j / 4) + 1,
 * kept when that byte is below t's top byte; on equality (probability 1/256) the tie stream decides (tieKeeps).
 * P(kept) is exactly (t + 1) / 2^32, as with one 32-bit draw per entry, at a quarter of the draws.
 */
export function drawMask(rng: Rng, n: number, t: number, out: Uint8Array | Float32Array): void {
    const words = maskWordsPerRow(n),
        top = t >>> 24,
        start = rng.rawState;
    let s = start;
    for (let i = 0; i < n; i++) {
        const row = i * n;
        for (let k = 0; k < words; k++) {
            s = (s + GOLDEN) >>> 0;
            const u = mulberry32(s);
            for (let m = 0, j = 4 * k; m < 4 && j < n; m++, j++) {
                const byte = (u >>> (8 * m)) & 255;
                // (byte - top) >>> 31: 1 below the top byte, branch-free; equality is the rare, well-predicted branch
                out[row + j] = byte === top ? (tieKeeps(start, 4 * (i * words + k) + m, t) ? 1 : 0) : (byte - top) >>> 31;
            }
        }
    }
    rng.rawState = s;
}
