// Real graphs in specs: a matrix file's errors at its string (file, line, what is wrong), what does not apply to a fixed A,
// normalize, and an edited .mtx making the plan (so the results) stale through the builder's update, as the file watcher does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'langium';
import { expectError, expectNoIssues } from 'langium/test';
import { afterAll, describe, expect, it } from 'vitest';
import type { Experiment, Spec } from '../language-server/generated/ast.js';
import { isStale } from '../engine/index.js';
import { useEmnServices } from './emn-test-services.js';

const { services, validate, parse } = useEmnServices();
const folder = mkdtempSync(join(tmpdir(), 'emn-graphs-'));
mkdirSync(join(folder, 'graphs'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const TRIANGLE = '%%MatrixMarket matrix coordinate pattern symmetric\n% a triangle\n3 3 3\n2 1\n3 1\n3 2\n';
writeFileSync(join(folder, 'graphs', 'triangle.mtx'), TRIANGLE);
writeFileSync(join(folder, 'graphs', 'directed.mtx'), '%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2 0.5\n');
writeFileSync(join(folder, 'graphs', 'bad.mtx'), '%%MatrixMarket matrix coordinate pattern general\n3 3 1\n4 1\n');

const specUri = (name: string) => URI.file(join(folder, name)).toString();
const spec = (operation: string, experiment = '') =>
    `operation G { ${operation} }\nnetwork Net { width 2  depth 1 }\nexperiment E { learn G with Net  steps 10 ${experiment} }\n`;

describe('matrix files in validation', () => {
    it('accepts a readable symmetric file with normalize symmetric', async () => {
        expectNoIssues(await validate(spec('matvec matrix "graphs/triangle.mtx" normalize symmetric'), specUri('ok.emn')));
    });

    it('says a missing file at its string', async () => {
        const text = spec('matvec matrix "graphs/nope.mtx"');
        expectError(await validate(text, specUri('missing.emn')), 'matrix "graphs/nope.mtx": no such file (looked for graphs/nope.mtx)', {
            offset: text.indexOf('"graphs/nope.mtx"'),
            length: '"graphs/nope.mtx"'.length,
        });
    });

    it('says a malformed file with its line and what is wrong, at the string', async () => {
        const text = spec('matvec matrix "graphs/bad.mtx"');
        expectError(
            await validate(text, specUri('bad.emn')),
            'matrix "graphs/bad.mtx": line 3: index 4 is out of range: the matrix is 3 x 3 (indices 1 to 3)',
            { offset: text.indexOf('"graphs/bad.mtx"'), length: '"graphs/bad.mtx"'.length },
        );
    });

    it('confines the path like an import: no absolute path, nothing outside the folder, only .mtx', async () => {
        for (const [k, [path, message]] of [
            ['/etc/passwd.mtx', 'not an absolute path'],
            ['../outside.mtx', 'leaves the workspace folder'],
            ['graphs/triangle.txt', 'only .mtx files'],
            // half of a UTF-16 pair (found by the LSP fuzzer: building its URI threw and took the server down)
            ['graphs/karate\uD800.mtx', 'a matrix file path holds a broken character (half of a UTF-16 pair)'],
        ].entries()) {
            const result = await validate(spec(`matvec matrix "${path}"`), specUri(`confined${k}.emn`));
            expect(result.diagnostics.map(d => d.message)).toEqual([expect.stringContaining(message)]);
        }
    });

    it('refuses a size that disagrees with the file, and sparsity or entries beside it', async () => {
        const text = spec('matvec matrix "graphs/triangle.mtx" size 5 sparsity 0.2');
        const result = await validate(text, specUri('size.emn'));
        expectError(result, 'size 5 disagrees with the matrix file: "graphs/triangle.mtx" is 3 x 3 (remove size: it comes from the file)', {
            offset: text.indexOf('5'),
            length: 1,
        });
        expectError(result, /sparsity does not apply with a matrix file/, { offset: text.indexOf('sparsity 0.2'), length: 12 });
    });

    it('refuses normalize symmetric on a matrix that is not symmetric, and on random matrices', async () => {
        const directed = spec('matvec matrix "graphs/directed.mtx" normalize symmetric');
        expectError(await validate(directed, specUri('directed.emn')), /needs a symmetric A.*"graphs\/directed.mtx" is not symmetric/, {
            offset: directed.indexOf('symmetric'),
            length: 'symmetric'.length,
        });
        const random = spec('matvec size 4 normalize symmetric');
        expectError(await validate(random, specUri('random.emn')), /a randomly drawn A is not: use normalize rows/, {
            offset: random.indexOf('symmetric'),
            length: 'symmetric'.length,
        });
        expectNoIssues(await validate(spec('matvec size 4 normalize rows'), specUri('rows.emn')));
    });

    it('refuses pool, sweeping size and evaluating at other sizes with a fixed A', async () => {
        const text = spec('matvec matrix "graphs/triangle.mtx"', 'pool 8  sweep size [3, 4]  evaluate 10 samples at sizes [3, 6]');
        const messages = (await validate(text, specUri('fixed.emn'))).diagnostics.map(d =>
            typeof d.message === 'string' ? d.message : d.message.value,
        );
        // one message for the sizes, not also the per-edge network's
        expect(messages.filter(m => /at (other )?sizes?\b/.test(m))).toHaveLength(1);
        expect(messages).toEqual(
            expect.arrayContaining([
                expect.stringContaining('pool does not apply: G\'s A is the file "graphs/triangle.mtx"'),
                expect.stringContaining('sweep size has nothing to vary'),
                expect.stringContaining('evaluating at other sizes resizes A'),
            ]),
        );
    });
});

describe('an edited matrix file', () => {
    it('changes the plan hash after the builder is told the .mtx changed (what a file watcher notification does), so results turn stale', async () => {
        const file = join(folder, 'graphs', 'edited.mtx');
        writeFileSync(file, TRIANGLE);
        const uri = specUri('edited.emn');
        const document = await parse(spec('matvec matrix "graphs/edited.mtx"'), uri);
        const hashOf = (root: Spec) => {
            const plan = services.training.Plans.currentPlan(root.declarations.find((d): d is Experiment => d.$type === 'Experiment')!);
            if ('error' in plan) throw new Error(plan.error);
            return plan.plan.hash;
        };
        const before = hashOf(document.parseResult.value);
        writeFileSync(file, TRIANGLE.replace('3 3 3\n2 1\n3 1\n3 2', '3 3 2\n2 1\n3 1'));
        // what Langium's DocumentUpdateHandler does with workspace/didChangeWatchedFiles once the workspace is ready
        await services.shared.workspace.DocumentBuilder.update([URI.file(file)], []);
        const after = hashOf(services.shared.workspace.LangiumDocuments.getDocument(URI.parse(uri))!.parseResult.value as Spec);
        expect(after).not.toBe(before);
        expect(isStale({ planHash: before }, after)).toBe(true);
    });
});
