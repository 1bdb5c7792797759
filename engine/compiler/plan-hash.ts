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

export function planHash(plan: CompiledPlan): string {
    return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}
