// Seeded PRNG for the fuzzer (mulberry32): every case is reproducible from (seed, index), no Math.random.

/** mulberry32: a tiny 32-bit generator, good enough to pick mutations. Returns floats in [0, 1). */
function mulberry32(state: number): () => number {
    let a = state >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Hashes a string (e.g. EMN_FUZZ_SEED="nightly") or a number to a uint32 seed (FNV-1a). */
export function seedFrom(value: string | number): number {
    const s = String(value).trim();
    if (/^\d+$/.test(s) && Number(s) <= 0xffffffff) return Number(s) >>> 0;
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
}

/** Mixes (seed, index) so neighbouring indices get unrelated streams. */
export function caseState(seed: number, index: number): number {
    let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
}

/** Convenience wrapper with the picks the mutator needs. */
export class Rng {
    private readonly next: () => number;
    constructor(state: number) {
        this.next = mulberry32(state);
    }
    float(): number {
        return this.next();
    }
    /** Integer in [lo, hi] inclusive. */
    int(lo: number, hi: number): number {
        return lo + Math.floor(this.next() * (hi - lo + 1));
    }
    chance(p: number): boolean {
        return this.next() < p;
    }
    pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }
    /** Picks a key of `weights` with probability proportional to its weight. */
    weighted<K extends string>(weights: Record<K, number>): K {
        const entries = Object.entries(weights) as [K, number][];
        let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
        for (const [k, w] of entries) {
            if ((r -= w) < 0) return k;
        }
        return entries[entries.length - 1][0];
    }
    /** Small counts are likely, large ones rare (for "how many mutations"). */
    geometric(p: number, max: number): number {
        let n = 1;
        while (n < max && this.next() > p) n++;
        return n;
    }
}
