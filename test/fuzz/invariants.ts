// What every diagnostic and CLI line must satisfy, whatever the input: ranges inside the text, a message, no caught crash.

/** Lines as LSP counts them: only \r\n, \r and \n end a line (not U+2028), so ranges are comparable. */
export function lspLines(text: string): string[] {
    return text.split(/\r\n|\r|\n/);
}

interface Position {
    line: number;
    character: number;
}
interface DiagnosticLike {
    range?: { start?: Position; end?: Position };
    message?: unknown;
    severity?: unknown;
}

/** LSP 3.18 allows a MarkupContent message; the text is what a user reads. */
export function messageText(message: unknown): string {
    if (typeof message === 'string') return message;
    const value = (message as { value?: unknown } | null)?.value;
    return typeof value === 'string' ? value : '';
}

/** Langium turns an exception thrown by a validator into a diagnostic with this text: it is a crash, not a finding. */
export const CAUGHT_CRASH = /An error occurred during (validation|set-up of the validation|tear-down of the validation)/;

/** Problems with one published diagnostic (empty if it is well formed). */
export function checkDiagnostic(d: DiagnosticLike, lines: string[]): string[] {
    const problems: string[] = [];
    const r = d.range;
    const pos = (p: Position | undefined, what: string): boolean => {
        if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character)) {
            problems.push(`${what} is not an integer position: ${JSON.stringify(p)}`);
            return false;
        }
        if (p.line < 0 || p.line >= lines.length) {
            problems.push(`${what}.line ${p.line} outside 0..${lines.length - 1}`);
            return false;
        }
        // the end of a range may sit one past the last character of its line
        if (p.character < 0 || p.character > lines[p.line].length + 1)
            problems.push(`${what}.character ${p.character} outside 0..${lines[p.line].length + 1} on line ${p.line}`);
        return true;
    };
    const okStart = pos(r?.start, 'start'),
        okEnd = pos(r?.end, 'end');
    if (
        okStart &&
        okEnd &&
        r?.start &&
        r.end &&
        (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character))
    ) {
        problems.push(`start ${JSON.stringify(r.start)} after end ${JSON.stringify(r.end)}`);
    }
    const message = messageText(d.message);
    if (message.trim() === '') problems.push(`empty message: ${JSON.stringify(d.message)}`);
    else if (CAUGHT_CRASH.test(message)) problems.push(`a validator threw: ${message}`);
    if (d.severity !== undefined && ![1, 2, 3, 4].includes(d.severity as number)) problems.push(`bad severity ${String(d.severity)}`);
    return problems.map(p => `${p} (message: ${JSON.stringify(message.slice(0, 200))})`);
}

/** `emn check` output contract: `file:line:col: severity: message`, line/col (1-based) inside the file. */
export const CHECK_LINE = /^(.+):(\d+):(\d+): (error|warning|info): (.+)$/;
