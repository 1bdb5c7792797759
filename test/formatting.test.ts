// Formatting: one property per line indented by 4, `{` on the declaration line, single spaces, tight brackets, at most one blank line.
import { describe, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expectFormatting } from 'langium/test';
import { useEmnServices } from './emn-test-services.js';

describe('formatting', () => {
    const { services } = useEmnServices();
    const format = expectFormatting(services);

    test('imports: one per line at the top, the declarations after them', async () => {
        await format({
            before: '  import   "a.emn" import "b/c.emn"\nnetwork N {}',
            after: 'import "a.emn"\nimport "b/c.emn"\nnetwork N {}',
        });
    });

    test('a crammed operation gets one property per line', async () => {
        await format({
            before: 'operation   Op{matvec size   20\n  sparsity 0.5 entries uniform( 0 ,1 ) vectors normal(0,1)}',
            after: 'operation Op {\n    matvec\n    size 20\n    sparsity 0.5\n    entries uniform(0, 1)\n    vectors normal(0, 1)\n}',
        });
    });

    test('`{` moves to the declaration line; comments stay where they are', async () => {
        await format({
            before: '// top comment\nnetwork N\n{\nwidth 4 // units\n        depth 2\n}',
            after: '// top comment\nnetwork N {\n    width 4 // units\n    depth 2\n}',
        });
    });

    test('experiment properties: calls, comparisons, sweeps and references', async () => {
        await format({
            before:
                'experiment E { learn Op  with N optimizer sgd( lr 0.05 ,momentum 0.9 ) stop when mse<1e-7\n' +
                '  schedule metaEpochs 5 masks 64   steps 40 order shuffled evaluate 10 samples on   Op\n  sweep size [ 5,10 ] , sparsity[0.2]}\noperation Op {}\nnetwork N {}',
            after:
                'experiment E {\n    learn Op with N\n    optimizer sgd(lr 0.05, momentum 0.9)\n    stop when mse < 1e-7\n' +
                '    schedule metaEpochs 5 masks 64 steps 40 order shuffled\n    evaluate 10 samples on Op\n    sweep size [5, 10], sparsity [0.2]\n}\noperation Op {}\nnetwork N {}',
        });
    });

    test('blank lines between declarations: at most one kept, none added', async () => {
        await format({
            before: 'operation A { polynomial [0.5,1] }\n\n\n\nnetwork B {}\nnetwork C {}\n\nnetwork D {} network E {}',
            after: 'operation A {\n    polynomial [0.5, 1]\n}\n\nnetwork B {}\nnetwork C {}\n\nnetwork D {}\nnetwork E {}',
        });
    });

    test('every example is already formatted', async () => {
        const dir = resolve(__dirname, '../examples');
        for (const file of readdirSync(dir).filter(f => f.endsWith('.emn'))) {
            const text = readFileSync(join(dir, file), 'utf8');
            await format({ before: text, after: text, parseOptions: { documentUri: `file:///formatting/${file}` } });
        }
    });
});
