// Parsing: every construct of the spec language gives the expected AST without lexer or parser errors.
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as ast from '../language-server/generated/ast.js';
import { useEmnServices } from './emn-test-services.js';

/** The named fields of an AST node (comparing whole nodes would walk $container cycles when a diff is printed). */
function pick(node: object | undefined, ...keys: string[]): Record<string, unknown> {
    const record = (node ?? {}) as Record<string, unknown>;
    return Object.fromEntries(keys.map(k => [k, record[k]]));
}

function noSyntaxErrors(doc: { parseResult: { lexerErrors: unknown[]; parserErrors: { message: string }[] } }): void {
    expect(doc.parseResult.lexerErrors).toEqual([]);
    expect(doc.parseResult.parserErrors.map(e => e.message)).toEqual([]);
}

describe('parsing', () => {
    const { parse } = useEmnServices();

    test('an operation with every property and each distribution', async () => {
        const doc = await parse(`
            operation Op { matvec size 20 sparsity 0.5 entries normal(0, 1) vectors uniform(-1, 1) }
            operation Pw { power 3 entries binary }
            operation Poly { polynomial [0.5, 1, -0.25, 1e-3] }`);
        noSyntaxErrors(doc);
        const [op, pw, poly] = doc.parseResult.value.declarations as ast.Operation[];
        expect(op.properties.map(p => p.$type)).toEqual([
            'MatvecKind',
            'SizeProperty',
            'SparsityProperty',
            'EntriesProperty',
            'VectorsProperty',
        ]);
        const entries = op.properties[3] as ast.EntriesProperty;
        expect(pick(entries.distribution, '$type', 'mean', 'std')).toEqual({ $type: 'NormalDistribution', mean: 0, std: 1 });
        expect(pick((op.properties[4] as ast.VectorsProperty).distribution, '$type', 'low', 'high')).toEqual({
            $type: 'UniformDistribution',
            low: -1,
            high: 1,
        });
        expect(pick(pw.properties[0], '$type', 'order')).toEqual({ $type: 'PowerKind', order: 3 });
        expect((pw.properties[1] as ast.EntriesProperty).distribution.$type).toBe('BinaryDistribution');
        expect((poly.properties[0] as ast.PolynomialKind).coefficients).toEqual([0.5, 1, -0.25, 1e-3]);
    });

    test('a network with every property and value', async () => {
        const doc = await parse('network N { width 4 depth 2 masking 1 pruning none activation tanh }');
        noSyntaxErrors(doc);
        const net = doc.parseResult.value.declarations[0] as ast.Network;
        expect(net.properties.map(p => pick(p, '$type', 'value', 'mode', 'function'))).toEqual([
            { $type: 'WidthProperty', value: 4, mode: undefined, function: undefined },
            { $type: 'DepthProperty', value: 2, mode: undefined, function: undefined },
            { $type: 'MaskingProperty', value: 1, mode: undefined, function: undefined },
            { $type: 'PruningProperty', value: undefined, mode: 'none', function: undefined },
            { $type: 'ActivationProperty', value: undefined, mode: undefined, function: 'tanh' },
        ]);
    });

    test('an experiment with every property, both optimisers and both schedules', async () => {
        const doc = await parse(`
            operation Op {}
            operation Other {}
            network N {}
            experiment A {
                learn Op with N
                optimizer adam(lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-8)
                batch 32 steps 100 stop when mse < 1e-7 schedule joint seed 0 pool 16
                evaluate 100 samples
                evaluate 100 samples on Other
                evaluate 100 samples on pool
                sweep size [5, 10], lr [0.1, 0.01]
            }
            experiment B { learn Op with N optimizer sgd() schedule metaEpochs 5 masks 64 steps 40 order sparsity }
            experiment C { learn Op with N optimizer sgd(lr 0.05, momentum 0.9) schedule metaEpochs 1 masks 2 steps 3 }`);
        noSyntaxErrors(doc);
        const [, , , a, b, c] = doc.parseResult.value.declarations as ast.Experiment[];
        const learn = a.properties[0] as ast.LearnProperty;
        expect(learn.operation.ref?.name).toBe('Op');
        expect(learn.network.ref?.name).toBe('N');
        const opt = (a.properties[1] as ast.OptimizerProperty).optimizer;
        expect(opt.$type).toBe('AdamOptimizer');
        expect(opt.options.map(o => [o.name, o.value])).toEqual([
            ['lr', 0.01],
            ['beta1', 0.9],
            ['beta2', 0.999],
            ['epsilon', 1e-8],
        ]);
        expect(
            pick(
                a.properties.find(p => p.$type === 'StopProperty'),
                'metric',
                'threshold',
            ),
        ).toEqual({ metric: 'mse', threshold: 1e-7 });
        const evals = a.properties.filter((p): p is ast.EvaluateProperty => p.$type === 'EvaluateProperty');
        expect(evals.map(e => [e.samples, e.operation?.ref?.name, e.pool])).toEqual([
            [100, undefined, false],
            [100, 'Other', false],
            [100, undefined, true],
        ]);
        const sweep = a.properties.find((p): p is ast.SweepProperty => p.$type === 'SweepProperty')!;
        expect(sweep.axes.map(x => [x.parameter, x.values])).toEqual([
            ['size', [5, 10]],
            ['lr', [0.1, 0.01]],
        ]);
        const sgd = (b.properties[1] as ast.OptimizerProperty).optimizer;
        expect([sgd.$type, sgd.options.length]).toEqual(['SgdOptimizer', 0]);
        expect(pick((b.properties[2] as ast.ScheduleProperty).schedule, '$type', 'metaEpochs', 'masks', 'stepsPerMask', 'order')).toEqual({
            $type: 'MetaEpochSchedule',
            metaEpochs: 5,
            masks: 64,
            stepsPerMask: 40,
            order: 'sparsity',
        });
        expect(pick((c.properties[2] as ast.ScheduleProperty).schedule, 'order')).toEqual({ order: undefined });
    });

    test('comments of both kinds are ignored', async () => {
        const doc = await parse('/* block\n comment */ network N { // line comment\n width 4 }');
        noSyntaxErrors(doc);
        expect(doc.parseResult.value.declarations).toHaveLength(1);
    });

    test('a syntax error is reported where it happens', async () => {
        const doc = await parse('network N {\n    width\n}');
        expect(doc.parseResult.parserErrors.length).toBeGreaterThan(0);
        expect(doc.parseResult.parserErrors[0].token.startLine).toBe(3);
    });

    test('every example parses', async () => {
        const dir = resolve(__dirname, '../examples');
        const files = readdirSync(dir).filter(f => f.endsWith('.emn'));
        expect(files.length).toBeGreaterThanOrEqual(6);
        for (const file of files) {
            const doc = await parse(readFileSync(join(dir, file), 'utf8'), `file:///examples-parse/${file}`);
            noSyntaxErrors(doc);
        }
    });
});
