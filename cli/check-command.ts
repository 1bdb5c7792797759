// `emn check <files...>`: prints every diagnostic of the files and of the files they import as file:line:col: severity: message; exit 1 if
// any error.
import type { Diagnostic } from 'vscode-languageserver';
import { loadSpecs, type LoadedSpecs } from './load-specs.js';

function formatDiagnostic(path: string, d: Diagnostic): string {
    const severity = d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info';
    // one diagnostic, one line: parser messages list alternatives on several lines ("1. [binary]\n2. [uniform]")
    const text = typeof d.message === 'string' ? d.message : d.message.value;
    const message = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim() || '(no message)';
    return `${path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity}: ${message}`;
}

/**
 * Prints the diagnostics of the loaded files, then those of the files they import (as an editor shows them: an
 * imported file is loaded once, so its lines come once however many files import it); returns the number of errors
 * (those `counts` accepts).
 */
export function printDiagnostics(
    loaded: LoadedSpecs,
    out: (line: string) => void,
    counts: (d: Diagnostic) => boolean = () => true,
): number {
    let errors = 0;
    for (const { path, reason } of loaded.unreadable) {
        out(`${path}:1:1: error: cannot read file: ${reason}`);
        errors++;
    }
    for (const { path, document } of [...loaded.documents, ...loaded.imported]) {
        const diagnostics = [...(document.diagnostics ?? [])].sort(
            (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
        );
        for (const d of diagnostics) {
            out(formatDiagnostic(path, d));
            if (d.severity === 1 && counts(d)) errors++;
        }
    }
    return errors;
}

export async function runCheckCommand(files: string[]): Promise<number> {
    const loaded = await loadSpecs(files);
    const errors = printDiagnostics(loaded, line => process.stdout.write(line + '\n'));
    return errors > 0 ? 1 : 0;
}
