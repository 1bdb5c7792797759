// Tables for people: markdown (the plan, `emn diff --md`, `emn report`) and plain text (the CLI's results), columns
// padded to one width so the markdown reads in a terminal too. Pure: no imports, like format-numbers.ts.

export type Align = 'left' | 'right';

/** Default alignment: the first column (names) left, the others (numbers) right. */
const alignOf = (align: readonly Align[] | undefined, c: number): Align => align?.[c] ?? (c === 0 ? 'left' : 'right');

function pad(cell: string, width: number, align: Align): string {
    return align === 'right' ? cell.padStart(width) : cell.padEnd(width);
}

function columnWidths(header: string[], rows: string[][], least: number): number[] {
    return header.map((h, c) => Math.max(h.length, least, ...rows.map(r => (r[c] ?? '').length)));
}

/** A cell's text that cannot break the table: a `|` escaped, line breaks as spaces. */
const markdownCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ');

/** A markdown table, one string per line; `align` per column (default: the first left, the rest right). */
export function markdownTable(header: string[], rows: string[][], align?: readonly Align[]): string[] {
    const head = header.map(markdownCell);
    const body = rows.map(r => header.map((_, c) => markdownCell(r[c] ?? '')));
    // three dashes at least: a rule cell of fewer is not a rule to every renderer
    const widths = columnWidths(head, body, 3);
    const line = (cells: string[]) => `| ${cells.map((cell, c) => pad(cell, widths[c], alignOf(align, c))).join(' | ')} |`;
    const rule = `|${widths.map((w, c) => (alignOf(align, c) === 'right' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
    return [line(head), rule, ...body.map(line)];
}

/** A plain-text table (two spaces between columns, a dashed rule under the header); the first column left, the others right. */
export function textTable(header: string[], rows: string[][]): string[] {
    const widths = columnWidths(header, rows, 0);
    const line = (r: string[]) =>
        r
            .map((cell, c) => pad(cell, widths[c], alignOf(undefined, c)))
            .join('  ')
            .trimEnd();
    return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)];
}
