// Client-side commands over the real server (stdio): offered only to a client that names them in initializationOptions.clientCommands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientCommands, VSCODE_CLIENT_COMMANDS } from '../language-server/protocol.js';
import { tinySpec } from './fault-specs.js';
import { positionOf, TrainingLspClient } from './training-lsp-client.js';

const SPEC = tinySpec(40) + 'experiment Broken { learn Tiny3 with Small steps 0 }\n';

/** Trains Quick and returns every lens command and the hover of the experiment's name. */
async function afterTraining(client: TrainingLspClient): Promise<{ commands: { title: string; command: string }[]; hover: string }> {
    const uri = await client.open('spec.emn', SPEC);
    await client.diagnostics(uri, 0, ds => ds.length > 0);
    const from = client.messages.length;
    expect(await client.execute('emn.server.train', [uri, 'Quick'])).toEqual({ experiments: ['Quick'] });
    expect((await client.finished(uri, 'Quick', from)).outcome).toBe('completed');
    const commands = (await client.codeLens(uri)).map(l => ({ title: l.command?.title ?? '', command: l.command?.command ?? '' }));
    const at = positionOf(SPEC, 'experiment Quick', 'experiment '.length + 1);
    return { commands, hover: await client.hoverText(uri, at.line, at.character) };
}

describe('a client that names no client commands (another editor, e.g. Neovim)', () => {
    const client = new TrainingLspClient({ initializationOptions: { backend: 'cpu' } });
    beforeAll(async () => {
        await client.initialize();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it('gets Train, Cancel and the info lenses, each a server command or a label; no Show weights, no Compare with…, no link in the hover', async () => {
        const { commands, hover } = await afterTraining(client);
        const titles = commands.map(c => c.title);
        expect(titles).toContain('▶ Train');
        expect(titles.some(t => /^MSE /.test(t))).toBe(true);
        expect(titles).toContain('⚠ fix the error to train');
        expect(titles).not.toContain('Show weights');
        expect(titles).not.toContain('Compare with…');
        for (const c of commands) expect(c.command, c.title).toMatch(/^(emn\.server\.\w+)?$/);
        expect(hover).toContain('Learned weights');
        expect(hover).not.toContain('command:');
    });
});

describe("a client that names the VS Code extension's commands", () => {
    const client = new TrainingLspClient({ initializationOptions: { backend: 'cpu', clientCommands: VSCODE_CLIENT_COMMANDS } });
    beforeAll(async () => {
        await client.initialize();
    });
    afterAll(async () => {
        await client.dispose();
    });

    it("gets Show weights, Compare with…, the Problems view and the hover's link", async () => {
        const { commands, hover } = await afterTraining(client);
        expect(commands).toContainEqual({ title: 'Show weights', command: ClientCommands.showResults });
        expect(commands).toContainEqual({ title: 'Compare with…', command: ClientCommands.compareWith });
        expect(commands).toContainEqual({ title: '⚠ fix the error to train', command: 'workbench.actions.view.problems' });
        expect(hover).toContain(`command:${ClientCommands.showResults}?`);
    });
});
