// Semantic highlighting: declaration names and references by kind, property keywords, enum-like values, numbers.
import { describe, expect, test } from 'vitest';
import { expectSemanticToken, highlightHelper } from 'langium/test';
import { SemanticTokenTypes } from 'vscode-languageserver';
import { useEmnServices } from './emn-test-services.js';

describe('semantic tokens', () => {
    const { services } = useEmnServices();
    const highlight = highlightHelper(services);

    test('each kind of token', async () => {
        const tokens = await highlight(
            'operation <|Op|> { <|size|> <|20|> entries <|uniform|>(0, 1) }\n' +
                'network <|Net|> { pruning <|rowwise|> }\n' +
                'experiment <|Exp|> { learn <|Op|> with <|Net|> optimizer sgd(<|lr|> 0.1) sweep <|sparsity|> [0.1, <|0.2|>] }',
        );
        const expected: SemanticTokenTypes[] = [
            SemanticTokenTypes.type,
            SemanticTokenTypes.property,
            SemanticTokenTypes.number,
            SemanticTokenTypes.enumMember,
            SemanticTokenTypes.class,
            SemanticTokenTypes.enumMember,
            SemanticTokenTypes.namespace,
            SemanticTokenTypes.type,
            SemanticTokenTypes.class,
            SemanticTokenTypes.parameter,
            SemanticTokenTypes.property,
            SemanticTokenTypes.number,
        ];
        expect(tokens.ranges).toHaveLength(expected.length);
        expected.forEach((tokenType, rangeIndex) => expectSemanticToken(tokens, { rangeIndex, tokenType }));
    });

    test('declaration names carry the declaration modifier, references do not', async () => {
        const tokens = await highlight('operation Op {}\nnetwork Net {}\nexperiment E { learn Op with Net }');
        const ops = tokens.tokens.filter(t => t.text === 'Op');
        expect(ops.map(t => t.tokenModifiers)).toHaveLength(2);
        expect(ops[0].tokenModifiers).not.toBe(ops[1].tokenModifiers);
        expect(ops[1].tokenModifiers).toBe(0);
    });
});
