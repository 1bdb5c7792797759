// The one number and unit formatting of the tool (CLI, server, webview): digits, exponents, bytes, the E label.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatPercent, num, pathWeightLabel, plural } from '../engine/format-numbers.js';

describe('format-numbers', () => {
    it('plural: one in the singular, other counts in the plural, irregular plurals given', () => {
        expect([
            plural(1, 'unit'),
            plural(4, 'unit'),
            plural(0, 'point'),
            plural(1, 'matrix', 'matrices'),
            plural(2, 'matrix', 'matrices'),
        ]).toEqual(['1 unit', '4 units', '0 points', '1 matrix', '2 matrices']);
    });

    it('formatPercent: one decimal, and two significant digits below 0.1% (never "0.0%" for a share that is not 0)', () => {
        expect([0.5, 1 / 20, 1, 2, 1 / 1000, 1 / 100000, 0].map(formatPercent)).toEqual([
            '50.0%',
            '5.0%',
            '100.0%',
            '200.0%',
            '0.1%',
            '0.001%',
            '0%',
        ]);
    });

    it('num: three significant digits, the exponent form below 1e-3 and from 1e5', () => {
        expect([0, 0.5, 1 / 3, 12345.6, 99999, 1e5, 0.001, 0.000999, 3.3e-9, -2.5e7].map(num)).toEqual([
            '0',
            '0.5',
            '0.333',
            '12300',
            '100000',
            '1.00e5',
            '0.001',
            '9.99e-4',
            '3.30e-9',
            '-2.50e7',
        ]);
    });

    it('num: not measured (undefined, or a NaN that crossed JSON as null) is "-", never "null"', () => {
        expect(num(undefined)).toBe('-');
        expect(num(null)).toBe('-');
        expect(num(NaN)).toBe('NaN');
        expect(num(Infinity)).toBe('Infinity');
    });

    it('bytes are SI everywhere', () => {
        expect([512, 4_000, 7_424, 3_400_000, 2_920_400_000].map(formatBytes)).toEqual(['512 B', '4 kB', '7 kB', '3.4 MB', '2.9 GB']);
    });

    it('the path-weight label says what E is compared with', () => {
        expect(pathWeightLabel(undefined)).toBe('mean |E - 1|');
        expect(pathWeightLabel(2)).toBe('mean |E - 2|');
        expect(pathWeightLabel(0.5, true)).toBe('mean|E-0.5|');
    });
});
