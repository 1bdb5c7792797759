// Validation: every rule of docs/language.md gives its message on the offending value, with a code for quick fixes; valid specs stay clean.
import { describe, expect, test } from 'vitest';
import { expectError, expectNoIssues, expectWarning, type ValidationResult } from 'langium/test';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Spec } from '../language-server/generated/ast.js';
import { DiagnosticCodes } from '../language-server/validation/diagnostic-codes.js';
import { offsetOf, useEmnServices } from './emn-test-services.js';

const NET = 'network Net { width 4 depth 2 }\n';
const OP = 'operation Op { size 10 }\n';

/** Expects exactly one diagnostic with `message` whose range is the nth occurrence of `needle` in the text. */
function expectAt(result: ValidationResult<Spec>, severity: 'error' | 'warning', message: string | RegExp, needle: string, nth = 0): void {
    const text = result.document.textDocument.getText();
    const options = { offset: offsetOf(text, needle, nth), length: needle.length };
    if (severity === 'error') expectError(result, message, options);
    else expectWarning(result, message, options);
}

function codes(result: ValidationResult<Spec>): unknown[] {
    return result.diagnostics.map(d => (d.data as { code?: string } | undefined)?.code);
}

describe('validation: numbers in range', () => {
    const { validate } = useEmnServices();

    test.each([
        ['size', 'operation O { size 2.5 }', '2.5', 'size must be a positive integer; got 2.5', '3'],
        ['size zero', 'operation O { size 0 }', '0', 'size must be a positive integer; got 0', '1'],
        ['sparsity above', 'operation O { sparsity 1.5 }', '1.5', 'sparsity must be in [0, 1); got 1.5', '0.99'],
        ['sparsity 1', 'operation O { sparsity 1 }', '1', 'sparsity must be in [0, 1); got 1', '0.99'],
        ['sparsity below', 'operation O { sparsity -0.1 }', '-0.1', 'sparsity must be in [0, 1); got -0.1', '0'],
        ['power order', 'operation O { power 1.5 }', '1.5', 'power order must be an integer from 1 to 64; got 1.5', '2'],
        ['power order above 64', 'operation O { power 1e300 }', '1e300', 'power order must be an integer from 1 to 64; got 1e+300', '64'],
        [
            'sigma',
            'operation O { entries normal(0, -2) }',
            '-2',
            'sigma (the standard deviation of normal(mu, sigma)) must be > 0; got -2',
            '2',
        ],
        ['width', 'network N { width 0 }', '0', 'width must be a positive integer; got 0', '1'],
        ['depth', 'network N { depth -1 }', '-1', 'depth must be a positive integer; got -1', '1'],
        ['masking', 'network N { masking 0.5 }', '0.5', 'masking must be an integer from 1 to 64; got 0.5', '1'],
        ['masking above 64', 'network N { masking 100000 }', '100000', 'masking must be an integer from 1 to 64; got 100000', '64'],
    ])('%s', async (_name, text, needle, message, replacement) => {
        const result = await validate(text);
        expectAt(result, 'error', message, needle);
        expect(result.diagnostics).toHaveLength(1);
        expect(result.diagnostics[0].data).toEqual({ code: DiagnosticCodes.ValueRange, replacement });
    });

    test('a polynomial of degree above 64 is an error at its coefficients', async () => {
        const coefficients = Array.from({ length: 66 }, () => 1).join(', ');
        const result = await validate(`operation O { polynomial [${coefficients}] }`);
        expectAt(result, 'error', 'a polynomial has degree at most 64 (like power k); this one has degree 65', '1');
    });

    test.each([
        ['batch', 'batch 0', '0', 'batch must be a positive integer; got 0'],
        ['steps', 'steps 10.5', '10.5', 'steps must be a positive integer; got 10.5'],
        ['seed', 'seed -1', '-1', 'seed must be a non-negative integer; got -1'],
        ['seed fraction', 'seed 0.5', '0.5', 'seed must be a non-negative integer; got 0.5'],
        ['pool', 'pool 0', '0', 'pool must be a positive integer; got 0'],
        ['stop threshold', 'stop when mse < 0', '0', 'the stop threshold must be > 0; got 0'],
        ['evaluate samples', 'evaluate 0 samples', '0', 'evaluate samples must be a positive integer; got 0'],
        ['metaEpochs', 'schedule metaEpochs 0 masks 4 steps 7', '0', 'metaEpochs must be a positive integer; got 0'],
        ['masks', 'schedule metaEpochs 2 masks -4 steps 10', '-4', 'masks must be a positive integer; got -4'],
        ['steps per mask', 'schedule metaEpochs 2 masks 4 steps 0.5', '0.5', 'steps per mask must be a positive integer; got 0.5'],
        ['lr', 'optimizer sgd(lr 0)', '0', 'lr must be > 0; got 0'],
        ['momentum', 'optimizer sgd(momentum 1)', '1', 'momentum must be in [0, 1); got 1'],
        ['beta1', 'optimizer adam(beta1 -0.5)', '-0.5', 'beta1 must be in [0, 1); got -0.5'],
        ['beta2', 'optimizer adam(beta2 1.2)', '1.2', 'beta2 must be in [0, 1); got 1.2'],
        ['epsilon', 'optimizer adam(epsilon 0)', '0', 'epsilon must be > 0; got 0'],
        ['swept sparsity', 'sweep sparsity [0.2, 1.5]', '1.5', 'sparsity (swept) must be in [0, 1); got 1.5'],
        ['swept size', 'sweep size [5, 0]', '0', 'size (swept) must be a positive integer; got 0'],
        ['swept lr', 'sweep lr [0.1, -0.1]', '-0.1', 'lr (swept) must be > 0; got -0.1'],
        ['swept seed', 'sweep seed [1, 2.5]', '2.5', 'seed (swept) must be a non-negative integer; got 2.5'],
    ])('experiment: %s', async (_name, property, needle, message) => {
        const prefix = `${OP}${NET}experiment E {\n    learn Op with Net\n    `;
        const result = await validate(`${prefix}${property}\n}`);
        const options = { offset: prefix.length + property.lastIndexOf(needle), length: needle.length };
        expectError(result, message, options);
        expect(result.diagnostics).toHaveLength(1);
        expect(codes(result)).toEqual([DiagnosticCodes.ValueRange]);
    });

    test('valid values give no diagnostics, including the edges of each range', async () => {
        const result = await validate(`
            operation Op { matvec size 1 sparsity 0 entries normal(-3, 0.001) vectors uniform(-1, 1) }
            network Net { width 1 depth 1 masking 1 pruning none activation relu }
            experiment E {
                learn Op with Net
                optimizer adam(lr 1e-4, beta1 0, beta2 0.999, epsilon 1e-8)
                batch 1 steps 1 stop when mse < 1e-12 seed 0 pool 1
                evaluate 1 samples on pool
                sweep sparsity [0, 0.99], seed [0, 1]
            }`);
        expectNoIssues(result);
    });
});

describe('validation: distributions and optimisers', () => {
    const { validate } = useEmnServices();

    test('uniform needs a < b (swap offered when reversed)', async () => {
        const result = await validate('operation O { entries uniform(1, 0) }');
        expectAt(result, 'error', 'uniform(a, b) needs a < b; got uniform(1, 0)', 'uniform(1, 0)');
        expect(result.diagnostics[0].data).toEqual({ code: DiagnosticCodes.UniformBounds, replacement: 'uniform(0, 1)' });
    });

    test('uniform with equal bounds has no automatic fix', async () => {
        const result = await validate('operation O { vectors uniform(2, 2) }');
        expectAt(result, 'error', 'uniform(a, b) needs a < b; got uniform(2, 2)', 'uniform(2, 2)');
        expect(result.diagnostics[0].data).toEqual({ code: DiagnosticCodes.UniformBounds });
    });

    test('binary only for entries', async () => {
        const result = await validate('operation O { entries binary vectors binary }');
        expectAt(result, 'error', /^binary is only for entries .*vectors take uniform\(a, b\) or normal\(mu, sigma\)$/, 'binary', 1);
        expect(result.diagnostics).toHaveLength(1);
    });

    test('options belong to their optimiser', async () => {
        const result = await validate(
            `${OP}${NET}experiment E { learn Op with Net optimizer sgd(lr 0.1, beta1 0.9) }\nexperiment F { learn Op with Net optimizer adam(momentum 0.9) }`,
        );
        expectAt(result, 'error', 'beta1 is not an option of sgd (it belongs to adam); sgd takes lr, momentum', 'beta1');
        expectAt(
            result,
            'error',
            'momentum is not an option of adam (it belongs to sgd); adam takes lr, beta1, beta2, epsilon',
            'momentum',
        );
        expect(result.diagnostics).toHaveLength(2);
    });

    test('an option given twice: error on the second, saying where the first is', async () => {
        const result = await validate(`${OP}${NET}experiment E {\n    learn Op with Net\n    optimizer sgd(lr 0.1, lr 0.2)\n}`);
        expectAt(result, 'error', 'lr is given twice; the first is on line 5, column 19', 'lr', 1);
        expect(codes(result)).toEqual([DiagnosticCodes.DuplicateOption]);
    });
});

describe('validation: structure', () => {
    const { validate } = useEmnServices();

    test('more than one operation kind', async () => {
        const result = await validate('operation O {\n    matvec\n    power 2\n}');
        expectAt(
            result,
            'error',
            'an operation has one kind (matvec, power k or polynomial [...]); O already has matvec on line 2',
            'power 2',
        );
        expect(codes(result)).toEqual([DiagnosticCodes.MultipleKinds]);
    });

    test('a property given twice: error on the second only, saying where the first is', async () => {
        const result = await validate('network N {\n    width 4\n    depth 2\n    width 8\n}');
        expectAt(result, 'error', 'width is set twice in N; the first is on line 2 (remove one)', 'width 8');
        expect(result.diagnostics).toHaveLength(1);
    });

    test('evaluate and sweep may repeat; other experiment properties may not', async () => {
        const result = await validate(
            `${OP}${NET}experiment E {\n learn Op with Net\n evaluate 10 samples\n evaluate 20 samples\n sweep size [5]\n sweep width [2]\n steps 10\n steps 20\n}`,
        );
        expectAt(result, 'error', 'steps is set twice in E; the first is on line 9 (remove one)', 'steps 20');
        expect(result.diagnostics).toHaveLength(1);
    });

    test('duplicate declaration names in one file: error on the second', async () => {
        const result = await validate('operation A {}\nnetwork A {}');
        expectAt(result, 'error', 'A is already declared on line 1; rename one (names are per file)', 'A', 1);
        expect(result.diagnostics).toHaveLength(1);
    });

    test('each file is its own namespace: the same names in two files (a copied spec) are fine', async () => {
        const text = `${OP}${NET}experiment E { learn Op with Net }`;
        expectNoIssues(await validate(text, 'file:///ws/first.emn'));
        expectNoIssues(await validate(text, 'file:///ws/copy.emn'));
    });

    test('references resolve through an import, not without one', async () => {
        await validate('operation Remote { size 5 }\nnetwork RemoteNet {}', 'file:///ws/decls.emn');
        expectNoIssues(await validate('import "decls.emn"\nexperiment E { learn Remote with RemoteNet }', 'file:///ws/uses.emn'));
        const unimported = await validate('experiment E { learn Remote with RemoteNet }', 'file:///ws/no-import.emn');
        expectAt(
            unimported,
            'error',
            'Remote is declared in decls.emn, which this file does not import: add `import "decls.emn"` at the top',
            'Remote',
        );
    });

    test('an unresolved reference is an error on the name', async () => {
        const result = await validate(`${OP}${NET}experiment E { learn Opp with Net }`);
        expectAt(result, 'error', /Opp/, 'Opp');
        expect(codes(result)).toEqual(['linking-error']);
    });

    test('declarations named with a keyword: one message each, never "undefined"', async () => {
        const result = await validate(
            'operation pool { size 20 size 10 matvec power 2 }\nnetwork Net {}\nexperiment seeds { steps 1 }\nexperiment E { learn Op with Net }',
        );
        const messages = result.diagnostics.map(d => d.message);
        expect(messages).toEqual([
            expect.stringMatching(/^an operation needs a name after `operation`; `pool` is a keyword, not a name/),
            expect.stringMatching(/^an experiment needs a name after `experiment`; `seeds` is a keyword, not a name/),
        ]);
    });

    test('missing learn', async () => {
        const result = await validate('experiment Lonely { steps 10 }');
        expectAt(
            result,
            'error',
            'experiment Lonely needs `learn Op with Net`: the operation to learn and the network that learns it',
            'Lonely',
        );
        expect(result.diagnostics).toHaveLength(1);
    });

    test('duplicate sweep parameters, also across sweep properties', async () => {
        const result = await validate(
            `${OP}${NET}experiment E {\n learn Op with Net\n sweep size [5], sparsity [0.1]\n sweep size [10]\n}`,
        );
        expectAt(result, 'error', 'size is swept twice; the first is on line 5 (put all values in one list)', 'size', 2);
        expect(codes(result)).toEqual([DiagnosticCodes.DuplicateSweepParameter]);
    });

    test('evaluate on an operation of another size', async () => {
        const text = `operation Big { size 20 }\noperation Small { size 10 }\n${NET}experiment E {\n learn Big with Net\n evaluate 10 samples on Small\n}`;
        const result = await validate(text);
        expectAt(
            result,
            'error',
            'Small has size 10 but Big is learned at size 20: use `weights shared` in Net: a per-edge network has weights for its ' +
                'training size only (or evaluate on an operation of size 20)',
            'Small',
            1,
        );
        expect(result.diagnostics).toHaveLength(1);
    });

    test('evaluate on an operation of another size: defaults count; a swept size is no way round it; shared weights are', async () => {
        const result = await validate(
            `operation Big { size 20 }\noperation Default20 {}\noperation Small { size 10 }\n${NET}network Shared { weights shared }\n` +
                `experiment E { learn Big with Net evaluate 10 samples on Default20 }\nexperiment F { learn Big with Net evaluate 10 samples on Small sweep size [5, 10] }\n` +
                `experiment G { learn Big with Shared evaluate 10 samples on Small sweep size [5, 10] }`,
        );
        expectAt(result, 'error', /^Small has size 10 but Big is learned at size 5, 10: use `weights shared` in Net/, 'Small', 1);
        expect(result.diagnostics).toHaveLength(1);
    });

    test('evaluate on pool needs a pool or the meta-epoch schedule', async () => {
        const result = await validate(
            `${OP}${NET}experiment E { learn Op with Net evaluate 10 samples on pool }\nexperiment F { learn Op with Net pool 8 evaluate 10 samples on pool }\nexperiment G { learn Op with Net schedule metaEpochs 2 masks 8 steps 5 evaluate 10 samples on pool }`,
        );
        expectAt(
            result,
            'error',
            'evaluate on pool needs a training pool: add `pool K` or use `schedule metaEpochs M masks K steps E`',
            'pool',
        );
        expect(result.diagnostics).toHaveLength(1);
    });
});

describe('validation: warnings', () => {
    const { validate } = useEmnServices();

    test('power k learned with masking < k warns on the network reference', async () => {
        const result = await validate('operation Sq { power 2 }\nnetwork One { masking 1 }\nexperiment E { learn Sq with One }');
        expectAt(
            result,
            'warning',
            'power 2 (Sq) cannot be represented exactly with masking 1: expect an error floor; use masking 2',
            'One',
            1,
        );
        expect(result.diagnostics).toHaveLength(1);
        expect(result.diagnostics[0].severity).toBe(DiagnosticSeverity.Warning);
    });

    test('a polynomial of degree k (trailing zeros ignored) warns with the default masking', async () => {
        const result = await validate(
            'operation P { polynomial [0.5, 1, 0.25, 0] }\nnetwork Default {}\nexperiment E { learn P with Default }',
        );
        expectAt(
            result,
            'warning',
            'a polynomial of degree 2 (P) cannot be represented exactly with masking 1: expect an error floor; use masking 2',
            'Default',
            1,
        );
    });

    test('masking k or more: no warning; swept masking warns on the short values only', async () => {
        const result = await validate(
            'operation Sq { power 2 }\nnetwork Two { masking 2 }\nexperiment E { learn Sq with Two }\nexperiment F { learn Sq with Two sweep masking [1, 2, 3] }',
        );
        expectAt(result, 'warning', /with masking 1: expect an error floor; use masking 2$/, '1');
        expect(result.diagnostics).toHaveLength(1);
    });

    test('an experiment that needs more memory than training allows is an error with the estimate, as train refuses it', async () => {
        const result = await validate(
            'operation Huge { size 2000 }\nnetwork Wide { width 4 }\nexperiment TooBig { learn Huge with Wide batch 1024 steps 10 }',
        );
        expectAt(
            result,
            'error',
            /^experiment TooBig cannot train: needs about \d+(\.\d)? GB of memory per training step, more than the 8 GB training allows: lower size, width, masking or batch$/,
            'TooBig',
        );
        expect(codes(result)).toEqual([DiagnosticCodes.TooBigToTrain]);
    });

    test('size 100000: one error (the memory), not two warnings', async () => {
        const result = await validate('operation Op { size 100000 }\nnetwork Net {}\nexperiment E { learn Op with Net }');
        expect(result.diagnostics.map(d => [d.severity, d.message])).toEqual([
            [
                DiagnosticSeverity.Error,
                expect.stringMatching(/^experiment E cannot train: needs about [\d.]+ GB of memory per training step/),
            ],
        ]);
    });

    test('an experiment that trains too long says the estimate', async () => {
        const result = await validate(
            'operation Mid { size 100 }\nnetwork Dense { width 16 pruning none }\nexperiment Slow { learn Mid with Dense steps 100000 }',
        );
        expectAt(
            result,
            'warning',
            /^experiment Slow would train for about \d+(\.\d)? h \(> 1 h at the measured speed of the SIMD layers step\): lower steps, size, width or the sweep$/,
            'Slow',
        );
    });

    test('a sweep of more than 100 points warns with its estimated time', async () => {
        const values = Array.from({ length: 12 }, (_, k) => k + 2).join(', ');
        const result = await validate(
            `operation Op { size 10 }\nnetwork Net {}\nexperiment Grid { learn Op with Net steps 100 sweep size [${values}], seed [${values}] }`,
        );
        expectAt(
            result,
            'warning',
            /^experiment Grid trains 144 points, about [\d.]+ (s|min|h) at the measured speed of the SIMD step \(the cost model's; `emn train --plan` and the lens say it at this machine's\): fewer values, or train it on Slurm \(emn sweep slurm\)$/,
            'Grid',
        );
        expect(codes(result)).toEqual([DiagnosticCodes.TooExpensive]);
    });

    test('a sweep of fewer points that takes more than 10 minutes warns with its estimated time; seeds count as points', async () => {
        const result = await validate(
            'operation Op { size 100 }\nnetwork Net { width 16 }\nnetwork Dense { width 16 pruning none }\n' +
                'experiment Long { learn Op with Dense steps 10000 sweep width [8, 16] }\n' +
                'experiment Seeded { learn Op with Net steps 100 seeds 20 sweep depth [1, 2, 3, 4, 5, 6] }',
        );
        expectAt(
            result,
            'warning',
            /^experiment Long trains 2 points, about [\d.]+ min at the measured speed of the SIMD layers step/,
            'Long',
        );
        expectAt(result, 'warning', /^experiment Seeded trains 120 points \(6 settings x 20 seeds\), about/, 'Seeded');
        expect(result.diagnostics).toHaveLength(2);
    });

    test('a sweep of 100 points or fewer, under 10 minutes, gives no warning', async () => {
        const values = Array.from({ length: 10 }, (_, k) => k + 2).join(', ');
        const result = await validate(
            `operation Op { size 10 }\nnetwork Net {}\nexperiment Grid { learn Op with Net steps 100 sweep size [${values}], seed [${values}] }`,
        );
        expect(result.diagnostics).toEqual([]);
    });
});

describe('partial specs (being typed)', () => {
    const { validate } = useEmnServices();

    test.each([
        ['entries without a distribution', 'operation A { entries }\nnetwork N {}\nexperiment E { learn A with N }'],
        ['learn without a network', 'operation A {}\nnetwork N {}\nexperiment E { learn A with }'],
        ['learn without an operation', 'operation A {}\nnetwork N {}\nexperiment E { learn with N }'],
    ])('%s: the resolver takes defaults, no check throws', async (_name, text) => {
        const { resolveExperiment } = await import('../language-server/resolve-spec.js');
        const result = await validate(text);
        expect(result.diagnostics.map(d => d.message).join('\n')).not.toMatch(/An error occurred/);
        const experiment = result.document.parseResult.value.declarations.find(d => d.$type === 'Experiment')!;
        expect(() => resolveExperiment(experiment as never)).not.toThrow();
    });
});

describe('estimateCost', () => {
    const base = {
        name: 'E',
        batch: 64,
        steps: 3000,
        seed: 1,
        evaluations: [],
        sweep: [],
        operation: {
            name: 'Op',
            target: { kind: 'matvec' as const },
            size: 20,
            sparsity: 0.5,
            entries: { kind: 'binary' as const },
            vectors: { kind: 'uniform' as const, low: -1, high: 1 },
        },
        network: { name: 'Net', width: 4, depth: 2, masking: 1, pruning: 'rowwise' as const, activation: 'none' as const },
        optimizer: { kind: 'sgd' as const, lr: 0.05, momentum: 0.9 },
        schedule: { kind: 'joint' as const },
    };

    test('parameters follow docs/method.md: n*w*n, then n*w*n*w per further masking layer, rowwise or dense hidden and output', async () => {
        const { estimateCost, parameterCount } = await import('../engine/cost/cost-estimate.js');
        // rowwise: 20*4*20 + (2-1)*20*4*4 + 20*4
        expect(estimateCost(base).parameters).toBe(1600 + 320 + 80);
        // dense: 20*4*20 + (20*4)^2 + 20*(20*4)
        expect(parameterCount(20, { ...base.network, pruning: 'none' })).toBe(1600 + 6400 + 1600);
        // message passing: 20*4*20 + 20*4*20*4 + (3-1)*20*4*4 + 20*4
        expect(parameterCount(20, { ...base.network, masking: 2, depth: 3 })).toBe(1600 + 6400 + 640 + 80);
    });

    test('a sweep sums time over its points and keeps the largest memory', async () => {
        const { estimateCost } = await import('../engine/cost/cost-estimate.js');
        const one = estimateCost(base);
        const swept = estimateCost({ ...base, sweep: [{ parameter: 'seed', values: [1, 2, 3] }] });
        expect(swept.flops).toBeCloseTo(3 * one.flops);
        expect(swept.bytesPerStep).toBe(one.bytesPerStep);
        const bigger = estimateCost({ ...base, sweep: [{ parameter: 'size', values: [5, 40] }] });
        expect(bigger.bytesPerStep).toBeGreaterThan(one.bytesPerStep);
        const meta = estimateCost({
            ...base,
            schedule: { kind: 'metaEpochs', metaEpochs: 5, masks: 64, stepsPerMask: 40, order: 'shuffled' },
        });
        expect(meta.flops / one.flops).toBeCloseTo((5 * 64 * 40) / 3000);
    });

    test('a sweep of 200,000 values is estimated (no spread of the values into Math.max)', async () => {
        const { estimateCost } = await import('../engine/cost/cost-estimate.js');
        const values = Array.from({ length: 200_000 }, (_, i) => i + 1);
        expect(estimateCost({ ...base, sweep: [{ parameter: 'width', values }] }).parameters).toBe(
            estimateCost({ ...base, network: { ...base.network, width: 200_000 } }).parameters,
        );
    });
});
