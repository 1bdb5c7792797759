// Real-editor test of sweeps on Slurm: the "Train on Slurm" lens, "Slurm job N: k/6 points done" while the array runs, results without
// collect, Cancel.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEditor, type EditorSession } from './support/editor-session.js';
import type { Workbench } from './support/workbench.js';
import { slurmAvailable } from '../test/slurm-cluster.js';

const SPEC = 'sweep.emn';
const TEXT = `// two sweeps for Slurm: Grid trains in seconds, Long runs until cancelled
operation Op { matvec size 3 sparsity 0.5 }

network Net { width 2 depth 2 }

experiment Grid {
    learn Op with Net
    steps 80
    batch 16
    evaluate 100 samples
    sweep size [3, 4], sparsity [0.2, 0.5, 0.7]
}

experiment Long {
    learn Op with Net
    steps 1000000
    sweep seed [1, 2]
}
`;
const lineOf = (prefix: string) => TEXT.split('\n').findIndex(l => l.trim().startsWith(prefix)) + 1;

let editor: EditorSession | undefined;
let workspace: string;
let wb: Workbench;
let outputLog: () => string;

describe.skipIf(!slurmAvailable)('sweeps on Slurm in a real VS Code (code-server + Chromium + slurmctld)', () => {
    beforeAll(async () => {
        editor = await startEditor({
            prefix: 'emn-e2e-slurm-',
            files: { [SPEC]: TEXT },
            // no emn.slurm.enabled: the lens is there because sbatch is on the language server's PATH
            workspaceSettings: { 'emn.training.backend': 'cpu' },
            userSettings: { 'editor.minimap.enabled': false },
        });
        ({ workspace, wb, outputLog } = editor);
    });

    afterAll(async () => {
        await editor?.stop();
    });

    it('trains a sweep from the "Train on Slurm" lens: progress in the lens, then the results, lens, hint and view', async () => {
        await wb.quickOpen(SPEC);
        const editor = wb.editor();
        const slurmLens = editor.locator('.codelens-decoration a', { hasText: /Train on Slurm/ });
        await expect.poll(() => slurmLens.count(), { timeout: 60_000 }).toBe(2);
        await wb.screenshot('slurm-lens');
        await slurmLens.first().click();
        // the lens follows the array: job id and points done, refreshed while it runs
        const progress = editor.locator('.codelens-decoration', { hasText: /Slurm job \d+: \d\/6 points done/ });
        await progress.first().waitFor({ timeout: 60_000 });
        await wb.screenshot('slurm-progress');
        // the merged result appears when the last point lands, without anyone running collect
        const resultLens = editor.locator('.codelens-decoration a', { hasText: /best .*worst/ });
        await resultLens.first().waitFor({ timeout: 180_000 });
        expect(existsSync(join(workspace, '.emn-results', SPEC, 'Grid.json'))).toBe(true);
        const hint = editor.locator('.view-line', { hasText: 'experiment Grid' }).locator('span[class*="dyn-rule"]');
        await hint.first().waitFor({ timeout: 30_000 });
        await expect.poll(outputLog, { timeout: 30_000 }).toMatch(/\[train\] Grid \(sweep\.emn\): completed/);
        await wb.screenshot('slurm-results-lens');
        await wb.goToLine(lineOf('experiment Grid'));
        await wb.runCommand('EMN: Show Results');
        const view = await wb.webviewFrame('h1:has-text("Grid")');
        await expect.poll(() => view.locator('section', { hasText: 'Sweep' }).locator('tbody tr').count(), { timeout: 30_000 }).toBe(6);
        await wb.screenshot('slurm-results-view');
    });

    it('Cancel on a Slurm sweep scancels its array', async () => {
        await wb.page.locator('.tab', { hasText: SPEC }).first().click();
        const editor = wb.editor();
        const longLens = editor.locator('.codelens-decoration a', { hasText: /Train on Slurm/ });
        await expect.poll(() => longLens.count(), { timeout: 30_000 }).toBe(2);
        await longLens.nth(1).click();
        const running = editor.locator('.codelens-decoration', { hasText: /Slurm job \d+: 0\/2 points done/ });
        await running.first().waitFor({ timeout: 60_000 });
        const job = /Slurm job (\d+)/.exec((await running.first().textContent()) ?? '')![1];
        await editor
            .locator('.codelens-decoration a', { hasText: /Cancel/ })
            .first()
            .click();
        await expect.poll(outputLog, { timeout: 60_000 }).toMatch(/\[train\] Long \(sweep\.emn\): cancelled/);
        await expect.poll(() => longLens.count(), { timeout: 30_000 }).toBe(2);
        // Slurm has no task of the array left running
        const left = spawnSync('squeue', ['-h', '-r', '-j', job, '-t', 'PENDING,RUNNING'], { encoding: 'utf8' });
        // squeue itself must have answered: its empty output on an error would prove nothing
        expect(left.status).toBe(0);
        expect(left.stdout.trim()).toBe('');
        await wb.screenshot('slurm-cancelled');
    });
});
