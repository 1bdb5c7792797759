// Drives the VS Code workbench in the page like a user: Quick Open, command palette, go to line, screenshots.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { waitUntil } from '../../test/wait-until.js';

const SCREENSHOT_DIR = join(process.cwd(), 'e2e', 'screenshots');

export class Workbench {
    readonly screenshots: string[] = [];

    /** `prefix` keeps the screenshots of a second workbench (another server) apart from the first one's. */
    constructor(
        readonly page: Page,
        private readonly prefix = '',
    ) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
    }

    async open(url: string, folder: string): Promise<void> {
        await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
        await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        // the status bar is drawn once the workbench has restored its parts
        await this.page.locator('.statusbar').waitFor({ timeout: 60_000 });
    }

    async screenshot(name: string): Promise<void> {
        const file = join(SCREENSHOT_DIR, `${this.prefix}${String(this.screenshots.length + 1).padStart(2, '0')}-${name}.png`);
        // CDP's capture directly: page.screenshot() waits for web fonts in every frame and stalls ~30 s on webviews
        const cdp = await this.page.context().newCDPSession(this.page);
        const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
        await cdp.detach();
        writeFileSync(file, Buffer.from(data, 'base64'));
        this.screenshots.push(file);
    }

    /** Opens a file in the first editor group (views open beside it), however the groups stand. */
    async openInFirstGroup(fileName: string): Promise<void> {
        await this.page.keyboard.press('Control+1');
        // an open file: its tab (Quick Open's list re-sorts while it searches, and a click can land on another row)
        const tab = this.page
            .locator('.editor-group-container')
            .first()
            .locator('.tab')
            .filter({ has: this.page.locator('.label-name', { hasText: exactly(fileName) }) });
        if ((await tab.count()) > 0) {
            await tab.first().click();
            await this.page.locator('.tab.active', { hasText: fileName }).first().waitFor();
            await this.editor().locator('.view-lines').waitFor();
            return;
        }
        await this.quickOpen(fileName);
    }

    /** Ctrl+P, type the name, Enter; resolves when the editor tab of that file is active. */
    async quickOpen(fileName: string): Promise<void> {
        await this.page.keyboard.press('Control+P');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(fileName);
        // click the file's own row: Enter takes the top row, which may still be a recently opened other file
        // ... and the row of that very file: `.emn-results/tiny.emn/Tiny.json` also contains "tiny.emn" in its path
        const row = this.page
            .locator('.quick-input-list .monaco-list-row')
            .filter({ has: this.page.locator('.label-name', { hasText: exactly(fileName) }) })
            .first();
        await row.waitFor();
        // the list re-sorts while file search results arrive: click once two reads of its rows agree
        const rows = () =>
            this.page
                .locator('.quick-input-list .monaco-list-row')
                .allTextContents()
                .then(t => t.join('|'));
        let last = '';
        await waitUntil(
            'the Quick Open list to settle',
            async () => {
                const now = await rows();
                const settled = now === last;
                last = now;
                return settled;
            },
            10_000,
            300,
        );
        await row.click();
        await this.page.locator('.tab.active', { hasText: fileName }).waitFor();
        await this.editor().locator('.view-lines').waitFor();
    }

    /** F1, type the command's title, run the matching entry. */
    async runCommand(title: string): Promise<void> {
        await this.page.keyboard.press('F1');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(`>${title}`);
        const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        await row.waitFor();
        await row.click();
    }

    /** Ctrl+G to a 1-based line, caret at its end. */
    async goToLine(line: number): Promise<void> {
        await this.focusEditor();
        await this.page.keyboard.press('Control+G');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(`:${line}`);
        await this.page.keyboard.press('Enter');
        await input.waitFor({ state: 'hidden' });
        await this.page.keyboard.press('End');
    }

    /** Replaces the text of a line after its indentation (End, Shift+Home selects up to the first non-blank). */
    async replaceLine(line: number, text: string): Promise<void> {
        await this.goToLine(line);
        await this.page.keyboard.press('Shift+Home');
        await this.page.keyboard.type(text);
    }

    editor() {
        return this.page.locator('.editor-group-container.active .monaco-editor').first();
    }

    /** Focuses the first editor group (the spec; views open beside it), by keyboard: a click could land on a widget. */
    async focusEditor(): Promise<void> {
        await this.page.keyboard.press('Control+1');
        await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: 10_000 });
    }

    /** The rendered line whose text starts (after indentation) with `prefix`. */
    viewLine(prefix: string) {
        return this.editor().locator('.view-line', { hasText: prefix }).first();
    }

    /** Frames of webviews whose document contains `selector` (webviews are nested iframes). */
    async webviewFrame(selector: string, timeoutMs = 60_000): Promise<Frame> {
        return waitUntil(
            `a webview frame with ${selector}`,
            async () => {
                for (const frame of this.page.frames()) {
                    if (frame === this.page.mainFrame()) continue;
                    // a frame that is still navigating can hold a query; give each a second at most
                    const count = await Promise.race([
                        frame
                            .locator(selector)
                            .count()
                            .catch(() => 0),
                        new Promise<number>(resolve => setTimeout(() => resolve(0), 1000)),
                    ]);
                    if (count) return frame;
                }
                return undefined;
            },
            timeoutMs,
            250,
        );
    }
}

/** A regular expression that matches exactly this text (a file name, with its dots). */
function exactly(text: string): RegExp {
    return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
