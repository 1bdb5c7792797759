// Protocol tests of training from the language server: the real server over stdio, a real worker, real results files.
import { cpSync, existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver';
import {
    VSCODE_CLIENT_COMMANDS,
    type GetPlanResponse,
    type GetResultsResponse,
    type ResultsState,
    type TrainingFinishedParams,
} from '../language-server/protocol.js';
import { tinySpec } from './fault-specs.js';
import { positionOf, ROOT, TrainingLspClient } from './training-lsp-client.js';

// n = 3 and a few hundred steps: trains in well under 2 s on the cpu backend; Exploding diverges
const SPEC = (steps: number, seed = 1) =>
    tinySpec(steps, seed) +
    `
experiment Exploding {
    learn Tiny3 with Small
    optimizer sgd(lr 50, momentum 0.9)
    batch 16
    steps 400
    seed 2
}
`;

const RESULTS = 'custom-results';
/** The store keeps one folder per spec file inside the results folder. */
const resultsDir = (folder: string, file: string) => join(folder, RESULTS, file);

describe('training over the language server protocol', () => {
    const client = new TrainingLspClient({
        // the VS Code extension's client: it can open the results view (Show weights) and the compare view
        initializationOptions: { trusted: true, backend: 'wasm', clientCommands: VSCODE_CLIENT_COMMANDS },
        // the client's settings win over initializationOptions: cpu backend and a custom results folder
        settings: { training: { backend: 'cpu' }, results: { folder: RESULTS } },
    });

    beforeAll(async () => {
        await client.initialize();
    });

    afterAll(async () => {
        await client.dispose();
    });

    /** Opens a spec of its own (each file its own namespace and results folder) and waits for its first validation. */
    async function openSpec(file: string, text: string): Promise<string> {
        const from = client.messages.length;
        const uri = await client.open(file, text);
        await client.diagnostics(uri, from, () => true);
        return uri;
    }

    /** Trains an experiment of an open spec to its end. */
    async function train(uri: string, experiment: string): Promise<TrainingFinishedParams> {
        const from = client.messages.length;
        expect((await client.execute('emn.server.train', [uri, experiment])).experiments).toEqual([experiment]);
        return client.finished(uri, experiment, from);
    }

    /** Quick of SPEC(300) trained once, in trained.emn, which no test edits: for the tests that read a finished run. */
    let trainedOnce: Promise<{ uri: string; text: string; finished: TrainingFinishedParams }> | undefined;
    function trained(): Promise<{ uri: string; text: string; finished: TrainingFinishedParams }> {
        trainedOnce ??= (async () => {
            const text = SPEC(300);
            const uri = await openSpec('trained.emn', text);
            const finished = await train(uri, 'Quick');
            expect(finished.outcome).toBe('completed');
            return { uri, text, finished };
        })();
        return trainedOnce;
    }

    it('shows Train lenses and no results before any run', async () => {
        const uri = await openSpec('untrained.emn', SPEC(300));
        const titles = await client.lensTitles(uri);
        expect(titles).toContain('▶ Train all');
        expect(titles.filter(t => t === '▶ Train')).toHaveLength(2);
        expect(titles.some(t => t.startsWith('MSE'))).toBe(false);
        expect(await client.inlayHints(uri)).toEqual([]);
        const stored: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
        expect(stored.result).toBeUndefined();
    });

    it('trains on executeCommand: started, progress, finished, results written with the cpu backend', async () => {
        const uri = await openSpec('train-once.emn', SPEC(300));
        const from = client.messages.length;
        const reply = await client.execute('emn.server.train', [uri, 'Quick']);
        expect(reply).toEqual({ experiments: ['Quick'] });
        await client.waitFor(
            m => m.method === 'emn/trainingStarted' && m.params.uri === uri && m.params.experiment === 'Quick',
            30_000,
            from,
            'trainingStarted',
        );
        const finished = await client.finished(uri, 'Quick', from);
        expect({ outcome: finished.outcome, message: finished.message }).toEqual({ outcome: 'completed', message: undefined });
        expect(finished.result?.backend).toBe('cpu');
        // it learned: the test error is far below the first training loss
        const firstLoss = finished.result!.lossCurve![0][1];
        expect(finished.result!.metrics.mse).toBeLessThan(firstLoss / 10);
        const ofThisSpec = client.messages.slice(from).filter(m => m.method.startsWith('emn/training') && m.params.uri === uri);
        const progress = ofThisSpec.filter(m => m.method === 'emn/trainingProgress');
        expect(progress.length).toBeGreaterThan(0);
        expect(progress[progress.length - 1].params.progress.steps).toBe(300);
        // started before progress before finished
        const order = ofThisSpec.map(m => m.method);
        expect(order[0]).toBe('emn/trainingStarted');
        expect(order[order.length - 1]).toBe('emn/trainingFinished');
        // the result, and the run in the experiment's history
        expect(readdirSync(resultsDir(client.folder, 'train-once.emn')).sort()).toEqual(['Quick.history', 'Quick.json']);
        expect(existsSync(join(client.folder, '.emn-results'))).toBe(false);
        // the lenses and hints refresh: the client is asked to
        await client.waitFor(m => m.method === 'workspace/codeLens/refresh', 10_000, from, 'codeLens refresh');
    });

    it('shows the result lens, the inlay hint and the weights in the hover after the run', async () => {
        const { uri, text } = await trained();
        const titles = await client.lensTitles(uri);
        const resultLens = titles.find(t => t.startsWith('MSE '));
        expect(resultLens).toMatch(/^MSE \S+ · (target|floor|improving|too-short) · max err \S+ · [\d.]+ (s|min) · cpu$/);
        expect(titles).toContain('Show weights');
        // actions before the long summary, so that a narrow editor still shows them
        expect(titles.indexOf('▶ Train')).toBeLessThan(titles.indexOf(resultLens!));
        expect(titles.indexOf('Show weights')).toBeLessThan(titles.indexOf(resultLens!));
        const hints = (await client.inlayHints(uri)) ?? [];
        expect(hints).toHaveLength(1);
        expect(hints[0].label).toMatch(/^ {2}mse \S+/);
        expect(hints[0].position.line).toBe(positionOf(text, 'experiment Quick').line);

        const atName = positionOf(text, 'experiment Quick', 'experiment '.length + 1);
        const hover = await client.hoverText(uri, atName.line, atName.character);
        expect(hover).toContain('Learned weights');
        expect(hover).toContain('mean |E - 1|');
        expect(hover).toMatch(/!\[[^\]]+\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
        expect(hover).toContain('command:emn.showResults?');
        // the references in `learn Tiny3 with Small` speak for this experiment: the network its weights, the operation its E
        const onNetworkRef = positionOf(text, 'with Small', 'with S'.length);
        const refHover = await client.hoverText(uri, onNetworkRef.line, onNetworkRef.character);
        expect(refHover).toMatch(/^\*\*Learned weights\*\* · Quick/);
        expect(refHover).toMatch(/`output\.W` \[/);
        const onOperationRef = positionOf(text, 'learn Tiny3', 'learn T'.length);
        const opHover = await client.hoverText(uri, onOperationRef.line, onOperationRef.character);
        expect(opHover).toMatch(/^\*\*Learned weights\*\* · Quick[\s\S]*as \|E - 1\| on a log scale/);
        const onMasking = positionOf(text, 'width 2', 1);
        const widthHover = await client.hoverText(uri, onMasking.line, onMasking.character);
        expect(widthHover).toMatch(/`output\.W` \[/);
    });

    it('serves the plan and the experiment at a position', async () => {
        const text = SPEC(300);
        const uri = await openSpec('plan.emn', text);
        const plan: GetPlanResponse = await client.connection.sendRequest('emn/getPlan', { uri, experiment: 'Quick' });
        expect(plan.error).toBeUndefined();
        expect(plan.plan?.format).toBe('emn-experiment');
        expect(plan.plan?.points.map(p => p.params)).toEqual([{}]);
        expect(plan.plan?.points[0].plan.layers.length).toBeGreaterThan(0);
        // a sweep's plan is its points, each with its params and its own compiled plan
        const sweepUri = await openSpec(
            'plan-sweep.emn',
            'operation SweepOp { matvec size 3 }\nnetwork SweepNet { width 2 depth 1 }\n' +
                'experiment Swept { learn SweepOp with SweepNet steps 10 sweep size [3, 4] }\n',
        );
        const sweep: GetPlanResponse = await client.connection.sendRequest('emn/getPlan', { uri: sweepUri, experiment: 'Swept' });
        expect(sweep.plan?.points.map(p => [p.params, p.plan.operation.n])).toEqual([
            [{ size: 3 }, 3],
            [{ size: 4 }, 4],
        ]);
        const missing: GetPlanResponse = await client.connection.sendRequest('emn/getPlan', { uri, experiment: 'Nope' });
        expect(missing.error).toContain('Nope');
        const at = positionOf(text, 'steps 300');
        const reply = await client.connection.sendRequest('emn/experimentAt', { uri, ...at });
        expect(reply).toEqual({ experiment: 'Quick', all: ['Quick', 'Exploding'] });
    });

    it('refuses to train an experiment whose spec has errors, naming the first, but trains its healthy neighbour', async () => {
        const broken = `operation Zero {
    size 0
}

operation Fine {
    size 2
}

network N {
    width 1
}

experiment Bad {
    learn Zero with N
    steps 10
}

experiment Good {
    learn Fine with N
    steps 10
}
`;
        const brokenUri = await client.open('broken.emn', broken);
        await client.diagnostics(brokenUri, 0, ds => ds.length > 0);
        const reply = await client.execute('emn.server.train', [brokenUri, 'Bad']);
        expect(reply.experiments).toEqual([]);
        expect(reply.message).toMatch(/^Bad cannot train: fix the errors in the spec first \(line 2: size must be a positive integer/);
        const from = client.messages.length;
        expect((await client.execute('emn.server.train', [brokenUri, 'Good'])).experiments).toEqual(['Good']);
        expect((await client.finished(brokenUri, 'Good', from)).outcome).toBe('completed');
        const unknown = await client.execute('emn.server.train', [brokenUri, 'Missing']);
        expect(unknown.message).toBe('no experiment named Missing in broken.emn');
        // a corrupt results file is a warning, never a crash
        writeFileSync(join(client.folder, RESULTS, 'broken.emn', 'Good.json'), '{"format": "emn-res');
        const stored: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri: brokenUri, experiment: 'Good' });
        expect(stored.result).toBeUndefined();
        expect(stored.warning).toMatch(/is truncated/);
        expect((await client.lensTitles(brokenUri)).some(t => t.startsWith('results unreadable: ') && t.includes('Good.json'))).toBe(true);
    });

    it('answers CodeLens, inlay hints and hovers on half-typed experiments without errors', async () => {
        const partial = `operation P { size 2 }
network Q { width 1 }
experiment {
experiment NoLearn { learn }
experiment HalfLearn { learn P with }
experiment Ok { learn P with Q steps 5 }
`;
        const partialUri = await client.open('partial.emn', partial);
        await client.diagnostics(partialUri, 0, () => true);
        const titles = await client.lensTitles(partialUri);
        // the experiments with errors cannot train: their lens says so instead of offering Train
        expect(titles.filter(t => t === '▶ Train')).toHaveLength(1);
        expect(titles.filter(t => t === '⚠ fix the error to train')).toHaveLength(2);
        expect(await client.inlayHints(partialUri)).toEqual([]);
        for (const needle of ['NoLearn', 'HalfLearn', 'learn P with', 'Q {']) {
            const at = positionOf(partial, needle, 1);
            await client.hoverText(partialUri, at.line, at.character);
        }
        const refused = await client.execute('emn.server.train', [partialUri, 'HalfLearn']);
        expect(refused.experiments).toEqual([]);
        expect(refused.message).toMatch(/^HalfLearn cannot train/);
    });

    it('reports a diverging run as a diagnostic on the experiment name, saved as its last failure (it survives a reload)', async () => {
        const text = SPEC(300);
        const uri = await openSpec('diverge.emn', text);
        const from = client.messages.length;
        const finished = await train(uri, 'Exploding');
        expect(finished.outcome).toBe('diverged');
        expect(finished.message).toMatch(
            /training diverged at step \d+ \(loss .+\): lower lr \(now 50\), e\.g\. to 5; there is no earlier good result$/,
        );
        const diags = await client.diagnostics(uri, from, ds => ds.some(d => String(d.message).startsWith('training diverged')));
        const d = diags.find(x => String(x.message).startsWith('training diverged'))!;
        expect(d.range.start).toEqual(positionOf(text, 'Exploding'));
        // the same policy as the CLI: the failure file, never a result file
        expect(readdirSync(resultsDir(client.folder, 'diverge.emn')).filter(f => f.endsWith('.json'))).toEqual([
            'Exploding.last-failure.json',
        ]);
        // its quick fix sets a tenth of the lr in the optimizer line
        const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
            textDocument: { uri },
            range: d.range,
            context: { diagnostics: [d] },
        });
        const fix = actions.find(a => a.title.startsWith('Lower the learning rate'));
        expect(fix?.title).toBe('Lower the learning rate to 5 (now 50)');
        const [edit] = fix!.edit!.changes![uri];
        expect(edit.newText).toBe('5');
        const lrAt = positionOf(text, 'lr 50', 'lr '.length);
        expect(edit.range).toEqual({ start: lrAt, end: { line: lrAt.line, character: lrAt.character + 2 } });
        // a reload (a new server on the same files) still warns: the warning comes from the saved failure
        const reloaded = new TrainingLspClient({
            initializationOptions: { trusted: true },
            settings: { training: { backend: 'cpu' }, results: { folder: RESULTS } },
        });
        try {
            await reloaded.initialize();
            cpSync(join(client.folder, RESULTS), join(reloaded.folder, RESULTS), { recursive: true });
            const again = await reloaded.open('diverge.emn', text);
            const after = await reloaded.diagnostics(again, 0, ds => ds.some(x => String(x.message).startsWith('training diverged')));
            expect(after.find(x => String(x.message).startsWith('training diverged'))!.range.start).toEqual(positionOf(text, 'Exploding'));
            // a good run from the command line removes the failure file: the warning goes at the next validation
            unlinkSync(join(resultsDir(reloaded.folder, 'diverge.emn'), 'Exploding.last-failure.json'));
            const from2 = reloaded.messages.length;
            await reloaded.change(again, text + '\n');
            await reloaded.diagnostics(again, from2, ds => !ds.some(x => String(x.message).startsWith('training diverged')));
        } finally {
            await reloaded.dispose();
        }
    });

    it('cancels a run within moments, keeps the earlier results, and marks them stale after an edit', async () => {
        const folder = resultsDir(client.folder, 'cancel.emn');
        const goodResults = () =>
            readdirSync(folder)
                .filter(f => f.endsWith('.json') && !f.endsWith('.last-failure.json'))
                .sort()
                .map(f => readFileSync(join(folder, f), 'utf8'));
        const uri = await openSpec('cancel.emn', SPEC(300));
        const earlier = await train(uri, 'Quick');
        expect(earlier.outcome).toBe('completed');
        const resultsBefore = goodResults();
        expect(resultsBefore).toHaveLength(1);
        // a long run of the same experiment: the spec changed, so its stored results are stale
        const text = SPEC(200_000);
        const edited = client.messages.length;
        await client.change(uri, text);
        // the results view follows the lens: the server says the results turned stale, unasked
        await client.waitFor(
            m =>
                m.method === 'emn/resultsState' &&
                m.params.uri === uri &&
                m.params.experiments.some((e: ResultsState) => e.experiment === 'Quick' && e.hasResult && e.stale),
            30_000,
            edited,
            'stale results state',
        );
        const from = client.messages.length;
        const reply = await client.execute('emn.server.train', [uri, 'Quick']);
        expect(reply.experiments).toEqual(['Quick']);
        await client.waitFor(
            m => m.method === 'emn/trainingProgress' && m.params.uri === uri && m.params.progress.step > 0,
            30_000,
            from,
            'progress',
        );

        const during = await client.lensTitles(uri);
        expect(during).toContain('■ Cancel');
        expect(during.some(t => /^training… step \d+\/200000 · loss /.test(t))).toBe(true);
        expect(during.some(t => t.startsWith('stale: spec changed · MSE '))).toBe(true);
        const again = await client.execute('emn.server.train', [uri, 'Quick']);
        expect(again.experiments).toEqual([]);
        expect(again.message).toMatch(/already training/);

        const cancelled = await client.execute('emn.server.cancel', [uri, 'Quick']);
        expect(cancelled.experiments).toEqual(['Quick']);
        const finished = await client.finished(uri, 'Quick', from, 20_000);
        expect(finished.outcome).toBe('cancelled');
        expect(finished.result?.stopped).toBe('cancelled');
        expect(finished.result!.steps).toBeLessThan(200_000);
        expect(finished.message).toMatch(/^training cancelled at step \d+; the last good result was kept$/);
        expect(goodResults()).toEqual(resultsBefore);
        expect(existsSync(join(folder, 'Quick.last-failure.json'))).toBe(true);
        const stored: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
        expect(stored.result?.planHash).toBe(earlier.result?.planHash);
        expect(stored.stale).toBe(true);
        const hints = (await client.inlayHints(uri)) ?? [];
        expect(hints.map(h => h.label)).toEqual([expect.stringMatching(/^ {2}stale: spec changed \(mse \S+\)$/)]);
        expect((await client.lensTitles(uri)).filter(t => t === '▶ Train')).toHaveLength(2);
    });

    it('saves a run with the hash of the text it trained on when the spec is edited during training', async () => {
        // about 3 s of training at the measured speed: time for the edit to reach the server mid-run
        const steps = Math.max(2000, Math.ceil((await trained()).finished.result!.stepsPerSecond * 3));
        const text = SPEC(steps, 5);
        const uri = await openSpec('edit-during.emn', text);
        const from = client.messages.length;
        await client.execute('emn.server.train', [uri, 'Quick']);
        await client.waitFor(m => m.method === 'emn/trainingProgress' && m.params.uri === uri, 30_000, from, 'progress');
        const editAt = client.messages.length;
        await client.change(uri, SPEC(steps, 6));
        await client.diagnostics(uri, editAt, () => true);
        // the server has the edited text while the run is still going, else this test says nothing
        expect(client.messages.slice(from).some(m => m.method === 'emn/trainingFinished' && m.params.uri === uri)).toBe(false);
        const finished = await client.finished(uri, 'Quick', from, 150_000);
        expect(finished.outcome).toBe('completed');
        const stored: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
        expect(stored.result?.planHash).toBe(finished.result?.planHash);
        expect(stored.stale).toBe(true);
        expect((await client.lensTitles(uri)).some(t => t.startsWith('stale: spec changed · MSE '))).toBe(true);
        // back to the text it trained on: current again
        await client.change(uri, text);
        const back: GetResultsResponse = await client.connection.sendRequest('emn/getResults', { uri, experiment: 'Quick' });
        expect(back.stale).toBe(false);
    }, 180_000);

    it('trains every experiment of a file one after another with Train all', async () => {
        const uri = await openSpec('train-all.emn', SPEC(300));
        const from = client.messages.length;
        const reply = await client.execute('emn.server.trainAll', [uri]);
        expect(reply.experiments).toEqual(['Quick', 'Exploding']);
        const exploding = await client.finished(uri, 'Exploding', from);
        expect(exploding.outcome).toBe('diverged');
        // one run at a time: the second starts only after the first finished, so their messages never interleave
        const events = client.messages
            .slice(from)
            .filter(m => (m.method === 'emn/trainingStarted' || m.method === 'emn/trainingFinished') && m.params.uri === uri)
            .map(m => `${m.method.slice(4)} ${m.params.experiment}`);
        expect(events).toEqual([
            'trainingStarted Quick',
            'trainingFinished Quick',
            'trainingStarted Exploding',
            'trainingFinished Exploding',
        ]);
        const quick = client.messages
            .slice(from)
            .find(m => m.method === 'emn/trainingFinished' && m.params.uri === uri && m.params.experiment === 'Quick')!;
        expect(quick.params.outcome).toBe('completed');
        expect((await client.lensTitles(uri)).some(t => /^MSE \S+ · (\S+ · )?max err/.test(t))).toBe(true);
    });

    it('summarises a sweep by its best and worst points, and hovers the masking layer of its network', async () => {
        const sweepText = `operation Grow {
    matvec
    size 3
}

network Tiny {
    width 2
    depth 2
    masking 1
}

experiment Sizes {
    learn Grow with Tiny
    batch 16
    steps 150
    sweep size [2, 3], sparsity [0.2, 0.6]
}
`;
        const sweepUri = await openSpec('sweep-summary.emn', sweepText);
        const from = client.messages.length;
        await client.execute('emn.server.train', [sweepUri, 'Sizes']);
        const finished = await client.finished(sweepUri, 'Sizes', from);
        expect(finished.outcome).toBe('completed');
        expect(finished.result?.runs).toHaveLength(4);
        const progressPoints = new Set(
            client.messages
                .slice(from)
                .filter(m => m.method === 'emn/trainingProgress' && m.params.uri === sweepUri)
                .map(m => m.params.progress.points),
        );
        expect([...progressPoints]).toEqual([4]);
        const titles = await client.lensTitles(sweepUri);
        expect(titles.find(t => t.startsWith('best '))).toMatch(
            /^best \S+ \(size \d, sparsity 0\.\d\) · worst \S+ \(size \d, sparsity 0\.\d\) · 4 target$/,
        );
        expect(titles).toContain('Show sweep');
        const hints = (await client.inlayHints(sweepUri)) ?? [];
        expect(hints.map(h => h.label)).toEqual([expect.stringMatching(/^ {2}best mse \S+$/)]);
        const masking = positionOf(sweepText, 'masking 1', 2);
        const hover = await client.hoverText(sweepUri, masking.line, masking.character);
        expect(hover).toContain('(best point: size');
        expect(hover).toMatch(/`mask1\.W` \[\d × 2 × \d\]/);
        expect(hover).not.toContain('`output');
        const network = positionOf(sweepText, 'network Tiny', 'network '.length + 1);
        const netHover = await client.hoverText(sweepUri, network.line, network.character);
        expect(netHover).toContain('`output.W` [');
        expect(netHover).toContain('`hidden2.W` [');
    });
});

describe('training in an untrusted workspace', () => {
    const client = new TrainingLspClient({ initializationOptions: { trusted: false, backend: 'cpu' } });
    beforeAll(async () => {
        await client.initialize();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('refuses to train with a message and writes nothing', async () => {
        const uri = await client.open('tiny.emn', SPEC(100));
        const reply = await client.execute('emn.server.train', [uri, 'Quick']);
        expect(reply.experiments).toEqual([]);
        expect(reply.message).toMatch(/untrusted workspace/);
        const all = await client.execute('emn.server.trainAll', [uri]);
        expect(all.message).toMatch(/untrusted workspace/);
        expect(existsSync(join(client.folder, '.emn-results'))).toBe(false);
        expect(client.messages.some(m => m.method === 'emn/trainingStarted')).toBe(false);
        // the user trusts the workspace: the client says so and training works without a restart
        await client.connection.sendNotification('emn/trustChanged', { trusted: true });
        const from = client.messages.length;
        expect((await client.execute('emn.server.train', [uri, 'Quick'])).experiments).toEqual(['Quick']);
        expect((await client.finished(uri, 'Quick', from)).outcome).toBe('completed');
    });
});

describe('a training worker that dies mid-run', () => {
    const client = new TrainingLspClient({
        initializationOptions: { trusted: true, backend: 'wasm' },
        trainingWorker: join(ROOT, 'test', 'fixtures', 'crashing-training-worker.cjs'),
    });
    beforeAll(async () => {
        await client.initialize();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('ends the run as failed with the reason and a diagnostic; the server lives on', async () => {
        const text = SPEC(100);
        const uri = await client.open('tiny.emn', text);
        const from = client.messages.length;
        expect((await client.execute('emn.server.train', [uri, 'Quick'])).experiments).toEqual(['Quick']);
        const finished = await client.finished(uri, 'Quick', from);
        expect(finished.outcome).toBe('failed');
        expect(finished.message).toBe('training failed: training worker exited with code 1');
        const diags = await client.diagnostics(uri, from, ds => ds.some(d => String(d.message).startsWith('training failed')));
        const d = diags.find(x => String(x.message).startsWith('training failed'))!;
        expect(d.severity).toBe(1);
        expect(d.range.start).toEqual(positionOf(text, 'Quick'));
        // the server still answers, and a failure never writes results
        expect(await client.lensTitles(uri)).toContain('▶ Train');
        expect(existsSync(join(client.folder, '.emn-results'))).toBe(false);
        // a changed spec is another experiment: the failure no longer applies
        const editAt = client.messages.length;
        await client.change(uri, SPEC(101));
        const after = await client.diagnostics(uri, editAt, () => true);
        expect(after.filter(x => String(x.message).startsWith('training failed'))).toEqual([]);
    });
});
