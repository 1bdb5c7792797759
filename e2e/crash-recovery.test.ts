// Real-editor test of crash recovery: the language server killed (SIGKILL) during a run; the client restarts it, the
// progress ends, the lens and the results view show the last good result again, and no temporary file is left.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEditor, type EditorSession } from './support/editor-session.js';
import { waitUntil } from './support/processes.js';

const SPEC = 'crash.emn';
const TEXT = `operation Tiny3 {
    matvec
    size 3
    sparsity 0.3
}

network Small {
    width 2
    depth 1
}

experiment Quick {
    learn Tiny3 with Small
    optimizer adam(lr 0.02)
    batch 16
    steps 100
    evaluate 200 samples
}

experiment Endless {
    learn Tiny3 with Small
    optimizer adam(lr 0.02)
    batch 16
    steps 1000000
    evaluate 200 samples
}
`;
const lineOf = (prefix: string) => TEXT.split('\n').findIndex(l => l.startsWith(prefix)) + 1;

let editor: EditorSession | undefined;

beforeAll(async () => {
    editor = await startEditor({ prefix: 'emn-e2e-crash-', files: { [SPEC]: TEXT }, workspaceSettings: { 'emn.training.backend': 'cpu' } });
}, 300_000);
afterAll(async () => {
    await editor?.stop();
});

/** The pid of the language server of this test's code-server (its process group), found in /proc by its script. */
function languageServerPid(): number | undefined {
    const group = editor!.server.process.pid;
    for (const entry of readdirSync('/proc').filter(e => /^\d+$/.test(e))) {
        try {
            const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
            // field 5 of stat is the process group; the command name (field 2) may hold spaces, so count after its ')'
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
            if (pgrp === group && cmdline.includes('language-server.cjs')) return Number(entry);
        } catch {
            /* a process that ended meanwhile */
        }
    }
    return undefined;
}

describe('EMN Studio after a crash (code-server + Chromium)', () => {
    it('restarts a language server killed during a run: progress ends, lens and results view show the last good result', async () => {
        const { wb, workspace, outputLog } = editor!;
        const resultsDir = join(workspace, '.emn-results', SPEC);
        await wb.openInFirstGroup(SPEC);
        await wb.goToLine(lineOf('experiment Quick'));
        await wb.runCommand('EMN: Train Experiment');
        await waitUntil('the results of Quick', () => existsSync(join(resultsDir, 'Quick.json')), 120_000);
        const good = readFileSync(join(resultsDir, 'Quick.json'), 'utf8');
        await wb.runCommand('EMN: Show Results');
        const view = await wb.webviewFrame('h1:has-text("Quick")');
        await expect.poll(async () => (await view.locator('#app table').first().textContent()) ?? '', { timeout: 30_000 }).toMatch(/MSE/);

        await wb.openInFirstGroup(SPEC);
        await wb.goToLine(lineOf('experiment Endless'));
        await wb.runCommand('EMN: Train Experiment');
        const toast = wb.page.locator('.notification-toast', { hasText: 'Training Endless' });
        await expect.poll(async () => (await toast.textContent().catch(() => '')) ?? '', { timeout: 60_000 }).toMatch(/step \d+\/1000000/);
        const killed = languageServerPid();
        expect(killed).toBeDefined();
        process.kill(killed!, 'SIGKILL');
        await wb.screenshot('server-killed');

        // the run ends in the editor (no progress left spinning) and says why
        // the progress toast goes (a second toast may say why the run ended: it names the experiment too)
        await expect
            .poll(() => wb.page.locator('.notification-toast', { hasText: /step \d+\/1000000/ }).count(), { timeout: 60_000 })
            .toBe(0);
        await expect
            .poll(outputLog, { timeout: 30_000 })
            .toMatch(/\[train\] Endless \(crash\.emn\): failed.*language server stopped during the run/);
        // vscode-languageclient starts a new server
        const restarted = await waitUntil(
            'a new language server',
            () => {
                const pid = languageServerPid();
                return pid !== undefined && pid !== killed ? pid : undefined;
            },
            60_000,
        );
        expect(restarted).not.toBe(killed);
        // the new server's lenses: Quick's result, Train on both, no Cancel left
        const editorPane = wb.editor();
        await editorPane.locator('.codelens-decoration a', { hasText: /^MSE / }).first().waitFor({ timeout: 60_000 });
        await expect.poll(() => editorPane.locator('.codelens-decoration a', { hasText: /Cancel/ }).count(), { timeout: 30_000 }).toBe(0);
        await expect
            .poll(() => editorPane.locator('.codelens-decoration a', { hasText: /^\s*▶?\s*Train\s*$/ }).count(), { timeout: 30_000 })
            .toBe(2);
        // the results view asked the new server again: Quick's result, no error
        const after = await wb.webviewFrame('h1:has-text("Quick")');
        await expect.poll(async () => (await after.locator('#app table').first().textContent()) ?? '', { timeout: 30_000 }).toMatch(/MSE/);
        expect(await after.locator('text=Could not load the results').count()).toBe(0);
        await wb.screenshot('server-restarted');
        // the store: Quick's result unchanged, nothing of the killed run, no temporary file
        expect(readFileSync(join(resultsDir, 'Quick.json'), 'utf8')).toBe(good);
        expect(readdirSync(resultsDir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.tmp'))).toEqual([]);
        expect(existsSync(join(resultsDir, 'Endless.json'))).toBe(false);
    }, 600_000);
});
