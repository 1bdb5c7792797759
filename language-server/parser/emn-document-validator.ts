// Turns syntax errors into diagnostics at the right place, with the fix their message names (data read by the quick fixes).
import {
    DefaultDocumentValidator,
    DocumentValidator,
    type LangiumCoreServices,
    type LangiumDocument,
    type ParseResult,
    type ValidationOptions,
} from 'langium';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { IToken } from 'chevrotain';
import { DiagnosticCodes } from '../validation/diagnostic-codes.js';
import type { EmnParserErrorMessageProvider } from './emn-parser-messages.js';

/** `data` of a syntax error whose message names a fix: the edit, as LSP positions. */
export interface SyntaxFixData {
    code: typeof DiagnosticCodes.SyntaxFix;
    title: string;
    edit: { range: Diagnostic['range']; newText: string };
}

export class EmnDocumentValidator extends DefaultDocumentValidator {
    private readonly messages: EmnParserErrorMessageProvider;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.messages = services.parser.ParserErrorMessageProvider as EmnParserErrorMessageProvider;
    }

    /**
     * One diagnostic per syntax error, at the token the message talks about; a missing value or brace
     * is reported at the end of the token it should follow. An error that Chevrotain's recovery reports
     * again on the same token, or another error of a mistake already reported, is dropped (one mistake, one message).
     */
    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const own: Diagnostic[] = [];
        super.processLinkingErrors(document, own, options);
        for (const diagnostic of own) {
            const data = diagnostic.data as { refText?: string; containerType?: string; property?: string } | undefined;
            const type = data?.property === 'network' ? 'Network' : 'Operation';
            if (data?.refText && unreadableDeclarationFor(document, data.refText, type)) continue;
            diagnostics.push(diagnostic);
        }
    }

    protected override processParsingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], _options: ValidationOptions): void {
        const seen = new Set<string>();
        const mistakes = new Set<string>();
        for (const error of parseResult.parserErrors) {
            const previous = (error as { previousToken?: IToken }).previousToken;
            const detail = this.messages.detailOf?.(error.token, previous);
            if (detail?.mistake) {
                if (mistakes.has(detail.mistake)) continue;
                mistakes.add(detail.mistake);
            }
            // a token the recovery inserted has no position: report at the end of the one before it
            const range =
                detail?.atPrevious && validToken(detail.atPrevious)
                    ? endOf(detail.atPrevious)
                    : validToken(error.token)
                      ? rangeOf(error.token)
                      : previous && validToken(previous)
                        ? endOf(previous)
                        : startOfFile();
            const key = `${range.start.line}:${range.start.character}`;
            if (seen.has(key)) continue;
            seen.add(key);
            let data: SyntaxFixData | { code: string } = { code: DocumentValidator.ParsingError };
            if (detail?.fix && validToken(detail.fix.token)) {
                const { token, at, newText, title } = detail.fix;
                const editRange = at === 'replace' ? rangeOf(token) : at === 'after' ? endOf(token) : startOf(token);
                data = { code: DiagnosticCodes.SyntaxFix, title, edit: { range: editRange, newText } };
            }
            diagnostics.push({ severity: DiagnosticSeverity.Error, range, message: error.message, data, source: this.getSource() });
        }
    }
}

/**
 * A reference to a declaration the parser could not read (a misspelt `operaton Op {`, a declaration
 * without its name) is not a second mistake: the syntax error is the one to fix.
 */
function unreadableDeclarationFor(document: LangiumDocument, name: string, type: string): boolean {
    const parseResult = document.parseResult;
    if (parseResult.parserErrors.length === 0) return false;
    const spec = parseResult.value as unknown as { declarations?: Array<{ $type: string; name?: string }> };
    if (spec.declarations?.some(d => d.$type === type && !d.name)) return true;
    // `keyword Name {`, found without a RegExp built from the name: a 10^5-character name would make it too large to compile
    const text = document.textDocument.getText();
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
        const before = text.slice(Math.max(0, at - 64), at);
        const after = text.slice(at + name.length, at + name.length + 64);
        if (/\b\w+\s+$/.test(before) && /^\s*\{/.test(after)) return true;
    }
    return false;
}

function startOfFile(): Diagnostic['range'] {
    return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function validToken(token: IToken): boolean {
    return Number.isFinite(token.startOffset) && token.startOffset >= 0 && Number.isFinite(token.endLine ?? NaN);
}

function rangeOf(token: IToken): Diagnostic['range'] {
    return { start: startOf(token).start, end: endOf(token).end };
}

function startOf(token: IToken): Diagnostic['range'] {
    const position = { line: (token.startLine ?? 1) - 1, character: (token.startColumn ?? 1) - 1 };
    return { start: position, end: position };
}

function endOf(token: IToken): Diagnostic['range'] {
    const position = { line: (token.endLine ?? 1) - 1, character: token.endColumn ?? 0 };
    return { start: position, end: position };
}
