// Launches Debian's Chromium ourselves (own process group, known pid) and drives it with playwright-core over CDP.
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { waitUntil } from '../../test/wait-until.js';
import { startDetached, stopGroup, type Started } from './processes.js';

export interface BrowserSession {
    browser: Browser;
    page: Page;
    process: Started;
    /** Console errors of every frame (workbench and webviews), with the URL that logged them. */
    consoleErrors: { text: string; url: string }[];
    stop(): Promise<void>;
}

function chromiumPath(): string {
    return process.env.EMN_CHROMIUM ?? execFileSync('bash', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

export async function launchBrowser(userDataDir: string): Promise<BrowserSession> {
    const proc = startDetached(chromiumPath(), [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--no-default-browser-check',
        '--disable-dev-shm-usage',
        '--window-size=1600,1000',
        `--user-data-dir=${userDataDir}`,
        '--remote-debugging-port=0',
        'about:blank',
    ]);
    // Chromium prints the CDP endpoint once it listens
    const ws = await waitUntil(
        'Chromium to print its DevTools endpoint',
        () => {
            if (proc.child.exitCode !== null) throw new Error(`chromium exited ${proc.child.exitCode}:\n${proc.output()}`);
            return /DevTools listening on (ws:\/\/\S+)/.exec(proc.output())?.[1];
        },
        30_000,
        100,
    );
    const browser = await chromium.connectOverCDP(ws);
    const context = browser.contexts()[0] ?? (await browser.newContext());
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 1600, height: 1000 });
    const consoleErrors: BrowserSession['consoleErrors'] = [];
    const onConsole = (msg: ConsoleMessage) => {
        if (msg.type() === 'error') consoleErrors.push({ text: msg.text(), url: msg.location().url });
    };
    page.on('console', onConsole);
    page.on('pageerror', err => consoleErrors.push({ text: `uncaught: ${err.message}`, url: page.url() }));
    return {
        browser,
        page,
        process: proc,
        consoleErrors,
        stop: async () => {
            await browser.close().catch(() => undefined);
            await stopGroup(proc);
        },
    };
}
