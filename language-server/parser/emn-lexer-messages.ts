// Characters the language has no use for, said in its words (Chevrotain's lexer message hook): one message per run of them.
import type { ILexerErrorMessageProvider, IToken } from 'chevrotain';
import { NAME_RULE } from '../language-facts.js';

export class EmnLexerErrorMessageProvider implements ILexerErrorMessageProvider {
    buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number): string {
        const text = fullText.substr(startOffset, length);
        if (text.startsWith('"')) return 'a quoted path ends on the same line with `"`: import "ops.emn"';
        if (/^\p{L}/u.test(text)) return `\`${text}\` cannot be part of a name. ${NAME_RULE}`;
        if (text.startsWith(';')) return '`;` is not part of the language: a property ends where the next one starts';
        return (
            `\`${text}\` is not part of the language: names are letters, digits and _, numbers look like 20, 0.5 or 1e-6, ` +
            'lists are [1, 2], and comments start with //'
        );
    }

    buildUnableToPopLexerModeMessage(token: IToken): string {
        return `unexpected \`${token.image}\``;
    }
}
