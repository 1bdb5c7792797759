// Seeded pseudo-random numbers (mulberry32): same seed => same weights, matrices and vectors on every run.
import type { DistributionSpec } from '../spec/spec-types.js';

export class Rng {
    private state: number;
    private spareNormal: number | undefined;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    /** The raw generator state (hot loops inline mulberry32 on a local copy, then hand it back: same stream). */
    get rawState(): number {
        return this.state;
    }
    set rawState(s: number) {
        this.state = s >>> 0;
    }

    /** Box-Muller's pending second value (a kernel that draws normals itself takes it and hands it back). */
    get spare(): number | undefined {
        return this.spareNormal;
    }
    set spare(v: number | undefined) {
        this.spareNormal = v;
    }

    /** Uniform in [0, 1). */
    next(): number {
        let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    uniform(low: number, high: number): number {
        return low + (high - low) * this.next();
    }

    /** Standard normal (Box-Muller, the second value kept for the next call). */
    normal(): number {
        if (this.spareNormal !== undefined) {
            const v = this.spareNormal;
            this.spareNormal = undefined;
            return v;
        }
        let u = this.next();
        while (u === 0) u = this.next();
        const r = Math.sqrt(-2 * Math.log(u));
        const theta = 2 * Math.PI * this.next();
        this.spareNormal = r * Math.sin(theta);
        return r * Math.cos(theta);
    }

    /** Integer in [0, k). */
    int(k: number): number {
        return Math.floor(this.next() * k);
    }

    /** A value of a distribution; binary gives 1. */
    sample(d: DistributionSpec): number {
        switch (d.kind) {
            case 'binary':
                return 1;
            case 'uniform':
                return this.uniform(d.low, d.high);
            case 'normal':
                return d.mean + d.std * this.normal();
        }
    }

    /** Fisher-Yates shuffle in place. */
    shuffle<T>(items: T[]): T[] {
        for (let i = items.length - 1; i > 0; i--) {
            const j = this.int(i + 1);
            [items[i], items[j]] = [items[j], items[i]];
        }
        return items;
    }
}
