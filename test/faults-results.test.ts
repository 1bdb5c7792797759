// Faults of the results folder over LSP: a file where the folder should be, an unreplaceable result file, a corrupt one.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GetResultsResponse } from '../language-server/protocol.js';
import { openAlone, snapshot, tinySpec } from './fault-specs.js';
import { positionOf, startTrainingServer, TrainingLspClient } from './training-lsp-client.js';

describe('results folder faults', () => {
    let client: TrainingLspClient;
    beforeAll(async () => {
        client = await startTrainingServer();
    });
    afterAll(async () => {
        await client.dispose();
    });

    const train = async (uri: string, experiment: string) => {
        const from = client.messages.length;
        expect(await client.execute('emn.server.train', [uri, experiment])).toEqual({ experiments: [experiment] });
        return { finished: await client.finished(uri, experiment, from), from };
    };
    const getResults = (uri: string, experiment: string): Promise<GetResultsResponse> =>
        client.connection.sendRequest('emn/getResults', { uri, experiment });

    it('a file where the results folder should be: a clear error, the result still reaches the user, then it saves', async () => {
        // no chmod (the tests may run as root): a plain file named like the folder makes it unwritable for anyone
        const text = tinySpec(100, 1, 'Blocked', 'B');
        const { uri, dir } = await openAlone(client, 'blocked.emn', text);
        const blocker = join(dir, '.emn-results');
        writeFileSync(blocker, 'not a folder\n');
        const { finished, from } = await train(uri, 'Blocked');
        expect(finished.outcome).toBe('failed');
        expect(finished.message).toMatch(
            /^training finished but its results could not be saved: cannot create the results folder .*\.emn-results\/blocked\.emn: (ENOTDIR|EEXIST)/,
        );
        // nothing lost: the metrics came with the notification, and the blocking file is untouched
        expect(finished.result?.steps).toBe(100);
        expect(finished.result?.metrics.mse).toBe(finished.result?.evaluations[0].mse);
        expect(finished.result?.weights?.length).toBeGreaterThan(0);
        expect(readFileSync(blocker, 'utf8')).toBe('not a folder\n');
        const diags = await client.diagnostics(uri, from, ds => ds.some(d => String(d.message).startsWith('training finished but')));
        expect(diags.find(d => String(d.message).startsWith('training finished but'))!.range.start).toEqual(positionOf(text, 'Blocked'));
        expect(await client.lensTitles(uri)).toContain('▶ Train');

        rmSync(blocker);
        const retry = await train(uri, 'Blocked');
        expect(retry.finished.outcome).toBe('completed');
        expect(readdirSync(join(dir, '.emn-results', 'blocked.emn')).sort()).toEqual(['Blocked.history', 'Blocked.json']);
    });

    it('a result file that cannot be replaced: the run fails to save, the other results stay as they were', async () => {
        const text = tinySpec(100, 1, 'Quick', 'T') + tinySpec(100, 2, 'Other', 'T').replace(/operation[\s\S]*?experiment/, 'experiment');
        const { uri, dir } = await openAlone(client, 'two.emn', text);
        expect((await train(uri, 'Quick')).finished.outcome).toBe('completed');
        const folder = join(dir, '.emn-results', 'two.emn');
        // a non-empty folder under the result's name: the rename over it fails after the temporary file was written
        mkdirSync(join(folder, 'Other.json', 'inside'), { recursive: true });
        const before = snapshot(folder);
        const { finished } = await train(uri, 'Other');
        expect(finished.outcome).toBe('failed');
        expect(finished.message).toMatch(
            /^training finished but its results could not be saved: cannot write .*Other\.json \(the previous file, if any, is unchanged\): /,
        );
        // the same files with the same bytes: no temporary file left, Quick's result untouched; the run itself is
        // not lost: it is in Other's history
        const { 'Other.history': history, ...after } = snapshot(folder);
        expect(after).toEqual(before);
        expect(history).toBe('<folder>');
        expect(Object.keys(before)).toEqual(['Other.json', 'Quick.history', 'Quick.json']);
        expect((await getResults(uri, 'Quick')).result?.experiment).toBe('Quick');
    });

    it('a corrupt results file is a warning, and training again replaces it with a good one', async () => {
        const { uri, dir } = await openAlone(client, 'corrupt.emn', tinySpec(100, 1, 'Corrupt', 'C'));
        const first = (await train(uri, 'Corrupt')).finished;
        expect(first.outcome).toBe('completed');
        const file = join(dir, '.emn-results', 'corrupt.emn', 'Corrupt.json');
        writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200)); // truncated mid-write, say
        const broken = await getResults(uri, 'Corrupt');
        expect(broken.result).toBeUndefined();
        expect(broken.warning).toMatch(/is truncated: its JSON stops unfinished after 200 bytes/);
        expect((await client.lensTitles(uri)).some(t => t.startsWith('results unreadable: '))).toBe(true);

        const again = (await train(uri, 'Corrupt')).finished;
        expect(again.outcome).toBe('completed');
        const fixed = await getResults(uri, 'Corrupt');
        expect(fixed.warning).toBeUndefined();
        expect(fixed.stale).toBe(false);
        expect(fixed.result?.planHash).toBe(first.result?.planHash);
        expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('emn-results');
        expect((await client.lensTitles(uri)).some(t => t.startsWith('MSE '))).toBe(true);
    });
});
