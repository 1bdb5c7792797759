// Quick fixes: out-of-range values become the nearest valid value, misspelt references the close declared names.
import { describe, expect, test } from 'vitest';
import { testCodeAction } from 'langium/test';
import { DocumentValidator } from 'langium';
import type { CodeAction } from 'vscode-languageserver';
import { DiagnosticCodes } from '../language-server/validation/diagnostic-codes.js';
import { useEmnServices } from './emn-test-services.js';

const DECLS = 'operation Matvec20 {}\noperation Matvec10 { size 10 }\nnetwork Emn {}\n';

describe('quick fixes', () => {
    const { services, validate } = useEmnServices();
    const fix = testCodeAction(services);

    test.each([
        ['sparsity above 1 becomes 0.99', 'operation O { sparsity 1.5 }', 'operation O { sparsity 0.99 }'],
        ['sparsity below 0 becomes 0', 'operation O { sparsity -0.2 }', 'operation O { sparsity 0 }'],
        ['a non-integer size is rounded', 'operation O { size 12.4 }', 'operation O { size 12 }'],
        ['a non-positive width becomes 1', 'network N { width -3 }', 'network N { width 1 }'],
        [
            'a negative seed becomes 0',
            'network N {}\noperation O {}\nexperiment E { learn O with N seed -4 }',
            'network N {}\noperation O {}\nexperiment E { learn O with N seed 0 }',
        ],
        [
            'a negative lr loses its sign',
            'network N {}\noperation O {}\nexperiment E { learn O with N optimizer sgd(lr -0.1) }',
            'network N {}\noperation O {}\nexperiment E { learn O with N optimizer sgd(lr 0.1) }',
        ],
        [
            'a swept value is fixed in place',
            'network N {}\noperation O {}\nexperiment E { learn O with N sweep sparsity [0.2, 1] }',
            'network N {}\noperation O {}\nexperiment E { learn O with N sweep sparsity [0.2, 0.99] }',
        ],
    ])('%s', async (_name, before, after) => {
        const result = await fix(before, DiagnosticCodes.ValueRange, after);
        expect(result.action?.title).toMatch(/^Use .* \(the nearest valid value\)$/);
    });

    test('reversed uniform bounds are swapped', async () => {
        await fix('operation O { entries uniform(1, -1) }', DiagnosticCodes.UniformBounds, 'operation O { entries uniform(-1, 1) }');
    });

    test('binary vectors become the default vector distribution', async () => {
        await fix('operation O { vectors binary }', DiagnosticCodes.BinaryVectors, 'operation O { vectors uniform(-1, 1) }');
    });

    test('a repeated property line is removed', async () => {
        await fix(
            'network N {\n    width 4\n    width 8 // wider\n    depth 2\n}',
            DiagnosticCodes.DuplicateProperty,
            'network N {\n    width 4\n    depth 2\n}',
        );
    });

    test('a repeated optimiser option is removed with its comma', async () => {
        const before = 'network N {}\noperation O {}\nexperiment E { learn O with N optimizer sgd(lr 0.1, momentum 0.5, lr 0.2) }';
        await fix(
            before,
            DiagnosticCodes.DuplicateOption,
            'network N {}\noperation O {}\nexperiment E { learn O with N optimizer sgd(lr 0.1, momentum 0.5) }',
        );
    });

    test('a misspelt reference is changed to the close declared name', async () => {
        const result = await fix(
            `${DECLS}experiment E { learn Matvec20 with Enm }`,
            DocumentValidator.LinkingError,
            `${DECLS}experiment E { learn Matvec20 with Emn }`,
        );
        expect(result.action?.title).toBe('Change to Emn');
    });

    test('several close names are offered nearest first, only of the referenced kind', async () => {
        // Matvec2n is as close as Matvec20 but a network: not offered for an operation reference
        const result = await validate(`${DECLS}network Matvec2n {}\nexperiment E { learn Matvec2 with Emn }`);
        const diagnostic = result.diagnostics.find(d => (d.data as { code?: string })?.code === DocumentValidator.LinkingError)!;
        expect(diagnostic).toBeDefined();
        const actions = (await services.lsp.CodeActionProvider!.getCodeActions(result.document, {
            textDocument: { uri: result.document.uri.toString() },
            range: diagnostic.range,
            context: { diagnostics: [diagnostic] },
        })) as CodeAction[];
        expect(actions.map(a => a.title)).toEqual(['Change to Matvec20', 'Change to Matvec10']);
        expect(actions.map(a => a.isPreferred)).toEqual([true, false]);
    });

    test('a name far from every declaration gets no suggestion', async () => {
        const result = await validate(`${DECLS}experiment E { learn Completely with Emn }`);
        const diagnostic = result.diagnostics.find(d => (d.data as { code?: string })?.code === DocumentValidator.LinkingError)!;
        const actions = await services.lsp.CodeActionProvider!.getCodeActions(result.document, {
            textDocument: { uri: result.document.uri.toString() },
            range: diagnostic.range,
            context: { diagnostics: [diagnostic] },
        });
        expect(actions).toEqual([]);
    });
});
