// Real-editor test: packages the .vsix, installs it into code-server, and proves each feature through the DOM in Chromium.
// Each test sets up what it needs (ensureTrained, openResults): any one runs alone with -t.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserSession } from './support/browser.js';
import type { CodeServer } from './support/code-server.js';
import { startEditor, startEditorServer, type EditorSession } from './support/editor-session.js';
import { waitUntil } from '../test/wait-until.js';
import { Workbench } from './support/workbench.js';

const SPEC = 'tiny.emn';
/** Two quick experiments (Train all) and one that diverges (its quick fix): their own files, so no test edits another's. */
const PAIR = 'pair.emn';
const DIVERGE = 'diverge.emn';
/** Runs to compare (Rates twice, Broad of another shape) and a seeded experiment: small, each trains in a second or two. */
const RUNS = 'runs.emn';
const fixtureText = (file: string) => readFileSync(join('e2e', 'fixtures', file), 'utf8');
const fixture = fixtureText(SPEC);
/** 1-based line of the first line that starts (after indentation) with `prefix`, searching from `after`. */
const lineOf = (prefix: string, after = 0, text = fixture) =>
    text.split('\n').findIndex((l, i) => i >= after && l.trim().startsWith(prefix)) + 1;

let editor: EditorSession | undefined;
let root: string;
let workspace: string;
let session: BrowserSession | undefined;
let wb: Workbench;
/** The "EMN Studio" output channel as VS Code writes it to disk. */
let outputLog: () => string;

beforeAll(async () => {
    editor = await startEditor({
        prefix: 'emn-e2e-',
        files: Object.fromEntries([SPEC, PAIR, DIVERGE, RUNS].map(f => [f, fixtureText(f)])),
        // wasm: proves the packaged .wasm binaries load from the installed extension and that the setting reaches the server
        workspaceSettings: { 'emn.training.backend': 'wasm' },
        userSettings: {
            'editor.hover.delay': 200,
            // the minimap stays on, as users have it: the lens actions must not run under it
            // an unsaved edit must stay unsaved until the test saves (the stale / fresh test)
            'files.autoSave': 'off',
            // the simple (quick input) file dialog is the one code-server always shows; make it explicit
            'files.simpleDialog.enable': true,
        },
    });
    ({ root, workspace, wb, outputLog } = editor);
    session = editor.browser;
});

afterAll(async () => {
    await editor?.stop();
});

/** Where the server stores an experiment's results (beside the spec). */
const resultsFile = (spec: string, experiment: string) => join(workspace, '.emn-results', spec, `${experiment}.json`);

/** Trains an experiment unless its results are on disk already: a test sets up what it needs, whatever ran before. */
async function ensureTrained(experiment: string, spec = SPEC): Promise<void> {
    if (existsSync(resultsFile(spec, experiment))) return;
    await wb.openInFirstGroup(spec);
    await wb.goToLine(lineOf(`experiment ${experiment}`, 0, fixtureText(spec)));
    await wb.runCommand('EMN: Train Experiment');
    await waitUntil(`the results of ${experiment}`, () => existsSync(resultsFile(spec, experiment)), 120_000);
}

/** Where the server keeps run N of an experiment's history. */
const historyRun = (spec: string, experiment: string, run: number) =>
    join(workspace, '.emn-results', spec, `${experiment}.history`, `run-${String(run).padStart(4, '0')}.json`);

/** Trains an experiment (the caret in it, EMN: Train Experiment) until its history holds run `run`. */
async function trainRun(spec: string, experiment: string, run: number): Promise<void> {
    if (existsSync(historyRun(spec, experiment, run))) return;
    await wb.openInFirstGroup(spec);
    await wb.goToLine(lineOf(`experiment ${experiment}`, 0, fixtureText(spec)));
    await wb.runCommand('EMN: Train Experiment');
    await waitUntil(`run ${run} of ${experiment}`, () => existsSync(historyRun(spec, experiment, run)), 120_000);
}

/** Opens (or reveals) the results view of an experiment of runs.emn; resolves with its frame (the one with a history). */
async function openRunsResults(experiment: string): Promise<Frame> {
    await wb.openInFirstGroup(RUNS);
    await wb.goToLine(lineOf(`experiment ${experiment}`, 0, fixtureText(RUNS)));
    await wb.runCommand('EMN: Show Results');
    return wb.webviewFrame(`#app:has(section.history) h1:has-text("${experiment}")`);
}

/** Opens (or reveals) the results view of an experiment of tiny.emn beside the spec; resolves with its frame. */
async function openResults(experiment: string): Promise<Frame> {
    await wb.openInFirstGroup(SPEC);
    await wb.goToLine(lineOf(`experiment ${experiment}`));
    await wb.runCommand('EMN: Show Results');
    return wb.webviewFrame(`h1:has-text("${experiment}")`);
}

/** The centre of a word in a rendered line (tokens may split or merge words, so measure the text itself). */
async function wordCentre(line: Locator, word: string): Promise<{ x: number; y: number }> {
    return line.evaluate((node, w) => {
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            const at = new RegExp(`\\b${w}\\b`).exec(t.textContent ?? '');
            if (!at) continue;
            const range = document.createRange();
            range.setStart(t, at.index);
            range.setEnd(t, at.index + w.length);
            const r = range.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        }
        throw new Error(`${w} is not in the line`);
    }, word);
}

/** Moves the mouse onto a word until the hover that contains `text` shows; returns that hover. */
async function hoverWord(line: Locator, word: string, text: string): Promise<Locator> {
    const hover = wb.page.locator('.monaco-hover:visible', { hasText: text }).first();
    await waitUntil(
        `the hover of ${word} with "${text}"`,
        async () => {
            await wb.page.mouse.move(0, 0);
            const { x, y } = await wordCentre(line, word);
            await wb.page.mouse.move(x, y);
            return await hover.waitFor({ state: 'visible', timeout: 5000 }).then(
                () => true,
                () => false,
            );
        },
        60_000,
        500,
    );
    return hover;
}

/** Pixels of a canvas in a saturated colour (a data series), not the greys of axes, grid, text and background. */
function seriesPixels(canvas: Locator): Promise<number> {
    return canvas.evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 80) count++;
        }
        return count;
    });
}

describe('EMN Studio in a real VS Code (code-server + Chromium)', () => {
    // a failing step leaves a picture of the window behind, beside the others
    beforeEach(({ task, onTestFailed }) => {
        onTestFailed(() => wb.screenshot(`FAILED-${task.name.slice(0, 40).replace(/[^\w]+/g, '-')}`).catch(() => undefined));
    });

    it('highlights .emn keywords with the TextMate grammar', async () => {
        await wb.openInFirstGroup(SPEC);
        const line = wb.viewLine('operation Tiny4');
        await line.waitFor();
        // tokenization is asynchronous: wait until the keyword and the name are rendered as different tokens
        const classes = await waitUntil(
            'the keyword `operation` to get its own token colour',
            async () => {
                const keyword = await line
                    .locator('span[class^="mtk"]', { hasText: /^operation$/ })
                    .first()
                    .getAttribute('class')
                    .catch(() => null);
                const name = await line
                    .locator('span[class^="mtk"]', { hasText: 'Tiny4' })
                    .first()
                    .getAttribute('class')
                    .catch(() => null);
                return keyword && name && keyword !== name ? { keyword, name } : undefined;
            },
            30_000,
        );
        const colors = await Promise.all(
            [/^operation$/, /Tiny4/].map(text =>
                line
                    .locator('span[class^="mtk"]', { hasText: text })
                    .first()
                    .evaluate(e => getComputedStyle(e).color),
            ),
        );
        expect(classes.keyword).not.toBe(classes.name);
        expect(colors[0]).not.toBe(colors[1]);
        await wb.screenshot('highlighting');
    });

    it('shows a diagnostic for a bad value and clears it once fixed', async () => {
        await wb.openInFirstGroup(SPEC);
        const editor = wb.editor();
        await expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 30_000 }).toBe(0);
        const sparsityLine = lineOf('sparsity 0.5');
        await wb.replaceLine(sparsityLine, 'sparsity 1.5');
        await expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 30_000 }).toBeGreaterThan(0);
        // the status bar's Problems item counts the error too (its label is on the item or its link)
        const problems = wb.page.locator('[id="status.problems"]');
        await expect
            .poll(
                () =>
                    problems.evaluate(e =>
                        [e, ...Array.from(e.querySelectorAll('[aria-label]'))].map(n => n.getAttribute('aria-label') ?? '').join(' '),
                    ),
                { timeout: 30_000 },
            )
            .toMatch(/Errors?:\s*[1-9]|[1-9]\d*\s+errors?/i);
        await wb.screenshot('diagnostic');
        await wb.replaceLine(sparsityLine, 'sparsity 0.5');
        await expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 30_000 }).toBe(0);
        await wb.page.keyboard.press('Control+S');
        await wb.screenshot('diagnostic-fixed');
    });

    it('trains from the "Train" CodeLens and shows the result lens and inlay hint', async () => {
        await wb.openInFirstGroup(SPEC);
        const editor = wb.editor();
        const trainLens = editor.locator('.codelens-decoration a', { hasText: /^\s*▶?\s*Train\s*$/ });
        await expect.poll(() => trainLens.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
        await wb.screenshot('codelens');
        // a new results file (or a newer one, when another test trained Tiny first) is the signal the run ended
        const file = resultsFile(SPEC, 'Tiny');
        const before = existsSync(file) ? statSync(file).mtimeMs : 0;
        await trainLens.first().click();
        await waitUntil('a new results file of Tiny', () => existsSync(file) && statSync(file).mtimeMs > before, 120_000);
        const resultLens = editor.locator('.codelens-decoration a', { hasText: /^MSE / });
        await resultLens.first().waitFor({ timeout: 30_000 });
        expect(await resultLens.first().textContent()).toMatch(/MSE \d.*· wasm/);
        // an inlay hint is injected text: a span with a generated `dyn-rule-*` class after the line's own tokens
        const hint = editor
            .locator('.view-line', { hasText: 'experiment Tiny' })
            .locator('span[class*="dyn-rule"]', { hasText: /mse\s\d/ });
        await hint.first().waitFor({ timeout: 30_000 });
        // the run is logged in the output channel, with its metrics
        await expect.poll(outputLog, { timeout: 30_000 }).toMatch(/\[train\] Tiny \(tiny\.emn\): completed in [\d.]+ s · mse \S+/);
        await wb.screenshot('trained-lens-and-inlay-hint');
    });

    it('trains every experiment of a file from the "Train all" lens', async () => {
        await wb.openInFirstGroup(PAIR);
        const editor = wb.editor();
        const trainAll = editor.locator('.codelens-decoration a', { hasText: /Train all/ });
        await trainAll.first().waitFor({ timeout: 60_000 });
        await trainAll.first().click();
        await waitUntil('the results of PairA and PairB', () => ['PairA', 'PairB'].every(e => existsSync(resultsFile(PAIR, e))), 180_000);
        await expect.poll(() => editor.locator('.codelens-decoration a', { hasText: /^MSE / }).count(), { timeout: 60_000 }).toBe(2);
        const log = outputLog();
        expect(log).toMatch(/\[train\] PairA \(pair\.emn\): completed/);
        expect(log).toMatch(/\[train\] PairB \(pair\.emn\): completed/);
        await wb.screenshot('train-all');
    });

    it('hovers the network name: a compact hover with |E - 1| and the link, seen without scrolling', async () => {
        await ensureTrained('Tiny');
        await wb.openInFirstGroup(SPEC);
        const hover = await hoverWord(wb.viewLine('network TinyNet'), 'TinyNet', 'Show weights');
        await expect.poll(() => hover.locator('img').count()).toBeGreaterThan(0);
        expect(await hover.textContent()).toMatch(/Learned weights[\s\S]*\|E - 1\| on a log scale/);
        // compact: the picture and the link sit inside the hover's visible box (a hover clips what overflows)
        const box = (await hover.boundingBox())!;
        for (const part of [hover.locator('img').first(), hover.locator('a', { hasText: 'Show weights' }).first()]) {
            const b = (await part.boundingBox())!;
            expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height + 1);
        }
        await wb.screenshot('hover-weights');
        // the hover's link runs the extension's command (a trusted command link): it opens the results view
        await hover.locator('a', { hasText: 'Show weights' }).click();
        await wb.page.locator('.tab', { hasText: 'Results: Tiny' }).waitFor({ timeout: 30_000 });
    });

    it('hovers the references in "learn Tiny4 with TinyNet": the network shows its weights, the operation the learned E', async () => {
        await ensureTrained('Tiny');
        await wb.openInFirstGroup(SPEC);
        const learn = wb.viewLine('learn Tiny4 with TinyNet');
        const network = await hoverWord(learn, 'TinyNet', 'Learned weights');
        expect(await network.textContent()).toMatch(/Learned weights · Tiny[\s\S]*mask1\.W/);
        await wb.screenshot('hover-network-reference');
        const operation = await hoverWord(learn, 'Tiny4', '|E - 1|');
        expect(await operation.textContent()).toMatch(/Learned weights · Tiny/);
        await wb.screenshot('hover-operation-reference');
        await wb.page.mouse.move(0, 0);
    });

    it('shows cancellable progress while training and cancels from the notification', async () => {
        await wb.openInFirstGroup(SPEC);
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

    it('draws the loss curve live in the results view while training, and cancels from the view', async () => {
        const view = await openResults('Long');
        const train = view.locator('button', { hasText: /^Train( again)?$/ });
        await train.waitFor({ timeout: 30_000 });
        await train.click();
        const status = view.locator('p.status[role="status"]');
        const stepOf = async () => Number(/step (\d+)\/1000000/.exec((await status.textContent()) ?? '')?.[1] ?? -1);
        await expect.poll(stepOf, { timeout: 60_000 }).toBeGreaterThan(0);
        const first = await stepOf();
        // the curve grows: later steps arrive, and the line is drawn in the series colour
        await expect.poll(stepOf, { timeout: 60_000 }).toBeGreaterThan(first);
        const curve = view.locator('canvas[aria-label^="training loss"]').first();
        await expect.poll(() => seriesPixels(curve), { timeout: 30_000 }).toBeGreaterThan(20);
        await wb.screenshot('results-live-loss');
        await view.locator('button', { hasText: /^Cancel$/ }).click();
        await view.locator('button', { hasText: /^Train( again)?$/ }).waitFor({ timeout: 30_000 });
        await expect
            .poll(() => outputLog().match(/\[train\] Long \(tiny\.emn\): cancelled/g)?.length ?? 0, { timeout: 30_000 })
            .toBeGreaterThanOrEqual(1);
    });

    it('renders the results view: loss curve, |E - 1|, the row-cluster view and every weight tensor', async () => {
        await ensureTrained('Tiny');
        const results = await openResults('Tiny');
        await expect.poll(() => results.locator('#app h1').textContent(), { timeout: 30_000 }).toContain('Tiny');
        // loss curve + E + cluster W1[i] and E[i] + one heatmap per weight tensor
        await expect.poll(() => results.locator('#app canvas[role="img"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
        const table = await results.locator('#app table').first().textContent();
        expect(table).toMatch(/MSE/);
        expect(await seriesPixels(results.locator('#app canvas[role="img"]').first())).toBeGreaterThan(20);
        await wb.screenshot('results-view');
        // E as |E - 1| on the log scale, with its legend
        await expect.poll(() => results.locator('.legend', { hasText: '|E − 1|: 1e-8 (exact)' }).count()).toBeGreaterThan(0);
        // the row-cluster view: W1[i] beside row i of E; the slider picks the cluster
        const clusters = results.locator('section.row-clusters');
        await clusters.evaluate(e => e.scrollIntoView({ block: 'start' }));
        await expect
            .poll(() => clusters.locator('h3').allTextContents())
            .toEqual([expect.stringMatching(/^W1\[0\]/), expect.stringMatching(/^E\[0\]/)]);
        await clusters.locator('input[type="range"]').evaluate((s: HTMLInputElement) => {
            s.value = '2';
            s.dispatchEvent(new Event('input'));
        });
        await expect.poll(() => clusters.locator('h3').first().textContent()).toMatch(/^W1\[2\]: cluster 2's units × inputs \[2 × 4\]/);
        expect(await seriesPixels(clusters.locator('canvas[role="img"]').first())).toBeGreaterThan(20);
        await wb.screenshot('results-clusters');
        await results.locator('h2', { hasText: 'Every weight tensor' }).evaluate(e => e.scrollIntoView({ block: 'start' }));
        await wb.screenshot('results-heatmaps');
    });

    it('marks the open results view stale on an edit and fresh after undo and save, like the lens; lens actions stay visible', async () => {
        await ensureTrained('Tiny');
        const view = await openResults('Tiny');
        const badge = view.locator('header .badge.stale');
        await expect.poll(() => badge.count(), { timeout: 30_000 }).toBe(0);
        // an unsaved edit: 300 -> 301 steps
        await wb.goToLine(lineOf('steps 300'));
        // one typed replacement of the last digit: a single undo step
        await wb.page.keyboard.press('Shift+ArrowLeft');
        await wb.page.keyboard.type('1');
        await expect.poll(() => badge.count(), { timeout: 30_000 }).toBe(1);
        const editor = wb.editor();
        await editor
            .locator('.codelens-decoration a', { hasText: /^stale: spec changed/ })
            .first()
            .waitFor({ timeout: 30_000 });
        // the actions come first: with the view beside, "Show weights" is left of the minimap, not under it
        const showWeights = (await editor
            .locator('.codelens-decoration a', { hasText: /^Show weights$/ })
            .first()
            .boundingBox())!;
        const minimap = (await editor.locator('.minimap').first().boundingBox())!;
        expect(showWeights.x + showWeights.width).toBeLessThanOrEqual(minimap.x);
        await wb.screenshot('stale-view-and-lens');
        await wb.focusEditor();
        await wb.page.keyboard.press('Control+Z');
        await expect.poll(() => editor.locator('.view-line', { hasText: 'steps 301' }).count(), { timeout: 10_000 }).toBe(0);
        expect(await editor.locator('.view-line', { hasText: 'steps 300' }).count()).toBe(1);
        await wb.page.keyboard.press('Control+S');
        await expect.poll(() => badge.count(), { timeout: 30_000 }).toBe(0);
        await expect.poll(() => editor.locator('.codelens-decoration a', { hasText: /^stale:/ }).count(), { timeout: 30_000 }).toBe(0);
        await wb.screenshot('fresh-after-undo');
    });

    it('exports the weights as CSV through the save dialog', async () => {
        await ensureTrained('Tiny');
        const results = await openResults('Tiny');
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

    it('saves a chart as PNG through the save dialog', async () => {
        await ensureTrained('Tiny');
        const results = await openResults('Tiny');
        await results.locator('.chart-card', { hasText: 'training loss' }).first().locator('button', { hasText: 'Save PNG' }).click();
        const input = wb.page.locator('.quick-input-widget input');
        await expect.poll(() => input.inputValue(), { timeout: 30_000 }).toMatch(/Tiny-loss\.png$/);
        await wb.page.keyboard.press('Enter');
        const file = join(workspace, 'Tiny-loss.png');
        await waitUntil('the saved PNG', () => existsSync(file) && statSync(file).size > 1000, 30_000);
        // a PNG: its signature, and a picture as wide as the chart
        const png = readFileSync(file);
        expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
        expect(png.readUInt32BE(16)).toBeGreaterThan(200);
    });

    it('enforces the CSP in the results webview and logs no console errors from it', async () => {
        await ensureTrained('Tiny');
        const results = await openResults('Tiny');
        // an inline script must be refused by our CSP; the refusal also proves the console collector sees this frame
        const probe = 'window.emnInlineProbe = 1';
        const hash = createHash('sha256').update(probe).digest('base64');
        const nonce = await results.evaluate(() => document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '');
        expect(nonce).not.toBe('');
        await results.evaluate(text => {
            const s = document.createElement('script');
            s.textContent = text;
            document.body.append(s);
        }, probe);
        expect(await results.evaluate(() => (window as unknown as { emnInlineProbe?: number }).emnInlineProbe)).toBeUndefined();
        const isProbe = (e: { text: string }) => e.text.includes(hash);
        const violation = await waitUntil('the CSP violation of the probe', () => session!.consoleErrors.find(isProbe), 10_000);
        expect(violation.text).toContain(`'nonce-${nonce}'`);
        // errors of our webview: its script and resources (vscode-resource URLs), CSP refusals, or its own messages
        const fromWebview = session!.consoleErrors.filter(
            e =>
                !isProbe(e) &&
                (/vscode-resource|results-view/.test(e.url) || /Content Security Policy|results-view|\[results view\]/.test(e.text)),
        );
        expect(fromWebview).toEqual([]);
    });

    it('restores the results view after Reload Window, with no empty editor group', async () => {
        await ensureTrained('Tiny');
        await openResults('Tiny');
        await wb.runCommand('Developer: Reload Window');
        await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        // the serializer reopens the view of the same experiment, which fetches its results again
        const restored = await wb.webviewFrame('h1:has-text("Tiny")', 90_000);
        await expect.poll(() => restored.locator('#app table').count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await wb.page.locator('.tab', { hasText: 'Results: Tiny' }).waitFor({ timeout: 30_000 });
        // every editor group holds an editor: no empty half of the window
        const groups = wb.page.locator('.editor-group-container');
        const count = await groups.count();
        for (let i = 0; i < count; i++) expect(await groups.nth(i).locator('.tab').count()).toBeGreaterThan(0);
        await wb.screenshot('results-after-reload');
    });

    it('renders a sweep: error against size, one line per sparsity, the error against any parameter with the others fixed', async () => {
        await ensureTrained('Grid');
        const grid = await openResults('Grid');
        const sweep = grid.locator('section', { hasText: 'Sweep' });
        await expect.poll(() => sweep.locator('tbody tr').count(), { timeout: 30_000 }).toBe(4);
        const sweepCharts = sweep.locator('canvas[role="img"]');
        await expect.poll(() => sweepCharts.count()).toBeGreaterThanOrEqual(2);
        expect(await sweepCharts.first().getAttribute('aria-label')).toMatch(/MSE across the sweep/);
        // two sweep axes: also a grid of the error over size × sparsity
        await expect.poll(() => grid.locator('canvas[aria-label="test MSE over size × sparsity"]').count()).toBe(1);
        // the explorer: error against one parameter, the other fixed; switch the axis and the fixed value
        const explorer = grid.locator('.sweep-explorer');
        await explorer.evaluate(e => e.scrollIntoView({ block: 'center' }));
        await expect.poll(() => explorer.locator('canvas').first().getAttribute('aria-label')).toBe('test MSE against size (sparsity 0.2)');
        await explorer.locator('select[aria-label="error against"]').selectOption('sparsity');
        await explorer.locator('select[aria-label="fixed size"]').selectOption('4');
        await expect.poll(() => explorer.locator('canvas').first().getAttribute('aria-label')).toBe('test MSE against sparsity (size 4)');
        expect(await seriesPixels(explorer.locator('canvas').first())).toBeGreaterThan(20);
        await wb.screenshot('results-sweep-explorer');
        // selecting a point shows its own loss curve
        await sweep.locator('tbody tr').nth(3).click();
        await expect.poll(() => grid.locator('h2', { hasText: 'Loss curve' }).textContent()).toMatch(/size 4, sparsity 0.5/);
        await wb.screenshot('results-sweep');
    });

    it('compares runs: train, change lr, train again; "Compare with…" and the history open the compare view', async () => {
        const text = fixtureText(RUNS);
        await trainRun(RUNS, 'Rates', 1);
        if (!existsSync(historyRun(RUNS, 'Rates', 2))) {
            await wb.openInFirstGroup(RUNS);
            await wb.replaceLine(
                lineOf('optimizer sgd(lr 0.05', lineOf('experiment Rates', 0, text), text),
                'optimizer sgd(lr 0.02, momentum 0.9)',
            );
            await wb.page.keyboard.press('Control+S');
            await trainRun(RUNS, 'Rates', 2);
        }
        await trainRun(RUNS, 'Broad', 1);
        // the lens offers it on each trained experiment
        await expect
            .poll(() => wb.editor().locator('.codelens-decoration a', { hasText: 'Compare with…' }).count(), { timeout: 30_000 })
            .toBeGreaterThanOrEqual(2);
        // "Compare with…" on Rates: its earlier run and the other experiments; Broad's network has another shape
        await wb.goToLine(lineOf('experiment Rates', 0, text));
        await wb.runCommand('EMN: Compare With…');
        const broad = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Broad' });
        await broad.first().waitFor({ timeout: 30_000 });
        expect(await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Rates@1' }).count()).toBe(1);
        await wb.screenshot('compare-with-pick');
        await broad.first().click();
        const compare = await wb.webviewFrame('h1:has-text("Rates@2 compared with Broad@1")');
        await expect
            .poll(() => compare.locator('.weight-diff .notice').textContent(), { timeout: 30_000 })
            .toMatch(/^The networks differ in shape \(.*\): no weight difference\.$/);
        expect(await compare.locator('.weight-diff canvas').count()).toBe(0);
        // from the history: the older run's "Compare with latest"
        const results = await openRunsResults('Rates');
        const rows = results.locator('table.history tbody tr');
        await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
        expect(await rows.first().locator('td.changes').textContent()).toBe('lr 0.05 -> 0.02');
        expect(await rows.first().locator('.badge', { hasText: 'latest' }).count()).toBe(1);
        await wb.screenshot('results-history');
        // selecting the older run shows it (its own result, marked as not the latest)
        await rows.nth(1).locator('button', { hasText: 'Show' }).click();
        await results.locator('.notice', { hasText: 'Showing run #1 of the history' }).waitFor({ timeout: 30_000 });
        await expect.poll(() => rows.nth(1).getAttribute('class')).toBe('selected');
        await rows.nth(1).locator('button', { hasText: 'Compare with latest' }).click();
        const view = await wb.webviewFrame('h1:has-text("Rates@2 compared with Rates@1")');
        await expect.poll(() => view.locator('.settings-diff .changed').textContent(), { timeout: 30_000 }).toBe('lr 0.05 -> 0.02');
        expect(await view.locator('.settings-diff tbody tr').count()).toBe(1);
        const eDiff = view.locator('canvas[aria-label^="E (path weights) difference B − A"]');
        await eDiff.waitFor({ timeout: 30_000 });
        expect(await seriesPixels(eDiff)).toBeGreaterThan(20);
        expect(await view.locator('.weight-diff .legend').count()).toBeGreaterThan(1);
        expect(await view.locator('canvas[aria-label="training loss: A and B"]').count()).toBe(1);
        await wb.screenshot('compare-view');
    });

    it('restores the compare view after Reload Window, comparing the same runs again', async () => {
        const text = fixtureText(RUNS);
        await trainRun(RUNS, 'Rates', 1);
        await trainRun(RUNS, 'Broad', 1);
        await wb.openInFirstGroup(RUNS);
        await wb.goToLine(lineOf('experiment Rates', 0, text));
        await wb.runCommand('EMN: Compare With…');
        const broad = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Broad' });
        await broad.first().waitFor({ timeout: 30_000 });
        await broad.first().click();
        await wb.webviewFrame('h1:has-text("compared with Broad@1")');
        await wb.runCommand('Developer: Reload Window');
        await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        // the serializer reopens the view, which asks the server to compare the two runs again
        const restored = await wb.webviewFrame('h1:has-text("compared with Broad@1")', 90_000);
        await expect
            .poll(() => restored.locator('.weight-diff .notice').textContent(), { timeout: 30_000 })
            .toMatch(/^The networks differ in shape \(.*\): no weight difference\.$/);
        await wb.page
            .locator('.tab', { hasText: /^Compare: Rates@\d+ vs Broad@1/ })
            .first()
            .waitFor({ timeout: 30_000 });
        await wb.screenshot('compare-after-reload');
    });

    it("the compare view follows a side that is an experiment's latest result: a new run of it is compared again", async () => {
        await trainRun(RUNS, 'Rates', 1);
        await trainRun(RUNS, 'Broad', 1);
        await wb.openInFirstGroup(RUNS);
        await wb.goToLine(lineOf('experiment Broad', 0, fixtureText(RUNS)));
        await wb.runCommand('EMN: Compare With…');
        const rates = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Rates' });
        await rates.first().waitFor({ timeout: 30_000 });
        const run = existsSync(historyRun(RUNS, 'Broad', 2)) ? 2 : 1;
        await rates.first().click();
        await wb.webviewFrame(`h1:has-text("Broad@${run} compared with Rates@")`);
        // train Broad again: the view (Broad's latest against Rates) now compares the new run, without being asked
        await trainRun(RUNS, 'Broad', run + 1);
        const view = await wb.webviewFrame(`h1:has-text("Broad@${run + 1} compared with Rates@")`);
        expect(await view.locator('.settings-diff').count()).toBe(1);
    });

    it("shows a seeded experiment's loss as a median line over a min-max band, and the spread over seeds", async () => {
        await trainRun(RUNS, 'Seeds', 1);
        // the lens says the spread plainly (the median and how many seeds reached the target), not the sweep preview
        const seedsLens = wb
            .editor()
            .locator('.codelens-decoration a', { hasText: /^MSE \S+ \(median of 3; [0-3]\/3 < 1\.0e-3\)( · .+)?$/ });
        await seedsLens.first().waitFor({ state: 'attached', timeout: 60_000 });
        expect(
            await wb
                .editor()
                .locator('.codelens-decoration a', { hasText: /^Show seeds$/ })
                .count(),
        ).toBeGreaterThan(0);
        const results = await openRunsResults('Seeds');
        const band = results.locator('canvas[data-band-steps]');
        await band.waitFor({ timeout: 30_000 });
        expect(Number(await band.getAttribute('data-band-steps'))).toBeGreaterThan(1);
        expect(await band.getAttribute('aria-label')).toBe('training loss over 3 seeds: median and min–max band');
        await expect.poll(() => seriesPixels(band), { timeout: 30_000 }).toBeGreaterThan(20);
        const spread = results.locator('.seed-spread');
        expect(await spread.textContent()).toMatch(/spread over 3 seeds[\s\S]*[0-3]\/3 reached mse < (1e-3|0\.001)/);
        await band.evaluate(e => e.scrollIntoView({ block: 'center' }));
        await wb.screenshot('results-seeds');
        // a sweep with seeds: each point's median with its min-max band over the seeds
        await trainRun(RUNS, 'SizesSeeds', 1);
        const sweep = await openRunsResults('SizesSeeds');
        const bands = sweep.locator('canvas[aria-label="test MSE across the sweep: median and min–max over seeds"]');
        await bands.waitFor({ timeout: 30_000 });
        await bands.evaluate(e => e.scrollIntoView({ block: 'center' }));
        await expect.poll(() => seriesPixels(bands), { timeout: 30_000 }).toBeGreaterThan(20);
        expect(await sweep.locator('.seed-spread tbody tr').count()).toBe(2);
        await wb.screenshot('results-sweep-seeds');
    });

    it('offers a quick fix for a diverged run that lowers the lr', async () => {
        await wb.openInFirstGroup(DIVERGE);
        const editor = wb.editor();
        const train = editor.locator('.codelens-decoration a', { hasText: /^\s*▶?\s*Train\s*$/ });
        await train.first().waitFor({ timeout: 60_000 });
        await train.first().click();
        await expect.poll(() => editor.locator('.squiggly-warning').count(), { timeout: 120_000 }).toBeGreaterThan(0);
        // the caret inside the experiment's name, where the warning is
        await wb.goToLine(lineOf('experiment Boom', 0, fixtureText(DIVERGE)));
        for (let i = 0; i < 3; i++) await wb.page.keyboard.press('ArrowLeft');
        await wb.page.keyboard.press('Control+.');
        const fix = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Lower the learning rate to 5 (now 50)' });
        await fix.first().waitFor({ timeout: 30_000 });
        await wb.screenshot('quick-fix-lr');
        // the preferred fix is the focused row: Enter applies it
        await wb.page.keyboard.press('Enter');
        await expect
            .poll(() => editor.locator('.view-line', { hasText: 'optimizer sgd(lr 5, momentum 0.9)' }).count(), { timeout: 10_000 })
            .toBe(1);
        await wb.page.keyboard.press('Control+S');
        // the warning was about the old lr: it goes with the edit
        await expect.poll(() => editor.locator('.squiggly-warning').count(), { timeout: 30_000 }).toBe(0);
    });

    it('shows the compiled graph of the experiment at the cursor', async () => {
        await wb.openInFirstGroup(SPEC);
        await wb.goToLine(lineOf('experiment Tiny'));
        await wb.runCommand('EMN: Show Compiled Graph');
        // the markdown preview is another webview: its table lists the layers of the compiled plan
        const plan = await wb.webviewFrame('td:text-is("mask1")');
        await expect.poll(() => plan.locator('body').textContent(), { timeout: 30_000 }).toMatch(/Layers[\s\S]*mask1[\s\S]*output/);
        expect(await plan.locator('body').textContent()).toMatch(/parameters \(emn\):\s*\d+/);
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

describe('EMN Studio in an untrusted workspace', () => {
    let untrusted: { server: CodeServer; wb: Workbench; workspace: string; userDataDir: string } | undefined;

    beforeAll(async () => {
        // a second code-server with workspace trust on: the folder opens in restricted mode (never trusted here)
        const started = await startEditorServer({
            base: join(root, 'untrusted'),
            files: { [SPEC]: fixtureText(SPEC) },
            vsix: editor!.vsix,
            workspaceTrust: true,
            userSettings: {
                'security.workspace.trust.enabled': true,
                'security.workspace.trust.startupPrompt': 'never',
                'security.workspace.trust.banner': 'always',
            },
        });
        const page = await session!.page.context().newPage();
        await page.setViewportSize({ width: 1600, height: 1000 });
        untrusted = {
            server: started.server,
            wb: new Workbench(page, 'untrusted-'),
            workspace: started.workspace,
            userDataDir: started.userDataDir,
        };
        await untrusted.wb.open(started.server.url, started.workspace);
    });

    afterAll(async () => {
        await untrusted?.wb.page.close().catch(() => undefined);
        await untrusted?.server.stop();
    });

    it('keeps training disabled, and a click on "Train" says why', async () => {
        const u = untrusted!;
        await u.wb.quickOpen(SPEC);
        const editor = u.wb.editor();
        const train = editor.locator('.codelens-decoration a', { hasText: /^\s*▶?\s*Train\s*$/ });
        await train.first().waitFor({ timeout: 60_000 });
        await train.first().click();
        const toast = u.wb.page.locator('.notification-toast', { hasText: 'Training is disabled in untrusted workspaces' });
        await toast.waitFor({ timeout: 30_000 });
        await u.wb.screenshot('train-refused');
        expect(await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).count()).toBe(1);
        // nothing ran: no results folder, and the palette has no Train command here
        expect(existsSync(join(u.workspace, '.emn-results'))).toBe(false);
    });
});
