// Stores from elsewhere: version-1 files are read, a newer version is refused naming both, a truncated or hand-edited
// file is named with what is wrong; the lens, hover, results view, `emn diff` and `emn report` keep working for the rest.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareRunsResponse, GetHistoryResponse, GetResultsResponse } from '../language-server/protocol.js';
import { ResultsStore } from '../engine/results/results-store.js';
import { useEmnCli } from './emn-cli.js';
import { tinySpec } from './fault-specs.js';
import { positionOf, startTrainingServer, type TrainingLspClient } from './training-lsp-client.js';

const SPEC =
    tinySpec(100, 1, 'Good') +
    `
experiment Bad {
    learn Tiny3 with Small
    optimizer adam(lr 0.03)
    batch 16
    steps 100
    evaluate 200 samples
}
`;

/** A stored result file as a test writes it: `edit` changes the parsed file (format, version, result) before it is written back. */
type Edit = (file: { format: string; version: number; result: Record<string, any> }) => void;

/** Each way a results file from elsewhere can be, and what the reader must say of it (undefined: it reads). */
const CASES: { name: string; text: (good: string) => string; warning?: RegExp }[] = [
    {
        name: 'a version-1 file',
        text: edited(f => {
            f.version = 1;
        }),
    },
    {
        name: 'a newer version',
        text: edited(f => {
            f.version = 99;
        }),
        warning: /has results format version 99, newer than this version reads \(\d+\)/m,
    },
    {
        name: 'a truncated file',
        text: good => good.slice(0, 300),
        warning: /is truncated: its JSON stops unfinished after 300 bytes; it is ignored/m,
    },
    {
        name: 'a hand edit that broke the JSON',
        text: good => good.replace('"version":', '\n  "version" '),
        warning: /is not valid JSON at line 2, column 13 \(.+\); it is ignored/m,
    },
    {
        name: 'a metric that is not a number',
        text: edited(f => {
            f.result.metrics.mse = 'small';
        }),
        warning: /holds a malformed result \(metrics\.mse is "small", not a number\)/,
    },
    {
        name: 'a stop reason this version does not know',
        text: edited(f => {
            f.result.stopped = 'done';
        }),
        warning: /\(stopped is "done", not one of steps, target, diverged, cancelled\)/,
    },
    {
        name: 'weights that do not fill their shape',
        text: edited(f => {
            f.result.weights[0] = { name: 'mask1.W', shape: [2, 2], values: [1, 2, 3] };
        }),
        warning: /\(weights\[0\] has shape \[2, 2\] \(4 values\) but 3 values\)/,
    },
    {
        name: 'a loss curve that is not a list',
        text: edited(f => {
            f.result.lossCurve = 'flat';
        }),
        warning: /\(lossCurve is "flat", not a list\)/,
    },
    {
        name: 'a missing plan hash',
        text: edited(f => {
            delete f.result.planHash;
        }),
        warning: /\(planHash is missing\)/,
    },
    {
        name: 'fields a later version added',
        text: edited(f => {
            f.result.someLaterField = { any: 'thing' };
        }),
    },
];

function edited(edit: Edit): (good: string) => string {
    return good => {
        const file = JSON.parse(good);
        edit(file);
        return JSON.stringify(file);
    };
}

describe('results files from elsewhere', () => {
    let client: TrainingLspClient;
    let uri: string;
    let goodFile: string;
    const cli = useEmnCli('emn-foreign-cli-');
    beforeAll(async () => {
        client = await startTrainingServer();
        uri = await client.open('foreign.emn', SPEC);
        for (const experiment of ['Good', 'Bad']) {
            const from = client.messages.length;
            await client.execute('emn.server.train', [uri, experiment]);
            expect((await client.finished(uri, experiment, from)).outcome).toBe('completed');
        }
        goodFile = readFileSync(join(client.folder, '.emn-results', 'foreign.emn', 'Bad.json'), 'utf8');
    }, 120_000);
    afterAll(async () => {
        await client.dispose();
    });

    for (const c of CASES) {
        it(`${c.name}: ${c.warning ? 'named with what is wrong' : 'read'}, and everything else keeps working`, async () => {
            const badPath = join(client.folder, '.emn-results', 'foreign.emn', 'Bad.json');
            writeFileSync(badPath, c.text(goodFile));
            // the store itself
            const loaded = new ResultsStore(undefined, { confineTo: client.folder }).load(join(client.folder, 'foreign.emn'), 'Bad');
            if (c.warning) {
                expect(loaded.result).toBeUndefined();
                expect(loaded.warning).toMatch(c.warning);
                expect(loaded.warning).toContain(badPath);
            } else {
                expect(loaded.warning).toBeUndefined();
                expect(loaded.result?.experiment).toBe('Bad');
            }
            // the results view's requests for the file's own experiment
            const bad: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Bad' });
            expect(bad.warning === undefined).toBe(c.warning === undefined);
            if (c.warning) expect(bad.warning).toMatch(c.warning);
            const history: GetHistoryResponse = await client.connection.sendRequest('emn/getHistory', { uri, experiment: 'Bad' });
            expect(history.runs).toHaveLength(1);
            // the lens: Bad says what is wrong (or shows its result), Good shows its result
            const titles = await client.lensTitles(uri);
            expect(titles.filter(t => t.startsWith('MSE '))).toHaveLength(c.warning ? 1 : 2);
            if (c.warning) expect(titles.some(t => t.startsWith('results unreadable: ') && t.includes('Bad.json'))).toBe(true);
            // the rest: Good's result, its hover, its comparison with its own run
            const good: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Good' });
            expect(good.warning).toBeUndefined();
            expect(good.result?.experiment).toBe('Good');
            const at = positionOf(SPEC, 'experiment Good', 12);
            expect(await client.hoverText(uri, at.line, at.character)).toContain('Learned weights');
            const compared: CompareRunsResponse = await client.connection.sendRequest('emn/compareRuns', {
                a: { uri, experiment: 'Good', run: 1 },
                b: { uri, experiment: 'Good' },
            });
            expect(compared.error).toBeUndefined();
            const withBad: CompareRunsResponse = await client.connection.sendRequest('emn/compareRuns', {
                a: { uri, experiment: 'Good' },
                b: { uri, experiment: 'Bad' },
            });
            expect(withBad.error === undefined).toBe(c.warning === undefined);

            // the command line on a copy of the same store
            const dir = join(cli.dir, c.name.replace(/\W+/g, '-'));
            mkdirSync(dir, { recursive: true });
            writeFileSync(join(dir, 'foreign.emn'), SPEC);
            cpSync(join(client.folder, '.emn-results'), join(dir, '.emn-results'), { recursive: true });
            const diffGood = cli.emn('diff', join(dir, 'foreign.emn'), 'Good@1', 'Good');
            expect(diffGood.stderr).toBe('');
            expect(diffGood.code).toBe(0);
            const reportGood = cli.emn('report', join(dir, 'foreign.emn'), '--experiment', 'Good', '--md', '--to', join(dir, 'report'));
            expect(reportGood.code).toBe(0);
            const reportBad = cli.emn('report', join(dir, 'foreign.emn'), '--experiment', 'Bad', '--md', '--to', join(dir, 'report'));
            if (c.warning) {
                expect(reportBad.code).not.toBe(0);
                expect(reportBad.stderr).toMatch(c.warning);
            } else {
                expect(reportBad.code).toBe(0);
            }
        }, 60_000);
    }
});
