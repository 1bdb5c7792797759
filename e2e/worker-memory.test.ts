// Real-editor test of a training worker that runs out of memory: with emn.training.workerMemoryMB set small in the
// workspace settings, a run past it fails with a clear message (notification, diagnostic, log), the lens and the results
// view keep the last good result, no temporary file is left, and with the limit removed the same run trains.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEditor, type EditorSession } from './support/editor-session.js';
import { waitUntil } from './support/processes.js';

const SPEC = 'memory.emn';
const LIMIT_MB = 32;
/** n = 3 trains in well under the limit; n = 512 with width 16 (four million weights) needs far more. */
const specOfSize = (size: number, width: number) => `operation Grow {
    matvec
    size ${size}
    sparsity 0.3
}

network Net {
    width ${width}
    depth 1
}

experiment Grows {
    learn Grow with Net
    optimizer adam(lr 0.01)
    batch 16
    steps 3
    evaluate 100 samples
}
`;

let editor: EditorSession | undefined;

beforeAll(async () => {
    editor = await startEditor({
        prefix: 'emn-e2e-memory-',
        files: { [SPEC]: specOfSize(3, 2) },
        workspaceSettings: { 'emn.training.backend': 'cpu', 'emn.training.workerMemoryMB': LIMIT_MB },
    });
}, 300_000);
afterAll(async () => {
    await editor?.stop();
});

describe('EMN Studio with a training worker that runs out of memory (code-server + Chromium)', () => {
    it('fails a run past emn.training.workerMemoryMB saying so, keeps the last good result, and trains under a normal limit', async () => {
        const { wb, workspace, outputLog } = editor!;
        const resultsDir = join(workspace, '.emn-results', SPEC);
        const resultFile = join(resultsDir, 'Grows.json');
        const specFile = join(workspace, SPEC);
        await wb.openInFirstGroup(SPEC);
        await wb.goToLine(
            specOfSize(3, 2)
                .split('\n')
                .findIndex(l => l.startsWith('experiment')) + 1,
        );
        // a small run fits the limit: the good result the failure must not touch
        await wb.runCommand('EMN: Train Experiment');
        await waitUntil('the first result of Grows', () => existsSync(resultFile), 120_000);
        const good = readFileSync(resultFile, 'utf8');
        await wb.runCommand('EMN: Show Results');
        const view = await wb.webviewFrame('h1:has-text("Grows")');
        await expect.poll(async () => (await view.locator('#app table').first().textContent()) ?? '', { timeout: 30_000 }).toMatch(/MSE/);

        // the spec grows past the limit (written on disk, as an edit elsewhere would; the editor reloads it)
        writeFileSync(specFile, specOfSize(512, 16));
        const editorPane = wb.editor();
        await expect.poll(() => editorPane.locator('.view-line', { hasText: 'size 512' }).count(), { timeout: 30_000 }).toBe(1);
        await wb.runCommand('EMN: Train Experiment');
        const said = new RegExp(`ran out of memory \\(its heap limit is ${LIMIT_MB} MB\\): raise emn\\.training\\.workerMemoryMB`);
        // the warning notification, the log line and an error diagnostic on the experiment say why
        const toast = wb.page.locator('.notification-toast', { hasText: 'Training Grows failed' });
        await expect.poll(async () => (await toast.textContent().catch(() => '')) ?? '', { timeout: 120_000 }).toMatch(said);
        await expect.poll(outputLog, { timeout: 30_000 }).toMatch(/\[train\] Grows \(memory\.emn\): failed .*ran out of memory/);
        await expect.poll(() => editorPane.locator('.squiggly-error').count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await wb.screenshot('worker-out-of-memory');
        // the lens and the results view keep the last good result (stale: the spec changed); the store is as it was
        await editorPane
            .locator('.codelens-decoration a', { hasText: /^stale: spec changed · MSE / })
            .first()
            .waitFor({ timeout: 60_000 });
        await expect.poll(() => editorPane.locator('.codelens-decoration a', { hasText: /Cancel/ }).count(), { timeout: 30_000 }).toBe(0);
        await expect.poll(async () => (await view.locator('header .badge.stale').count()) > 0, { timeout: 30_000 }).toBe(true);
        expect(await view.locator('#app table').first().textContent()).toMatch(/MSE/);
        expect(await view.locator('text=Could not load the results').count()).toBe(0);
        expect(readFileSync(resultFile, 'utf8')).toBe(good);
        expect(readdirSync(resultsDir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.tmp'))).toEqual([]);

        // the limit removed: the server says so in the log, and the same run trains
        const settingsFile = join(workspace, '.vscode', 'settings.json');
        writeFileSync(settingsFile, JSON.stringify({ 'emn.training.backend': 'cpu' }, null, 2));
        await expect
            .poll(outputLog, { timeout: 60_000 })
            .toMatch(/settings changed: the next run's training workers have a heap limit of Node's default/);
        const before = statSync(resultFile).mtimeMs;
        await wb.openInFirstGroup(SPEC);
        await wb.runCommand('EMN: Train Experiment');
        await waitUntil('a new result of Grows', () => statSync(resultFile).mtimeMs > before, 300_000);
        await expect.poll(outputLog, { timeout: 30_000 }).toMatch(/\[train\] Grows \(memory\.emn\): completed/);
        // the results view may have taken the focus when the new result came: back to the spec for its lens
        await wb.openInFirstGroup(SPEC);
        await wb.editor().locator('.codelens-decoration a', { hasText: /^MSE / }).first().waitFor({ timeout: 60_000 });
        const fresh = await wb.webviewFrame('h1:has-text("Grows")');
        await expect.poll(async () => (await fresh.locator('header .badge.stale').count()) === 0, { timeout: 60_000 }).toBe(true);
        expect(readdirSync(resultsDir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.tmp'))).toEqual([]);
        await wb.screenshot('worker-memory-normal-limit');
    }, 900_000);
});
