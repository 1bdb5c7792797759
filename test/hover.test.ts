// Hovers: keyword docs with defaults, reference and declaration summaries with resolved values, and the training hook.
import { describe, expect, test } from 'vitest';
import { expectHover } from 'langium/test';
import type { AstNode, LangiumDocument } from 'langium';
import { EmnHoverProvider } from '../language-server/lsp/emn-hover-provider.js';
import { offsetOf, useEmnServices } from './emn-test-services.js';

const SPEC = `operation Matvec20 {
    matvec
    size 20
    sparsity 0.5
    entries binary
}
network Emn { width 4 masking 1 }
experiment Paper {
    learn <|>Matvec20 with <|>Emn
    optimizer sgd(<|>lr 0.05)
    steps 3000
    seed 7
}`;

/** SPEC without its markers, with one marker placed by replacing `from` with `to`. */
const PLAIN = SPEC.split('<|>').join('');
const mark = (from: string, to: string) => {
    if (!PLAIN.includes(from)) throw new Error(`'${from}' not in SPEC`);
    return PLAIN.replace(from, to);
};

describe('hover', () => {
    const { services, parse } = useEmnServices();
    const hover = expectHover(services);

    test('a reference to an operation summarises it with defaults resolved', async () => {
        await hover({
            text: SPEC,
            index: 0,
            hover: /operation Matvec20: matvec, n = 20, sparsity 0\.5, entries binary, vectors uniform\(-1, 1\)\n```\n\nDefaults used: vectors\./,
        });
    });

    test('a reference to a network summarises it with defaults resolved', async () => {
        await hover({
            text: SPEC,
            index: 1,
            hover: /network Emn: width 4, depth 2, masking 1, pruning rowwise, activation none, weights per-edge\n```\n\nDefaults used: depth, pruning, activation, weights\./,
        });
    });

    test('a declaration name shows the same summary', async () => {
        await hover({ text: mark('operation Matvec20', 'operation Mat<|>vec20'), index: 0, hover: /operation Matvec20: matvec, n = 20/ });
        await hover({
            text: mark('experiment Paper', 'experiment Pa<|>per'),
            index: 0,
            hover: /experiment Paper: learn Matvec20 with Emn, optimizer sgd\(lr 0\.05, momentum 0\.9\), batch 64, steps 3000, schedule joint, seed 7, evaluate 1000 samples on Matvec20\n```\n\nEstimate: 2,000 parameters, about [\d.]+ kB per step, about [\d.]+ s of training/,
        });
    });

    test('a property keyword shows its JSDoc, which says the default', async () => {
        await hover({
            text: mark('    size 20', '    si<|>ze 20'),
            index: 0,
            hover: /^`size n`: A is n x n.*Default: 20\. Allowed: a positive integer\.$/s,
        });
        await hover({
            text: mark('entries binary', 'entries binary\n    vec<|>tors normal(0, 1)'),
            index: 0,
            hover: /`vectors D`.*Default: `uniform\(-1, 1\)`\./s,
        });
        await hover({ text: mark('steps 3000', 'st<|>eps 3000'), index: 0, hover: /`steps N`.*Default: 3000\./s });
    });

    test('every property keyword says its default once, and it is the default the resolver uses', async () => {
        const { defaultValueText } = await import('../language-server/lsp/spec-summary.js');
        const text =
            'operation Op { matvec size 20 sparsity 0.5 entries binary vectors uniform(-1, 1) }\n' +
            'network Net { width 4 depth 2 masking 1 pruning rowwise activation none }\n' +
            'experiment E { learn Op with Net optimizer sgd(lr 0.05) batch 64 steps 3000 stop when mse < 1e-6 schedule joint seed 1 seeds 1 pool 8 evaluate 10 samples }\n';
        const properties: [string, string][] = [
            ['size', 'SizeProperty'],
            ['sparsity', 'SparsityProperty'],
            ['entries', 'EntriesProperty'],
            ['vectors', 'VectorsProperty'],
            ['width', 'WidthProperty'],
            ['depth', 'DepthProperty'],
            ['masking', 'MaskingProperty'],
            ['pruning', 'PruningProperty'],
            ['activation', 'ActivationProperty'],
            ['optimizer', 'OptimizerProperty'],
            ['batch', 'BatchProperty'],
            ['steps', 'StepsProperty'],
            ['stop', 'StopProperty'],
            ['schedule', 'ScheduleProperty'],
            ['seed ', 'SeedProperty'],
            ['seeds', 'SeedsProperty'],
            ['pool', 'PoolProperty'],
            ['evaluate', 'EvaluateProperty'],
        ];
        const doc = await parse(text);
        for (const [keyword, type] of properties) {
            const position = doc.textDocument.positionAt(text.indexOf(keyword) + 1);
            const h = await services.lsp.HoverProvider!.getHoverContent(doc, { textDocument: { uri: doc.uri.toString() }, position });
            const content = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
            expect(content.match(/\bdefault\b/gi), `${keyword}: ${content}`).toHaveLength(1);
            const value = defaultValueText(type);
            if (value !== undefined) expect(content, keyword).toContain(value);
        }
    });

    test('a value explains itself through its property', async () => {
        await hover({
            text: mark('width 4', 'width <|>4'),
            index: 0,
            hover: /^`width w`: units per row cluster.*Default: 4\. Allowed: a positive integer\.$/s,
        });
    });

    test('value keywords and optimiser options have docs', async () => {
        await hover({
            text: mark('entries binary', 'entries bin<|>ary'),
            index: 0,
            hover: /`binary`: every non-zero entry of A is exactly 1/,
        });
        await hover({ text: mark('sgd(', 's<|>gd('), index: 0, hover: /stochastic gradient descent/ });
        await hover({ text: SPEC, index: 2, hover: /^`lr`: the learning rate, > 0\. Default: 0\.05 \(sgd\), 0\.01 \(adam\)\.$/ });
    });

    test('a declaration keyword shows its JSDoc and the whole resolved declaration', async () => {
        await hover({
            text: mark('network Emn', 'netw<|>ork Emn'),
            index: 0,
            hover: /^`network Name \{ \.\.\. \}` declares.*network Emn: width 4, depth 2/s,
        });
    });

    test('whitespace has no hover', async () => {
        await hover({ text: mark('    size 20', '  <|>  size 20'), index: 0, hover: undefined });
    });

    test('getTrainingHoverContent comes first for declaration names, experiments, width/depth/masking and learn references, not elsewhere', async () => {
        const calls: string[] = [];
        class WithTraining extends EmnHoverProvider {
            protected override getTrainingHoverContent(
                _document: LangiumDocument,
                node: AstNode,
                referenced?: AstNode,
            ): Promise<string | undefined> {
                calls.push(node.$type);
                return Promise.resolve(`TRAINED(${node.$type}${referenced ? ` -> ${referenced.$type}` : ''})`);
            }
        }
        const provider = new WithTraining(services);
        const text = PLAIN;
        const doc = await parse(text);
        const at = async (offset: number) => {
            const h = await provider.getHoverContent(doc, {
                textDocument: { uri: doc.uri.toString() },
                position: doc.textDocument.positionAt(offset),
            });
            return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : undefined;
        };
        // a hover is short: what training learned comes before the declaration's summary
        expect(await at(offsetOf(text, 'Emn', 0, 1))).toMatch(/^TRAINED\(Network\)\n\n---\n\n```emn\nnetwork Emn: /s);
        expect(await at(offsetOf(text, 'width', 0, 1))).toMatch(/^TRAINED\(WidthProperty\)/);
        expect(await at(offsetOf(text, 'masking 1', 0, 8))).toMatch(/^TRAINED\(MaskingProperty\)/);
        expect(await at(offsetOf(text, 'experiment', 0, 1))).toMatch(/^TRAINED\(Experiment\)/);
        expect(await at(offsetOf(text, 'Paper', 0, 1))).toMatch(/^TRAINED\(Experiment\)/);
        // the references in `learn Op with Net` ask for that experiment's results, saying which one was hovered
        expect(await at(offsetOf(text, 'Emn', 1, 1))).toMatch(/^TRAINED\(LearnProperty -> Network\)\n\n---\n\n```emn\nnetwork Emn: /s);
        const before = calls.length;
        // other properties do not ask for training content
        expect(await at(offsetOf(text, 'size', 0, 1))).not.toMatch(/TRAINED/);
        expect(calls.length).toBe(before);
    });
});
