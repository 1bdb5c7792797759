// Navigation from Langium's defaults: go to definition, find references, rename (across files), document symbols, folding.
import { describe, expect, test } from 'vitest';
import { expectFindReferences, expectFoldings, expectGoToDefinition, expectSymbols } from 'langium/test';
import { TextDocument } from 'langium';
import { offsetOf, useEmnServices } from './emn-test-services.js';

describe('navigation', () => {
    const { services, parse } = useEmnServices();

    test('go to definition from learn and evaluate references', async () => {
        const text =
            'operation <|Matvec20|> {}\noperation <|Weighted|> {}\nnetwork <|Emn|> {}\nexperiment E {\n    learn Mat<|>vec20 with E<|>mn\n    evaluate 10 samples on Weigh<|>ted\n}';
        await expectGoToDefinition(services)({ text, index: 0, rangeIndex: 0 });
        await expectGoToDefinition(services)({ text, index: 1, rangeIndex: 2 });
        await expectGoToDefinition(services)({ text, index: 2, rangeIndex: 1 });
    });

    test('go to definition follows an import', async () => {
        await parse('network Remote {}', 'file:///nav/decl.emn');
        const text = 'import "decl.emn"\noperation Op {}\nexperiment E { learn Op with Rem<|>ote }';
        const doc = await parse(text.replace('<|>', ''), 'file:///nav/use.emn');
        const links = await services.lsp.DefinitionProvider!.getDefinition(doc, {
            textDocument: { uri: doc.uri.toString() },
            position: doc.textDocument.positionAt(text.indexOf('<|>')),
        });
        expect(links?.map(l => [l.targetUri, l.targetSelectionRange.start])).toEqual([['file:///nav/decl.emn', { line: 0, character: 8 }]]);
    });

    test('a local declaration wins over an imported one of the same name', async () => {
        await parse('network Remote {}', 'file:///nav/decl2.emn');
        const text = 'import "decl2.emn"\nnetwork Remote {}\noperation Op {}\nexperiment E { learn Op with Rem<|>ote }';
        const doc = await parse(text.replace('<|>', ''), 'file:///nav/use2.emn');
        const links = await services.lsp.DefinitionProvider!.getDefinition(doc, {
            textDocument: { uri: doc.uri.toString() },
            position: doc.textDocument.positionAt(text.indexOf('<|>') - '<|>'.length),
        });
        expect(links?.map(l => [l.targetUri, l.targetSelectionRange.start])).toEqual([['file:///nav/use2.emn', { line: 1, character: 8 }]]);
    });

    test('find references of an operation, with and without its declaration', async () => {
        const base =
            'operation <|Ma<|>tvec20|> {}\nnetwork N {}\nexperiment A { learn <|Matvec20|> with N }\nexperiment B { learn <|Matvec20|> with N evaluate 5 samples on <|Matvec20|> }';
        await expectFindReferences(services)({ text: base, includeDeclaration: true });
        await expectFindReferences(services)({
            text: 'operation Ma<|>tvec20 {}\nnetwork N {}\nexperiment A { learn <|Matvec20|> with N }\nexperiment B { learn <|Matvec20|> with N evaluate 5 samples on <|Matvec20|> }',
            includeDeclaration: false,
        });
    });

    test('rename a network updates its declaration and every reference, in every file that imports it', async () => {
        const declText = 'network Emn { width 4 }\noperation Op {}\nexperiment Here { learn Op with Emn }';
        const decl = await parse(declText, 'file:///rename/decl.emn');
        const use = await parse('import "decl.emn"\nexperiment There { learn Op with Emn }', 'file:///rename/use.emn');
        // a file that does not import decl.emn has its own Emn: renaming decl's leaves it alone
        const other = await parse('network Emn {}\noperation Op {}\nexperiment Else { learn Op with Emn }', 'file:///rename/other.emn');
        const edit = await services.lsp.RenameProvider!.rename(decl, {
            textDocument: { uri: decl.uri.toString() },
            position: decl.textDocument.positionAt(offsetOf(declText, 'Emn', 0, 1)),
            newName: 'Wide',
        });
        const apply = (doc: typeof decl) => TextDocument.applyEdits(doc.textDocument, edit?.changes?.[doc.uri.toString()] ?? []);
        expect(apply(decl)).toBe('network Wide { width 4 }\noperation Op {}\nexperiment Here { learn Op with Wide }');
        expect(apply(use)).toBe('import "decl.emn"\nexperiment There { learn Op with Wide }');
        expect(edit?.changes?.[other.uri.toString()]).toBeUndefined();
    });

    test('keywords such as optimiser options are not renameable symbols', async () => {
        const text = 'operation Op {}\nnetwork N {}\nexperiment E { learn Op with N optimizer sgd(lr 0.1) }';
        const doc = await parse(text);
        const edit = await services.lsp.RenameProvider!.rename(doc, {
            textDocument: { uri: doc.uri.toString() },
            position: doc.textDocument.positionAt(offsetOf(text, 'lr', 0, 1)),
            newName: 'rate',
        });
        expect(edit?.changes ?? {}).toEqual({});
    });

    test('document symbols list the declarations', async () => {
        await expectSymbols(services)({
            text: 'operation Matvec20 { size 20 }\nnetwork Emn {}\nexperiment Paper { learn Matvec20 with Emn optimizer sgd(lr 0.1) }',
            expectedSymbols: ['Matvec20', 'Emn', 'Paper'],
        });
    });

    test('declarations fold', async () => {
        await expectFoldings(services)({
            text: 'operation Op <|{\n    size 20\n    sparsity 0.5|>\n}\nnetwork N <|{\n    width 4|>\n}',
        });
    });
});
