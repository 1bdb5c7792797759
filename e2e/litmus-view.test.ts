// Real-editor test of the interaction-order litmus in the results view: a power x masking sweep trained from the editor
// shows its grid as a heatmap with the verdict legend and the litmus line the CLI prints.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEditor, type EditorSession } from './support/editor-session.js';
import { waitUntil } from './support/processes.js';

const SPEC = 'litmus.emn';
// small enough to train in well under a minute on the ops graph: n = 4, three powers by three maskings
const TEXT = `operation Square4 {
    power 2
    size 4
    sparsity 0.5
}

network Masked {
    width 2
    depth 1
}

experiment Litmus {
    learn Square4 with Masked
    optimizer adam(lr 0.02)
    batch 32
    steps 400
    stop when mse < 1e-4
    evaluate 200 samples
    sweep power [1, 2, 3], masking [1, 2, 3]
}
`;

let editor: EditorSession | undefined;

beforeAll(async () => {
    editor = await startEditor({
        prefix: 'emn-e2e-litmus-',
        files: { [SPEC]: TEXT },
        workspaceSettings: { 'emn.training.backend': 'cpu' },
    });
}, 300_000);
afterAll(async () => {
    await editor?.stop();
});

describe('the litmus grid in the results view (code-server + Chromium)', () => {
    it('trains power x masking and shows the grid heatmap, the verdict legend and the smallest masking per power', async () => {
        const { wb, workspace } = editor!;
        await wb.openInFirstGroup(SPEC);
        await wb.goToLine(TEXT.split('\n').findIndex(l => l.startsWith('experiment Litmus')) + 1);
        await wb.runCommand('EMN: Train Experiment');
        const result = join(workspace, '.emn-results', SPEC, 'Litmus.json');
        await waitUntil('the results of Litmus', () => existsSync(result), 300_000);
        await wb.runCommand('EMN: Show Results');
        const view = await wb.webviewFrame('h1:has-text("Litmus")');
        const grid = view.locator('[aria-label="test MSE over power × masking"]');
        await expect.poll(() => grid.count(), { timeout: 60_000 }).toBe(1);
        await grid.evaluate(e => e.scrollIntoView({ block: 'center' }));
        const card = view.locator('.chart-card', { has: grid });
        await expect.poll(() => card.locator('p.meta', { hasText: 'target' }).count(), { timeout: 30_000 }).toBe(1);
        const litmus = (await card.locator('p.litmus').textContent()) ?? '';
        expect(litmus).toMatch(/^smallest masking reaching mse < 1.00e-4 \(the stop rule fired, or test mse below\): power 1: masking 1; /);
        expect(litmus).toMatch(/power 2: (masking \d|none of masking 1, 2, 3); power 3: (masking \d|none of masking 1, 2, 3)$/);
        await wb.screenshot('litmus-grid');
    }, 600_000);
});
