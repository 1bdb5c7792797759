// Encodes weight tensors as base64 float32 for result files (4 bytes per value instead of ~20 as JSON text).
import type { WeightTensor } from './result-types.js';

export interface EncodedWeightTensor {
    name: string;
    shape: number[];
    dtype: 'float32';
    base64: string;
}

export function encodeWeight(t: WeightTensor): EncodedWeightTensor {
    const f = Float32Array.from(t.values);
    return { name: t.name, shape: t.shape, dtype: 'float32', base64: Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64') };
}

export function decodeWeight(e: EncodedWeightTensor): WeightTensor {
    if (typeof e?.base64 !== 'string' || !Array.isArray(e.shape) || typeof e.name !== 'string') throw new Error('malformed weight tensor');
    const bytes = Buffer.from(e.base64, 'base64');
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== count * 4) throw new Error(`weight ${e.name}: ${bytes.length} bytes for shape [${e.shape.join(', ')}]`);
    // copy into an aligned buffer (Buffer slices may start at any byte offset)
    const aligned = new Uint8Array(bytes.length);
    aligned.set(bytes);
    return { name: e.name, shape: e.shape, values: Array.from(new Float32Array(aligned.buffer)) };
}

/** Whether a value looks like an encoded tensor (so a file can hold either form). */
export function isEncodedWeight(v: unknown): v is EncodedWeightTensor {
    return typeof v === 'object' && v !== null && typeof (v as EncodedWeightTensor).base64 === 'string';
}
