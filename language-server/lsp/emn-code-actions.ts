// Quick fixes for the validator's diagnostics (by data.code) and for unresolved references (close names).
import { DocumentValidator, type IndexManager, type LangiumDocument, type MaybePromise } from 'langium';
import type { SyntaxFixData } from '../parser/emn-document-validator.js';
import type { EmnScopeProvider } from '../references/emn-scope-provider.js';
import { relativePath } from '../references/import-resolver.js';
import type { CodeActionProvider } from 'langium/lsp';
import {
    CodeActionKind,
    type CodeAction,
    type CodeActionParams,
    type Command,
    type Diagnostic,
    type Range,
    type TextEdit,
} from 'vscode-languageserver';
import type { EmnServices } from '../emn-module.js';
import { DiagnosticCodes, type ReplacementData } from '../validation/diagnostic-codes.js';
import { closeNames } from '../name-suggestions.js';
import { divergedLrFixes } from './diverged-lr-fix.js';
import { TrainingDiagnosticCodes } from './training/training-diagnostics.js';

/** Which declarations a cross-reference property points to. */
const REFERENCE_TARGETS: Record<string, string> = { operation: 'Operation', network: 'Network' };

export class EmnCodeActionProvider implements CodeActionProvider {
    protected readonly indexManager: IndexManager;
    protected readonly scopes: EmnScopeProvider;

    constructor(services: EmnServices) {
        this.indexManager = services.shared.workspace.IndexManager;
        this.scopes = services.references.ScopeProvider as EmnScopeProvider;
    }

    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction>> {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            actions.push(...this.fixesFor(document, diagnostic));
        }
        return actions;
    }

    protected fixesFor(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const data = diagnostic.data as (ReplacementData & { refText?: string; property?: string }) | undefined;
        switch (data?.code as string | undefined) {
            case DiagnosticCodes.ValueRange:
                return data?.replacement
                    ? [this.replace(document, diagnostic, data.replacement, `Use ${data.replacement} (the nearest valid value)`)]
                    : [];
            case DiagnosticCodes.UniformBounds:
                return data?.replacement
                    ? [this.replace(document, diagnostic, data.replacement, `Swap the bounds: ${data.replacement}`)]
                    : [];
            case DiagnosticCodes.BinaryVectors:
                return data?.replacement
                    ? [this.replace(document, diagnostic, data.replacement, `Use ${data.replacement} (the default for vectors)`)]
                    : [];
            case DiagnosticCodes.DuplicateProperty:
            case DiagnosticCodes.MultipleKinds:
                return [
                    this.action(document, diagnostic, 'Remove this property', [
                        { range: lineOrRange(document, diagnostic.range), newText: '' },
                    ]),
                ];
            case DiagnosticCodes.DuplicateOption:
                return [
                    this.action(document, diagnostic, 'Remove the repeated option', [
                        { range: optionWithComma(document, diagnostic.range), newText: '' },
                    ]),
                ];
            case DiagnosticCodes.SyntaxFix: {
                const fix = diagnostic.data as SyntaxFixData;
                return [this.action(document, diagnostic, fix.title, [fix.edit])];
            }
            case DiagnosticCodes.ImportNotAtTop:
                return this.moveImportUp(document, diagnostic);
            case TrainingDiagnosticCodes.Diverged:
                return divergedLrFixes(document, diagnostic);
            case DocumentValidator.LinkingError:
                return this.referenceFixes(document, diagnostic, data?.refText, data?.property);
            default:
                return [];
        }
    }

    /**
     * An import of the file that declares the name, when one does and this file does not import it;
     * else one action per visible name close to the unresolved one, of the kind the reference needs.
     */
    protected referenceFixes(
        document: LangiumDocument,
        diagnostic: Diagnostic,
        refText: string | undefined,
        property: string | undefined,
    ): CodeAction[] {
        const type = property ? REFERENCE_TARGETS[property] : undefined;
        if (!refText || !type) return [];
        const visible = this.scopes.visibleDeclarations(document, type);
        const declaring = this.indexManager
            .allElements(type)
            .find(
                d => d.name === refText && d.documentUri.toString() !== document.uri.toString() && !visible.some(v => v.name === refText),
            );
        if (declaring) {
            const path = relativePath(document.uri, declaring.documentUri);
            return [
                this.action(document, diagnostic, `Add import "${path}"`, [
                    { range: importInsertion(document), newText: `import "${path}"\n` },
                ]),
            ];
        }
        return closeNames(
            refText,
            visible.map(d => d.name),
        ).map((name, i) => {
            const action = this.replace(document, diagnostic, name, `Change to ${name}`);
            action.isPreferred = i === 0;
            return action;
        });
    }

    /** The import's line goes after the imports at the top (or to the first line). */
    protected moveImportUp(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const line = diagnostic.range.start.line;
        const text = document.textDocument.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
        if (!/^\s*import\s+"[^"]*"\s*(\/\/.*)?\r?\n?$/.test(text)) return [];
        const imports = (document.parseResult.value as { imports?: Array<{ $cstNode?: { range: Range } }> }).imports ?? [];
        const top = imports.filter(i => (i.$cstNode?.range.start.line ?? line) < line).at(-1)?.$cstNode?.range.end.line;
        const at = { line: top === undefined ? 0 : top + 1, character: 0 };
        return [
            this.action(document, diagnostic, 'Move the import to the top', [
                { range: { start: at, end: at }, newText: text.trimStart().replace(/\r?\n?$/, '\n') },
                { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' },
            ]),
        ];
    }

    protected replace(document: LangiumDocument, diagnostic: Diagnostic, newText: string, title: string): CodeAction {
        return this.action(document, diagnostic, title, [{ range: diagnostic.range, newText }]);
    }

    protected action(document: LangiumDocument, diagnostic: Diagnostic, title: string, edits: TextEdit[]): CodeAction {
        return {
            title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.textDocument.uri]: edits } },
        };
    }
}

/** Where a new import goes: after the file's last import, else at the very top. */
function importInsertion(document: LangiumDocument): Range {
    const imports = (document.parseResult.value as { imports?: Array<{ $cstNode?: { range: Range } }> }).imports ?? [];
    const last = imports.at(-1)?.$cstNode?.range.end;
    const position = last ? { line: last.line + 1, character: 0 } : { line: 0, character: 0 };
    return { start: position, end: position };
}

/** The whole line (with its line break) when the range is alone on it, else the range itself. */
function lineOrRange(document: LangiumDocument, range: Range): Range {
    const text = document.textDocument.getText();
    const lines = text.split(/\r?\n/);
    if (range.start.line !== range.end.line) return range;
    const line = lines[range.start.line] ?? '';
    const before = line.slice(0, range.start.character);
    const after = line.slice(range.end.character).replace(/\/\/.*$/, '');
    if (before.trim() === '' && after.trim() === '') {
        return { start: { line: range.start.line, character: 0 }, end: { line: range.start.line + 1, character: 0 } };
    }
    return range;
}

/** An optimiser option's name range grown to the whole `, name value` it belongs to. */
function optionWithComma(document: LangiumDocument, nameRange: Range): Range {
    const text = document.textDocument.getText();
    const start = document.textDocument.offsetAt(nameRange.start);
    let end = document.textDocument.offsetAt(nameRange.end);
    // the value after the name
    const valueMatch = /^\s*-?[\d.eE+-]+/.exec(text.slice(end));
    if (valueMatch) end += valueMatch[0].length;
    // the comma (and blanks) before it
    const beforeMatch = /,\s*$/.exec(text.slice(0, start));
    const from = beforeMatch ? start - beforeMatch[0].length : start;
    return { start: document.textDocument.positionAt(from), end: document.textDocument.positionAt(end) };
}
