// Keeps one pathological file from killing the server: a parser crash becomes a parse error on that file.
import {
    DefaultLangiumDocumentFactory,
    createLangiumParser,
    type AstNode,
    type LangiumCoreServices,
    type LangiumParser,
    type ParseResult,
    type URI,
} from 'langium';
import { isOperationCancelled, type ParserOptions } from 'langium';
import type { CancellationToken } from 'vscode-languageserver-protocol';
import { EmnParserErrorMessageProvider } from './emn-parser-messages.js';
import { errorMessage } from '../../engine/view.js';

/**
 * Chevrotain's error recovery recurses once per consecutive error inside a repetition, so
 * thousands of bad tokens in one block overflow the stack. Langium does not catch that: the
 * exception escapes the document update and ends the process. We catch it, report the first
 * syntax error (found by a parser without recovery, which cannot recurse that way) and
 * rebuild the shared parser, whose internal stack is left dirty by the throw.
 */
export class SafeLangiumDocumentFactory extends DefaultLangiumDocumentFactory {
    private readonly strictParsers = new WeakMap<LangiumCoreServices, LangiumParser>();

    protected override parse<T extends AstNode>(uri: URI, text: string, options?: ParserOptions): ParseResult<T> {
        this.showText(uri, text);
        try {
            return super.parse<T>(uri, text, options);
        } catch (err) {
            return this.recover<T>(uri, text, err, options);
        }
    }

    /** Document updates (didChange) parse through the async parser: same protection. */
    protected override async parseAsync<T extends AstNode>(
        uri: URI,
        text: string,
        cancellationToken: CancellationToken,
    ): Promise<ParseResult<T>> {
        this.showText(uri, text);
        try {
            return await super.parseAsync<T>(uri, text, cancellationToken);
        } catch (err) {
            if (isOperationCancelled(err)) throw err;
            return this.recover<T>(uri, text, err);
        }
    }

    /** The syntax messages name what the text around a mistake holds (the optimiser an option belongs to). */
    private showText(uri: URI, text: string): void {
        const messages = this.serviceRegistry.getServices(uri).parser.ParserErrorMessageProvider;
        if (messages instanceof EmnParserErrorMessageProvider) messages.parsing(text);
    }

    private recover<T extends AstNode>(uri: URI, text: string, err: unknown, options?: ParserOptions): ParseResult<T> {
        {
            const services = this.serviceRegistry.getServices(uri);
            resetParserStack(services.parser.LangiumParser);
            const reason = err instanceof RangeError ? 'too many errors in a row' : errorMessage(err);
            const strict = this.strictParser(services);
            let firstError: ParseResult<T> | undefined;
            try {
                firstError = strict.parse<T>(text, options);
            } catch {
                resetParserStack(strict);
            }
            const errors = firstError?.parserErrors ?? [];
            const where = errors[0]?.token;
            const message =
                `the parser gave up on this file (${reason}); fix the first syntax error` + (errors[0] ? `: ${errors[0].message}` : '');
            return {
                value: (firstError?.value ?? { $type: 'Spec', declarations: [] }) as T,
                lexerErrors: firstError?.lexerErrors ?? [],
                lexerReport: firstError?.lexerReport,
                parserErrors: [
                    {
                        name: 'ParserGaveUp',
                        message,
                        token: where ?? {
                            image: '',
                            startOffset: 0,
                            endOffset: 0,
                            startLine: 1,
                            startColumn: 1,
                            endLine: 1,
                            endColumn: 1,
                            tokenTypeIdx: 0,
                            tokenType: undefined as never,
                        },
                        resyncedTokens: [],
                        context: { ruleStack: [], ruleOccurrenceStack: [] },
                    },
                ],
            };
        }
    }

    private strictParser(services: LangiumCoreServices): LangiumParser {
        let parser = this.strictParsers.get(services);
        if (!parser) {
            parser = createLangiumParser({
                ...services,
                parser: { ...services.parser, ParserConfig: { ...services.parser.ParserConfig, recoveryEnabled: false } },
            });
            this.strictParsers.set(services, parser);
        }
        return parser;
    }
}

/** The parser keeps half-built nodes on its stack after a throw; the next parse would adopt them. */
function resetParserStack(parser: LangiumParser): void {
    const stack = (parser as unknown as { stack?: unknown[] }).stack;
    if (Array.isArray(stack)) stack.length = 0;
}
