// The language server runs a sweep on a real Slurm: "Train on Slurm" lens, "Slurm job N: k/6 points done" while it runs, results when the
// last point lands, Cancel = scancel.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEmn } from './emn-cli.js';
import { slurmAvailable } from './slurm-cluster.js';
import { TrainingLspClient } from './training-lsp-client.js';

const SPEC = (steps: number) => `
operation Op { matvec size 3 sparsity 0.5 }
network Net { width 2 depth 2 }
experiment Single { learn Op with Net steps 20 }
experiment Grid {
    learn Op with Net
    steps ${steps}
    batch 16
    evaluate 100 samples
    sweep size [3, 4], sparsity [0.2, 0.5, 0.7]
}
`;

describe.skipIf(!slurmAvailable)('Train on Slurm from the language server', () => {
    const client = new TrainingLspClient({
        initializationOptions: { trusted: true },
        settings: { training: { backend: 'cpu' } },
    });
    let uri: string;

    beforeAll(async () => {
        await client.initialize();
        uri = await client.open('grid.emn', SPEC(80));
        await client.diagnostics(uri, 0, () => true);
    });
    afterAll(() => client.dispose());

    it("offers Train on Slurm on the sweep only, shows the array's progress, and the results once the last point lands", async () => {
        const titles = await client.lensTitles(uri);
        expect(titles.filter(t => t === '▶ Train on Slurm')).toHaveLength(1);
        const from = client.messages.length;
        const reply = await client.execute('emn.server.trainOnSlurm', [uri, 'Grid']);
        expect(reply.experiments).toEqual(['Grid']);
        const jobId = /submitted Slurm job (\d+)/.exec(reply.message ?? '')?.[1];
        expect(jobId).toMatch(/^\d+$/);
        await client.waitFor(m => m.method === 'emn/trainingStarted' && m.params.experiment === 'Grid', 30_000, from, 'trainingStarted');
        // while it runs the lens counts points: the server asks the client to refresh lenses as the count changes
        const progress = new RegExp(`^Slurm job ${jobId}: \\d/6 points done`);
        const seen: string[] = [];
        let refresh = from;
        while (!seen.some(t => progress.test(t))) {
            const m = await client.waitFor(
                m => m.method === 'workspace/codeLens/refresh' || (m.method === 'emn/trainingFinished' && m.params.experiment === 'Grid'),
                120_000,
                refresh,
                'codeLens refresh',
            );
            refresh = client.messages.indexOf(m) + 1;
            if (m.method === 'emn/trainingFinished') break;
            seen.push(...(await client.lensTitles(uri)));
        }
        expect(seen.filter(t => progress.test(t)).length).toBeGreaterThan(0);
        const finished = await client.finished(uri, 'Grid', from, 180_000);
        expect(finished.outcome).toBe('completed');
        expect(finished.result?.runs).toHaveLength(6);
        const stored = JSON.parse(readFileSync(join(client.folder, '.emn-results', 'grid.emn', 'Grid.json'), 'utf8')).result;
        expect(stored.runs.map((r: { params: unknown }) => r.params)).toEqual(finished.result!.runs!.map(r => r.params));
        const after = await client.lensTitles(uri);
        expect(after).toContain('▶ Train on Slurm');
        expect(after.some(t => /^sweep|worst|MSE|mse/i.test(t))).toBe(true);
        const hints = await client.inlayHints(uri);
        expect(hints?.length).toBeGreaterThan(0);
    });

    it('refuses a spec whose editor text is not saved (the nodes read the file)', async () => {
        const own = await client.open('grid-unsaved.emn', SPEC(80));
        await client.change(own, SPEC(20000));
        const unsaved = await client.execute('emn.server.trainOnSlurm', [own, 'Grid']);
        expect(unsaved.message).toMatch(/save the file first/);
    });

    it('Cancel scancels the array: the sweep ends cancelled, the earlier result survives', async () => {
        // its own spec and its own earlier result, so the test stands alone
        const own = await client.open('grid-cancel.emn', SPEC(80));
        const first = client.messages.length;
        expect((await client.execute('emn.server.trainOnSlurm', [own, 'Grid'])).experiments).toEqual(['Grid']);
        expect((await client.finished(own, 'Grid', first, 180_000)).outcome).toBe('completed');
        const result = join(client.folder, '.emn-results', 'grid-cancel.emn', 'Grid.json');
        const before = readFileSync(result, 'utf8');
        const text = SPEC(20000);
        writeFileSync(join(client.folder, 'grid-cancel.emn'), text);
        await client.change(own, text);
        const from = client.messages.length;
        const reply = await client.execute('emn.server.trainOnSlurm', [own, 'Grid']);
        expect(reply.experiments).toEqual(['Grid']);
        await client.waitFor(m => m.method === 'emn/trainingStarted' && m.params.uri === own, 30_000, from, 'trainingStarted');
        const cancel = await client.execute('emn.server.cancel', [own, 'Grid']);
        expect(cancel.experiments).toEqual(['Grid']);
        const finished = await client.finished(own, 'Grid', from, 120_000);
        expect(finished.outcome).toBe('cancelled');
        expect(finished.message).toMatch(/Slurm job \d+: 0\/6 points done/);
        // the good result of the first sweep survives, byte for byte
        expect(existsSync(result)).toBe(true);
        expect(readFileSync(result, 'utf8')).toBe(before);
    });

    it('follows an array submitted from the command line (or by an earlier session) in the lens, and cancels it', async () => {
        // its own names: the files of a workspace share one namespace
        const text = SPEC(20000)
            .replace(/experiment Single[^\n]*\n/, '')
            .replace(/\bOp\b/g, 'Op2')
            .replace(/\bNet\b/g, 'Net2')
            .replace('Grid', 'Wide');
        const path = join(client.folder, 'cli-submitted.emn');
        writeFileSync(path, text);
        const submitted = runEmn(['sweep', 'slurm', path, '--experiment', 'Wide', '--backend', 'cpu'], client.folder);
        expect(submitted.code).toBe(0);
        const jobId = /Submitted Slurm job (\d+)/.exec(submitted.stdout)![1];
        const from = client.messages.length;
        const other = await client.open('cli-submitted.emn', text);
        await client.diagnostics(other, from, () => true);
        // the first lens request finds the running array and follows it
        await client.lensTitles(other);
        await client.waitFor(
            m => m.method === 'emn/trainingStarted' && m.params.uri === other,
            60_000,
            from,
            'trainingStarted of the adopted array',
        );
        expect((await client.lensTitles(other)).some(t => t.startsWith(`Slurm job ${jobId}:`))).toBe(true);
        const cancel = await client.execute('emn.server.cancel', [other, 'Wide']);
        expect(cancel.experiments).toEqual(['Wide']);
        const finished = await client.finished(other, 'Wide', from, 120_000);
        expect(finished.outcome).toBe('cancelled');
    });
});
