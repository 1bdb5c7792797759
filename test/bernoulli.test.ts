// Sampler 2's Bernoulli masks (bernoulli.ts): one byte per entry, ties decided by 24 more bits, P(kept) exactly (t + 1) / 2^32.
import { describe, expect, it } from 'vitest';
import { drawMask, GOLDEN, keepThreshold, maskDraws, mulberry32 } from '../engine/training/bernoulli.js';
import { Rng } from '../engine/training/rng.js';
import { sampleMatrix } from '../engine/training/sampling.js';
import type { PlanOperation } from '../engine/compiler/plan-types.js';

const N = 100,
    MASKS = 1000; // 10^7 entries per probability

/** Kept entries of MASKS masks of N x N, and, among entries whose byte tied with t's top byte, how many and how many kept. */
function countKept(keep: number, seed: number) {
    const t = keepThreshold(keep),
        top = t >>> 24,
        rng = new Rng(seed),
        out = new Uint8Array(N * N),
        words = (N + 3) >> 2;
    let kept = 0,
        ties = 0,
        tiesKept = 0;
    for (let m = 0; m < MASKS; m++) {
        const start = rng.rawState;
        drawMask(rng, N, t, out);
        for (let i = 0; i < N; i++) {
            for (let j = 0; j < N; j++) {
                const word = mulberry32((start + Math.imul(i * words + (j >> 2) + 1, GOLDEN)) >>> 0);
                kept += out[i * N + j];
                if (((word >>> (8 * (j & 3))) & 255) === top) {
                    ties++;
                    tiesKept += out[i * N + j];
                }
            }
        }
    }
    return { kept, ties, tiesKept, t };
}

describe('Bernoulli masks from one byte per entry', () => {
    for (const keep of [0.2, 0.5, 0.8, 0.37]) {
        it(`keep ${keep}: the frequency of kept entries is (t + 1) / 2^32 within 4 standard deviations over 10^7 draws`, () => {
            const { kept, ties, tiesKept, t } = countKept(keep, 20261207);
            const total = N * N * MASKS,
                p = (t + 1) / 2 ** 32,
                sd = Math.sqrt(total * p * (1 - p));
            expect(Math.abs(p - keep)).toBeLessThan(2 ** -32);
            // chi-square with one degree of freedom: (k - N p)^2 / (N p (1 - p)) below 16
            expect((kept - total * p) ** 2 / sd ** 2).toBeLessThan(16);
            // the bound can tell sparsity rounded to 1/256ths (0.2 -> 51/256) from the exact one, where they differ
            const rounded = Math.round(p * 256) / 256;
            if (Math.abs(rounded - p) > 1e-4) expect(Math.abs(rounded - p) * total).toBeGreaterThan(4 * sd);
            // ties: about 1 in 256 entries, kept with the threshold's low 24 bits' probability
            const pTie = ((t & 0xffffff) + 1) / 2 ** 24,
                sdTie = Math.sqrt(ties * pTie * (1 - pTie));
            expect(Math.abs(ties - total / 256)).toBeLessThan(4 * Math.sqrt(total / 256));
            if (sdTie > 0) expect(Math.abs(tiesKept - ties * pTie)).toBeLessThan(4 * sdTie);
            else expect(tiesKept).toBe(ties * pTie);
        });
    }

    it('keep 1 keeps every entry; a mask takes ceil(n / 4) draws a row and moves the stream by exactly that', () => {
        const rng = new Rng(3),
            out = new Uint8Array(7 * 7),
            before = rng.rawState;
        drawMask(rng, 7, keepThreshold(1), out);
        expect(Array.from(out).every(v => v === 1)).toBe(true);
        expect(maskDraws(7)).toBe(14);
        expect(rng.rawState).toBe((before + Math.imul(14, GOLDEN)) >>> 0);
    });

    it('weighted entries take the mask, then one value per kept entry in row-major order', () => {
        const op: PlanOperation = {
            name: 'M',
            n: 6,
            sparsity: 0.5,
            entries: { kind: 'uniform', low: 2, high: 3 },
            vectors: { kind: 'uniform', low: -1, high: 1 },
            coefficients: [0, 1],
            target: 'A x',
        };
        const a = sampleMatrix(op, new Rng(11));
        const rng = new Rng(11),
            mask = new Uint8Array(36);
        drawMask(rng, 6, keepThreshold(0.5), mask);
        mask.forEach((m, e) => expect(a[e]).toBe(m ? Math.fround(rng.uniform(2, 3)) : 0));
        expect(mask.some(m => m === 1) && mask.some(m => m === 0)).toBe(true);
    });
});
