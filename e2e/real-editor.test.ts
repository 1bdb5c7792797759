// Real-editor test: packages the .vsix, installs it into code-server, and proves each feature through the DOM in Chromium.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from './support/browser.js';
import { codeServerBinary, installExtension, startCodeServer, writeUserSettings, type CodeServer } from './support/code-server.js';
import { waitUntil } from './support/processes.js';
import { Workbench } from './support/workbench.js';

const SPEC = 'tiny.emn';
const fixture = readFileSync(join('e2e', 'fixtures', SPEC), 'utf8');
/** 1-based line of the first line that starts (after indentation) with `prefix`, searching from `after`. */
const lineOf = (prefix: string, after = 0) => fixture.split('\n').findIndex((l, i) => i >= after && l.trim().startsWith(prefix)) + 1;

let root: string;
let workspace: string;
let server: CodeServer | undefined;
let session: BrowserSession | undefined;
let wb: Workbench;
let userDataDir: string;

/** The "EMN Studio" output channel as VS Code writes it to disk (a LogOutputChannel has a file per session). */
function outputLog(): string {
    const logs = join(userDataDir, 'logs');
    const files = existsSync(logs) ? readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('EMN Studio.log')) : [];
    return files.map(f => readFileSync(join(logs, f), 'utf8')).join('\n');
}

beforeAll(async () => {
    // the test runs what users install: the packaged .vsix, built from this checkout
    // (EMN_E2E_VSIX: test a given .vsix instead, e.g. a release candidate)
    const vsix = process.env.EMN_E2E_VSIX ?? join(process.cwd(), 'emn-studio.vsix');
    if (!process.env.EMN_E2E_VSIX) execFileSync('npm', ['run', 'package', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    expect(existsSync(vsix)).toBe(true);
    const bin = codeServerBinary();

    root = mkdtempSync(join(tmpdir(), 'emn-e2e-'));
    workspace = join(root, 'workspace');
    const extensionsDir = join(root, 'extensions');
    userDataDir = join(root, 'user-data');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    cpSync(join('e2e', 'fixtures', SPEC), join(workspace, SPEC));
    // wasm: proves the packaged .wasm binaries load from the installed extension and that the setting reaches the server
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'emn.training.backend': 'wasm' }, null, 2));
    writeUserSettings(userDataDir, {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'editor.codeLens': true,
        'editor.inlayHints.enabled': 'on',
        'editor.hover.delay': 200,
        'editor.minimap.enabled': false,
        // the sticky header would cover the first lines the test points at
        'editor.stickyScroll.enabled': false,
        // the simple (quick input) file dialog is the one code-server always shows; make it explicit
        'files.simpleDialog.enable': true,
    });
    installExtension(bin, extensionsDir, vsix);
    server = await startCodeServer(bin, { userDataDir, extensionsDir, workspace });
    session = await launchBrowser(join(root, 'chromium'));
    wb = new Workbench(session.page);
    await wb.open(server.url, workspace);
});

afterAll(async () => {
    await session?.stop();
    await server?.stop();
    if (wb) console.log(`screenshots:\n${wb.screenshots.map(s => `  ${s}`).join('\n')}`);
    if (root && !process.env.EMN_E2E_KEEP) rmSync(root, { recursive: true, force: true });
});

describe('EMN Studio in a real VS Code (code-server + Chromium)', () => {
    it('highlights .emn keywords with the TextMate grammar', async () => {
        await wb.quickOpen(SPEC);
        const line = wb.viewLine('operation Tiny4');
        await line.waitFor();
        // tokenization is asynchronous: wait until the keyword and the name are rendered as different tokens
        const classes = await waitUntil('the keyword `operation` to get its own token colour', async () => {
            const keyword = await line.locator('span[class^="mtk"]', { hasText: /^operation$/ }).first().getAttribute('class').catch(() => null);
            const name = await line.locator('span[class^="mtk"]', { hasText: 'Tiny4' }).first().getAttribute('class').catch(() => null);
            return keyword && name && keyword !== name ? { keyword, name } : undefined;
        }, 30_000);
        const colors = await Promise.all([/^operation$/, /Tiny4/].map(text =>
            line.locator('span[class^="mtk"]', { hasText: text }).first().evaluate(e => getComputedStyle(e).color)));
        expect(classes.keyword).not.toBe(classes.name);
        expect(colors[0]).not.toBe(colors[1]);
        await wb.screenshot('highlighting');
    });

    it('shows a diagnostic for a bad value and clears it once fixed', async () => {
        const editor = wb.editor();
        await expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 30_000 }).toBe(0);
        const sparsityLine = lineOf('sparsity 0.5');
        await wb.replaceLine(sparsityLine, 'sparsity 1.5');
        await expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 30_000 }).toBeGreaterThan(0);
        // the status bar's Problems item counts the error too (its label is on the item or its link)
        const problems = wb.page.locator('[id="status.problems"]');
        await expect.poll(() => problems.evaluate(e => [e, ...Array.from(e.querySelectorAll('[aria-label]'))]
            .map(n => n.getAttribute('aria-label') ?? '').join(' ')), { timeout: 30_000 }).toMatch(/Errors?:\s*[1-9]|[1-9]\d*\s+errors?/i);
        await wb.screenshot('diagnostic');
        await wb.replaceLine(sparsityLine, 'sparsity 0.5');
        await expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 30_000 }).toBe(0);
        await wb.page.keyboard.press('Control+S');
        await wb.screenshot('diagnostic-fixed');
    });

    it('trains from the "Train" CodeLens and shows the result lens and inlay hint', async () => {
        const editor = wb.editor();
        const trainLens = editor.locator('.codelens-decoration a', { hasText: /^\s*▶?\s*Train\s*$/ });
        await expect.poll(() => trainLens.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
        await wb.screenshot('codelens');
        await trainLens.first().click();
        const resultLens = editor.locator('.codelens-decoration a', { hasText: 'MSE' });
        await resultLens.first().waitFor({ timeout: 120_000 });
        expect(await resultLens.first().textContent()).toMatch(/MSE \d.*· wasm/);
        // an inlay hint is injected text: a span with a generated `dyn-rule-*` class after the line's own tokens
        const hint = editor.locator('.view-line', { hasText: 'experiment Tiny' }).locator('span[class*="dyn-rule"]', { hasText: /mse\s\d/ });
        await hint.first().waitFor({ timeout: 30_000 });
        // the run is logged in the output channel, with its metrics
        await expect.poll(outputLog, { timeout: 30_000 }).toMatch(/\[train\] Tiny \(tiny\.emn\): completed in [\d.]+ s · mse \S+/);
        await wb.screenshot('trained-lens-and-inlay-hint');
    });

    it('hovers the network name and shows the learned weights', async () => {
        const name = wb.viewLine('network TinyNet').locator('span', { hasText: /^TinyNet$/ }).first();
        const hover = wb.page.locator('.monaco-hover:visible', { hasText: 'Show weights' });
        await waitUntil('the weights hover', async () => {
            await wb.page.mouse.move(0, 0);
            await name.hover();
            return await hover.first().waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
        }, 60_000, 500);
        await expect.poll(() => hover.first().locator('img').count()).toBeGreaterThan(0);
        expect(await hover.first().textContent()).toMatch(/Learned weights/);
        await wb.screenshot('hover-weights');
        // the hover's link runs the extension's command (a trusted command link): it opens the results view
        await hover.first().locator('a', { hasText: 'Show weights' }).click();
        await wb.page.locator('.tab', { hasText: 'Results: Tiny' }).waitFor({ timeout: 30_000 });
    });

    it('shows cancellable progress while training and cancels from the notification', async () => {
        await wb.goToLine(lineOf('experiment Long'));
        await wb.runCommand('EMN: Train Experiment');
        const toast = wb.page.locator('.notification-toast', { hasText: 'Training Long' });
        await toast.waitFor({ timeout: 60_000 });
        await expect.poll(async () => (await toast.textContent()) ?? '', { timeout: 60_000 }).toMatch(/step \d+\/1000000 · loss /);
        await wb.screenshot('training-progress');
        await toast.hover();
        await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
        await toast.waitFor({ state: 'detached', timeout: 30_000 });
        // the Long lens is back to "Train" (no "Cancel" lens left)
        const cancelLens = wb.editor().locator('.codelens-decoration a', { hasText: /Cancel/ });
        await expect.poll(() => cancelLens.count(), { timeout: 30_000 }).toBe(0);
        await expect.poll(outputLog, { timeout: 30_000 }).toMatch(/\[train\] Long \(tiny\.emn\): cancelled/);
        await wb.screenshot('training-cancelled');
    });

    let results: Frame;
    it('renders the results view: loss curve, weight heatmaps, error table', async () => {
        await wb.goToLine(lineOf('experiment Tiny'));
        await wb.runCommand('EMN: Show Results');
        results = await wb.webviewFrame('#app h1');
        await expect.poll(() => results.locator('#app h1').textContent(), { timeout: 30_000 }).toContain('Tiny');
        // loss curve + E + one heatmap per weight tensor
        await expect.poll(() => results.locator('#app canvas[role="img"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
        const table = await results.locator('#app table').first().textContent();
        expect(table).toMatch(/MSE/);
        // a canvas that drew something: its pixels are not all one colour
        const painted = await results.locator('#app canvas[role="img"]').first().evaluate((c: HTMLCanvasElement) => {
            const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
            const colours = new Set<number>();
            for (let i = 0; i < data.length && colours.size < 3; i += 4 * 97) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
            return colours.size;
        });
        expect(painted).toBeGreaterThan(1);
        await wb.screenshot('results-view');
        await results.locator('h2', { hasText: 'Weights' }).evaluate(e => e.scrollIntoView({ block: 'start' }));
        await wb.screenshot('results-heatmaps');
    });

    it('exports the weights as CSV through the save dialog', async () => {
        await results.locator('button', { hasText: 'Export weights (CSV)' }).click();
        // code-server's save dialog is the simple quick-input dialog: accept the proposed path
        const input = wb.page.locator('.quick-input-widget input');
        await expect.poll(() => input.inputValue(), { timeout: 30_000 }).toMatch(/Tiny-weights\.csv$/);
        await wb.screenshot('export-dialog');
        await wb.page.keyboard.press('Enter');
        const file = join(workspace, 'Tiny-weights.csv');
        await waitUntil('the exported CSV', () => existsSync(file), 30_000);
        const csv = readFileSync(file, 'utf8');
        expect(csv.split('\n')[0]).toMatch(/^tensor,i0,/);
        expect(csv.split('\n').length).toBeGreaterThan(10);
    });

    it('enforces the CSP in the results webview and logs no console errors from it', async () => {
        // an inline script must be refused by our CSP; the refusal also proves the console collector sees this frame
        const probe = 'window.emnInlineProbe = 1';
        const hash = createHash('sha256').update(probe).digest('base64');
        const nonce = await results.evaluate(() => document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '');
        expect(nonce).not.toBe('');
        await results.evaluate(text => { const s = document.createElement('script'); s.textContent = text; document.body.append(s); }, probe);
        expect(await results.evaluate(() => (window as unknown as { emnInlineProbe?: number }).emnInlineProbe)).toBeUndefined();
        const isProbe = (e: { text: string }) => e.text.includes(hash);
        const violation = await waitUntil('the CSP violation of the probe', () => session!.consoleErrors.find(isProbe), 10_000);
        expect(violation.text).toContain(`'nonce-${nonce}'`);
        // errors of our webview: its script and resources (vscode-resource URLs), CSP refusals, or its own messages
        const fromWebview = session!.consoleErrors.filter(e => !isProbe(e)
            && (/vscode-resource|results-view/.test(e.url) || /Content Security Policy|results-view|\[results view\]/.test(e.text)));
        expect(fromWebview).toEqual([]);
    });

    it('renders a sweep: error against size, one line per sparsity, and a table of the points', async () => {
        await wb.goToLine(lineOf('experiment Grid'));
        await wb.runCommand('EMN: Train Experiment');
        // a sweep's result lens names its best and worst points
        const gridLens = wb.editor().locator('.codelens-decoration a', { hasText: /best .*worst/ });
        await gridLens.first().waitFor({ timeout: 120_000 });
        await wb.goToLine(lineOf('experiment Grid'));
        await wb.runCommand('EMN: Show Results');
        const grid = await wb.webviewFrame('h1:has-text("Grid")');
        await expect.poll(() => grid.locator('section', { hasText: 'Sweep' }).locator('tbody tr').count(), { timeout: 30_000 }).toBe(4);
        const sweepCharts = grid.locator('section', { hasText: 'Sweep' }).locator('canvas[role="img"]');
        await expect.poll(() => sweepCharts.count()).toBeGreaterThanOrEqual(2);
        expect(await sweepCharts.first().getAttribute('aria-label')).toMatch(/MSE across the sweep/);
        // two sweep axes: also a grid of the error over size × sparsity
        await expect.poll(() => grid.locator('canvas[aria-label="log10 test MSE over size × sparsity"]').count()).toBe(1);
        // selecting a point shows its own loss curve
        await grid.locator('section', { hasText: 'Sweep' }).locator('tbody tr').nth(3).click();
        await expect.poll(() => grid.locator('h2', { hasText: 'Loss curve' }).textContent()).toMatch(/size 4, sparsity 0.5/);
        await wb.screenshot('results-sweep');
        await grid.locator('canvas[aria-label^="log10 test MSE"]').evaluate(e => e.scrollIntoView({ block: 'center' }));
        await wb.screenshot('results-sweep-grid');
    });

    it('shows the compiled graph of the experiment at the cursor', async () => {
        await wb.page.locator('.tab', { hasText: SPEC }).first().click();
        await wb.goToLine(lineOf('experiment Tiny'));
        await wb.runCommand('EMN: Show Compiled Graph');
        // the markdown preview is another webview: its table lists the layers of the compiled plan
        const plan = await wb.webviewFrame('td:text-is("mask1")');
        await expect.poll(() => plan.locator('body').textContent(), { timeout: 30_000 }).toMatch(/Layers[\s\S]*mask1[\s\S]*output/);
        expect(await plan.locator('body').textContent()).toMatch(/parameters:\s*\d+/);
        await wb.screenshot('compiled-graph');
    });

    it('opens a bundled example by copying it into the workspace', async () => {
        await wb.runCommand('EMN: Open Example');
        const item = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'paper.emn' });
        await item.first().waitFor({ timeout: 30_000 });
        await wb.screenshot('open-example');
        await item.first().click();
        await wb.page.locator('.tab.active', { hasText: 'paper.emn' }).waitFor({ timeout: 30_000 });
        await waitUntil('the example copied into the workspace', () => existsSync(join(workspace, 'paper.emn')), 30_000);
        expect(readFileSync(join(workspace, 'paper.emn'), 'utf8')).toMatch(/experiment Paper/);
    });

});
