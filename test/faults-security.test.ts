// Security: results never leave the spec's folder (.., absolute, symbolic links), and nothing written in a spec is executed.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeFor } from '../language-server/lsp/training/node-training-engine.js';
import type { ExperimentResult } from '../engine/results/result-types.js';
import { ResultsStore } from '../engine/results/results-store.js';
import { useEmnCli } from './emn-cli.js';
import { openAlone, tinySpec } from './fault-specs.js';
import { positionOf, TrainingLspClient } from './training-lsp-client.js';

const result = (experiment = 'Paper'): ExperimentResult => ({
    experiment,
    operation: 'Op',
    network: 'Net',
    backend: 'cpu',
    steps: 1,
    wallMs: 1,
    stepsPerSecond: 1,
    stopped: 'steps',
    metrics: { mse: 0, rmse: 0, maxAbsError: 0, relError: 0 },
    evaluations: [],
    lossCurve: [],
    planHash: 'h',
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:01.000Z',
});

describe('results store confinement (symbolic links)', () => {
    let dir: string;
    let outside: string;
    let spec: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'emn-confine-'));
        outside = mkdtempSync(join(tmpdir(), 'emn-outside-'));
        mkdirSync(join(dir, 'project'));
        spec = join(dir, 'project', 'paper.emn');
        writeFileSync(spec, '// spec\n');
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
        rmSync(outside, { recursive: true, force: true });
    });

    const refused = /^refusing to write results: .* leads to .*, outside the spec's folder .* \(a symbolic link\?\)$/;

    it('refuses to write or read through a results folder that links outside the spec folder', () => {
        symlinkSync(outside, join(dir, 'project', '.emn-results'));
        const store = new ResultsStore();
        expect(() => store.save(spec, result())).toThrow(refused);
        expect(readdirSync(outside)).toEqual([]);
        // a file planted there is not read either
        mkdirSync(join(outside, 'paper.emn'));
        writeFileSync(join(outside, 'paper.emn', 'Paper.json'), '{}');
        const loaded = store.load(spec, 'Paper');
        expect(loaded.result).toBeUndefined();
        expect(loaded.warning).toMatch(/^results not read: .* outside the spec's folder/);
    });

    it('refuses a per-spec folder that links outside, and a dangling link, without creating anything there', () => {
        mkdirSync(join(dir, 'project', '.emn-results'));
        symlinkSync(outside, join(dir, 'project', '.emn-results', 'paper.emn'));
        expect(() => new ResultsStore().save(spec, result())).toThrow(refused);
        rmSync(join(dir, 'project', '.emn-results'), { recursive: true });
        // a link to a folder that does not exist yet: mkdir would create it outside
        symlinkSync(join(outside, 'not-yet'), join(dir, 'project', '.emn-results'));
        expect(() => new ResultsStore().save(spec, result())).toThrow(refused);
        expect(readdirSync(outside)).toEqual([]);
        // the server's store (a results folder setting under the spec's folder) is confined the same way
        expect(() => storeFor(spec, '.emn-results').save(spec, result())).toThrow(refused);
        expect(readdirSync(outside)).toEqual([]);
    });

    it('allows links that stay inside the spec folder, and an explicit --out folder anywhere', () => {
        mkdirSync(join(dir, 'project', 'kept'));
        symlinkSync(join(dir, 'project', 'kept'), join(dir, 'project', '.emn-results'));
        expect(new ResultsStore().save(spec, result()).path).toBe(join(dir, 'project', '.emn-results', 'paper.emn', 'Paper.json'));
        expect(readdirSync(join(dir, 'project', 'kept', 'paper.emn'))).toEqual(['Paper.json']);
        expect(new ResultsStore().load(spec, 'Paper').result?.experiment).toBe('Paper');
        // the user typed the folder: `emn train --out DIR` writes there
        expect(new ResultsStore(join(outside, 'out')).save(spec, result()).path).toBe(join(outside, 'out', 'Paper.json'));
    });

    it('keeps hostile experiment names inside the folder', () => {
        const store = new ResultsStore();
        for (const name of ['../../escape', '/etc/cron.d/x', 'a\\..\\..\\b', '..']) {
            const saved = store.save(spec, result(name));
            expect(dirname(saved.path)).toBe(join(dir, 'project', '.emn-results', 'paper.emn'));
        }
        expect(readdirSync(dir)).toEqual(['project']);
        expect(readdirSync(join(dir, 'project')).sort()).toEqual(['.emn-results', 'paper.emn']);
    });
});

/** Text that a shell, `eval` or a template would run, in comments and in names the grammar allows. */
const hostile = (canary: string) => `// $(touch ${canary}) \`touch ${canary}\` ; touch ${canary}
/* require('child_process').execSync('touch ${canary}'); process.exit(3); \${require('fs').writeFileSync('${canary}', 'x')} */
operation constructor {   // $(rm -rf ~) <script>alert(1)</script>
    matvec
    size 3
}

network __proto__ {
    width 2
    depth 1
}

experiment toString {
    learn constructor with __proto__   // eval("touch ${canary}")
    batch 8
    steps 30
    seed 1
}
`;

describe('nothing in a spec is executed, and results stay in the spec folder, over LSP', () => {
    let client: TrainingLspClient;
    beforeAll(async () => {
        // a settings file that tries to send results out of the spec folder: the default folder is used instead
        client = new TrainingLspClient({
            initializationOptions: { trusted: true, backend: 'cpu' },
            settings: { results: { folder: '../escaped' } },
        });
        await client.initialize();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('parses, hovers and trains a spec full of shell and JavaScript, and runs none of it', async () => {
        const canary = join(client.folder, 'canary');
        const text = hostile(canary);
        const { uri, dir } = await openAlone(client, 'hostile.emn', text);
        const diags = await client.diagnostics(uri, 0, () => true);
        expect(diags.filter(d => d.severity === 1)).toEqual([]);
        const at = positionOf(text, 'width 2', 1);
        expect(await client.hoverText(uri, at.line, at.character)).not.toBe('');
        const from = client.messages.length;
        expect((await client.execute('emn.server.train', [uri, 'toString'])).experiments).toEqual(['toString']);
        expect((await client.finished(uri, 'toString', from)).outcome).toBe('completed');
        expect(readdirSync(join(dir, '.emn-results', 'hostile.emn')).sort()).toEqual(['toString.history', 'toString.json']);
        expect(existsSync(join(client.folder, '..', 'escaped'))).toBe(false);
        expect(existsSync(canary)).toBe(false);
        expect(client.child.exitCode).toBeNull();
    });

    it('refuses to save through a results folder that links outside the spec folder, and says so', async () => {
        const outside = mkdtempSync(join(tmpdir(), 'emn-outside-'));
        try {
            const text = tinySpec(30, 1, 'Linked', 'L');
            const { uri, dir } = await openAlone(client, 'linked.emn', text);
            symlinkSync(outside, join(dir, '.emn-results'));
            const from = client.messages.length;
            await client.execute('emn.server.train', [uri, 'Linked']);
            const finished = await client.finished(uri, 'Linked', from);
            expect(finished.outcome).toBe('failed');
            expect(finished.message).toMatch(
                /^training finished but its results could not be saved: refusing to write results: .*linked\.emn leads to .*, outside the spec's folder/,
            );
            expect(readdirSync(outside)).toEqual([]);
        } finally {
            rmSync(outside, { recursive: true, force: true });
        }
    });
});

describe('nothing in a spec is executed by emn check and emn train', () => {
    const cli = useEmnCli('emn-hostile-');

    it('checks and trains the hostile spec like any other', () => {
        const canary = join(cli.dir, 'canary');
        const file = join(cli.dir, 'hostile.emn');
        writeFileSync(file, hostile(canary));
        const check = cli.emn('check', file);
        expect(check.code).toBe(0);
        const train = cli.emn('train', file, '--backend', 'cpu', '--json');
        expect(train.code).toBe(0);
        expect(JSON.parse(train.stdout)).toMatchObject({ experiment: 'toString', operation: 'constructor', network: '__proto__' });
        expect(existsSync(canary)).toBe(false);
    });
});
