// Tables for people (engine/format-tables.ts): markdown that also reads as plain text, and the CLI's plain-text tables.
import { describe, expect, it } from 'vitest';
import { markdownTable, textTable } from '../engine/format-tables.js';

describe('markdownTable', () => {
    it('pads every column to one width: names left, numbers right, a rule with the alignment colons', () => {
        expect(
            markdownTable(
                ['metric', 'A', 'B'],
                [
                    ['mse', '0.01', '1.5e-3'],
                    ['max |err|', '2', '30'],
                ],
            ),
        ).toEqual([
            '| metric      |    A |      B |',
            '|-------------|-----:|-------:|',
            '| mse         | 0.01 | 1.5e-3 |',
            '| max \\|err\\| |    2 |     30 |',
        ]);
    });

    it('takes the alignment per column, keeps rules at three dashes, and never lets a cell break a row', () => {
        expect(markdownTable(['a', 'b'], [['x', 'two\nlines'], ['y']], ['right', 'left'])).toEqual([
            '|   a | b         |',
            '|----:|-----------|',
            '|   x | two lines |',
            '|   y |           |',
        ]);
    });
});

describe('textTable', () => {
    it('aligns the first column left and the others right, two spaces apart, with no trailing spaces', () => {
        expect(
            textTable(
                ['name', 'mse', 'note'],
                [
                    ['long name', '0.5', ''],
                    ['b', '12', 'x'],
                ],
            ),
        ).toEqual(['name       mse  note', '---------  ---  ----', 'long name  0.5', 'b           12     x']);
    });
});
