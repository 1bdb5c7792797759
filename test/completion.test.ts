// Completion: keywords valid at the cursor, values with snippets and docs, defaults for numbers, references across files.
import { describe, expect, test } from 'vitest';
import { expectCompletion } from 'langium/test';
import { InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { useEmnServices } from './emn-test-services.js';

const labels = (items: CompletionItem[]) => items.map(i => i.label);

describe('completion', () => {
    const { services, parse } = useEmnServices();
    const complete = expectCompletion(services);

    test('declaration keywords at the top level', async () => {
        await complete({ text: '<|>', index: 0, expectedItems: ['import', 'operation', 'network', 'experiment'] });
    });

    test('operation properties, without a second kind or a repeated property', async () => {
        await complete({
            text: 'operation Op { <|> }',
            index: 0,
            expectedItems: ['matvec', 'power', 'polynomial', 'size', 'sparsity', 'entries', 'vectors', 'rank', 'matrix', 'normalize'],
        });
        await complete({
            text: 'operation Op { matvec size 3 <|> }',
            index: 0,
            expectedItems: ['sparsity', 'entries', 'vectors', 'rank', 'matrix', 'normalize'],
        });
        // `normalize` offers its three modes
        await complete({ text: 'operation Op { matvec normalize <|> }', index: 0, expectedItems: ['none', 'rows', 'symmetric'] });
    });

    test('experiment properties keep evaluate and sweep, which may repeat', async () => {
        await complete({
            text: 'experiment E { learn X with Y steps 3 evaluate 10 samples <|> }',
            index: 0,
            // `on` and `at` continue the evaluate property
            assert: list =>
                expect(labels(list.items).sort()).toEqual([
                    'at',
                    'batch',
                    'evaluate',
                    'on',
                    'optimizer',
                    'pool',
                    'schedule',
                    'seed',
                    'seeds',
                    'stop',
                    'sweep',
                ]),
        });
    });

    test('enum-like values', async () => {
        await complete({ text: 'network N { pruning <|> }', index: 0, expectedItems: ['rowwise', 'none'] });
        await complete({ text: 'network N { activation <|> }', index: 0, expectedItems: ['none', 'relu', 'tanh'] });
        await complete({
            text: 'experiment E { schedule metaEpochs 1 masks 2 steps 3 order <|> }',
            index: 0,
            expectedItems: ['fixed', 'shuffled', 'sparsity'],
        });
        await complete({
            text: 'experiment E { sweep <|> }',
            index: 0,
            expectedItems: [
                'size',
                'sparsity',
                'power',
                'rank',
                'width',
                'depth',
                'masking',
                'pool',
                'batch',
                'steps',
                'lr',
                'seed',
                'order',
                'masks',
                'metaEpochs',
                'maskSteps',
                'activation',
                'pruning',
                'weights',
                'momentum',
                'architecture',
                'hidden',
            ],
        });
        await complete({ text: 'network N { architecture <|> }', index: 0, expectedItems: ['emn', 'mlp'] });
    });

    test('a named sweep offers the names of its parameter only', async () => {
        await complete({ text: 'experiment E { sweep activation [<|>] }', index: 0, expectedItems: ['none', 'relu', 'tanh'] });
        await complete({ text: 'experiment E { sweep architecture [<|>] }', index: 0, expectedItems: ['emn', 'mlp'] });
        await complete({ text: 'experiment E { sweep order [fixed, <|>] }', index: 0, expectedItems: ['fixed', 'shuffled', 'sparsity'] });
    });

    test('distributions come with snippets; binary only for entries', async () => {
        await complete({
            text: 'operation Op { entries <|> }',
            index: 0,
            assert: list => {
                expect(labels(list.items)).toEqual(['binary', 'uniform', 'normal']);
                const uniform = list.items.find(i => i.label === 'uniform')!;
                expect(uniform.insertTextFormat).toBe(InsertTextFormat.Snippet);
                expect(uniform.textEdit && 'newText' in uniform.textEdit ? uniform.textEdit.newText : undefined).toBe(
                    'uniform(${1:-1}, ${2:1})',
                );
                expect(uniform.documentation).toEqual({ kind: 'markdown', value: expect.stringMatching(/needs a < b/) });
            },
        });
        await complete({ text: 'operation Op { vectors <|> }', index: 0, expectedItems: ['uniform', 'normal'] });
    });

    test('optimisers and schedules come with their arguments; options fit the optimiser', async () => {
        await complete({
            text: 'experiment E { optimizer <|> }',
            index: 0,
            assert: list =>
                expect(list.items.map(i => (i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : i.label))).toEqual([
                    'sgd(lr ${1:0.05}, momentum ${2:0.9})',
                    'adam(lr ${1:0.01})',
                ]),
        });
        await complete({ text: 'experiment E { optimizer sgd(<|> }', index: 0, expectedItems: ['lr', 'momentum'] });
        await complete({ text: 'experiment E { optimizer adam(lr 0.1, <|> }', index: 0, expectedItems: ['beta1', 'beta2', 'epsilon'] });
        await complete({
            text: 'experiment E { schedule <|> }',
            index: 0,
            assert: list =>
                expect(list.items.map(i => (i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : i.label))).toEqual([
                    'joint',
                    'metaEpochs ${1:5} masks ${2:64} steps ${3:40} order ${4|shuffled,fixed,sparsity|}',
                ]),
        });
    });

    test('a number proposes the default', async () => {
        await complete({ text: 'operation Op { size <|> }', index: 0, expectedItems: ['20'] });
        await complete({ text: 'network N { width <|> }', index: 0, expectedItems: ['4'] });
        await complete({ text: 'experiment E { steps <|> }', index: 0, expectedItems: ['3000'] });
        await complete({ text: 'operation Op { power <|> }', index: 0, expectedItems: ['2', '3'] });
    });

    test('references offer operations and networks of the file and its imports, not of other files', async () => {
        await parse('operation Remote {}\nnetwork RemoteNet {}', 'file:///ws/other.emn');
        await parse('operation Unimported {}\nnetwork UnimportedNet {}', 'file:///ws/third.emn');
        await complete({
            text: 'import "other.emn"\noperation Local {}\nnetwork LocalNet {}\nexperiment E { learn <|> }',
            index: 0,
            parseOptions: { documentUri: 'file:///ws/main.emn' },
            assert: list => expect(labels(list.items).sort()).toEqual(['Local', 'Remote']),
        });
        await complete({
            text: 'import "other.emn"\noperation Local {}\nnetwork LocalNet {}\nexperiment E { learn Local with <|> }',
            index: 0,
            parseOptions: { documentUri: 'file:///ws/main2.emn' },
            assert: list => expect(labels(list.items).sort()).toEqual(['LocalNet', 'RemoteNet']),
        });
    });

    test('a partial word is completed', async () => {
        await complete({ text: 'operation Op { vectors un<|> }', index: 0, expectedItems: ['uniform'] });
    });
});
