// Stable hash of a compiled plan (sha256 of canonical JSON): results whose hash differs from the spec's are stale.
import { createHash } from 'node:crypto';
import type { CompiledPlan } from './plan-types.js';

/** JSON with object keys sorted at every level, so equal plans give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
    const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The version of the random stream a plan's numbers come from (training/bernoulli.ts, sampling.ts and the SIMD
 * module). It is part of every plan hash, so results drawn from an older stream read as stale, not as unreproducible.
 * 1: one 32-bit draw per entry of A; 2: one byte per entry (ties decided by 24 more bits), weighted values after the mask.
 */
export const SAMPLER_VERSION = 2;

export function planHash(plan: CompiledPlan): string {
    return createHash('sha256').update(`sampler ${SAMPLER_VERSION}\n`).update(canonicalJson(plan)).digest('hex');
}
