// Derived seeds: independent, well-mixed streams (weights, data, evaluation) from one spec seed.

/** A well-mixed 32-bit seed for stream `stream` of a spec seed (splitmix32 finaliser). */
export function deriveSeed(seed: number, stream: number): number {
    let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
    return (z ^ (z >>> 15)) >>> 0;
}
