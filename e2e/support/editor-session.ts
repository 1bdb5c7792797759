// One real editor for a test suite: the packaged .vsix in a fresh code-server on a workspace of given files, Chromium on it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { launchBrowser, type BrowserSession } from './browser.js';
import { codeServerBinary, installExtension, startCodeServer, writeUserSettings, type CodeServer } from './code-server.js';
import { Workbench } from './workbench.js';

/** User settings every suite wants: no welcome page, tips, telemetry or updates; lenses and hints on; no sticky header. */
const BASE_USER_SETTINGS: Readonly<Record<string, unknown>> = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'editor.codeLens': true,
    'editor.inlayHints.enabled': 'on',
    // the sticky header would cover the first lines a test points at
    'editor.stickyScroll.enabled': false,
};

/**
 * The .vsix the tests install: what users install, packaged from this checkout
 * (EMN_E2E_VSIX: test a given .vsix instead, e.g. a release candidate).
 */
function packagedVsix(): string {
    const vsix = process.env.EMN_E2E_VSIX ?? join(process.cwd(), 'emn-studio.vsix');
    if (!process.env.EMN_E2E_VSIX) execFileSync('npm', ['run', 'package', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(vsix)) throw new Error(`no .vsix at ${vsix}`);
    return vsix;
}

export interface EditorServerOptions {
    /** A folder of its own: the workspace, user data and extensions go inside. */
    base: string;
    /** Workspace files by relative path, with their text. */
    files: Record<string, string>;
    /** .vscode/settings.json of the workspace, if any. */
    workspaceSettings?: Record<string, unknown>;
    /** Added to (or overriding) BASE_USER_SETTINGS. */
    userSettings?: Record<string, unknown>;
    /** Keep VS Code's workspace trust on (the folder opens in restricted mode). */
    workspaceTrust?: boolean;
    vsix: string;
}

export interface EditorServer {
    workspace: string;
    userDataDir: string;
    server: CodeServer;
    /** The "EMN Studio" output channel as VS Code writes it to disk (a LogOutputChannel has a file per session). */
    outputLog: () => string;
}

/** A code-server with the .vsix installed, on a workspace made of `files`. */
export async function startEditorServer(o: EditorServerOptions): Promise<EditorServer> {
    const workspace = join(o.base, 'workspace'),
        userDataDir = join(o.base, 'user-data'),
        extensionsDir = join(o.base, 'extensions');
    mkdirSync(workspace, { recursive: true });
    for (const [path, text] of Object.entries(o.files)) {
        mkdirSync(dirname(join(workspace, path)), { recursive: true });
        writeFileSync(join(workspace, path), text);
    }
    if (o.workspaceSettings) {
        mkdirSync(join(workspace, '.vscode'), { recursive: true });
        writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(o.workspaceSettings, null, 2));
    }
    writeUserSettings(userDataDir, { ...BASE_USER_SETTINGS, ...o.userSettings });
    const bin = codeServerBinary();
    installExtension(bin, extensionsDir, o.vsix);
    const server = await startCodeServer(bin, { userDataDir, extensionsDir, workspace, workspaceTrust: o.workspaceTrust });
    const outputLog = () => {
        const logs = join(userDataDir, 'logs');
        const files = existsSync(logs)
            ? readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('EMN Studio.log'))
            : [];
        return files.map(f => readFileSync(join(logs, f), 'utf8')).join('\n');
    };
    return { workspace, userDataDir, server, outputLog };
}

export interface EditorSession extends EditorServer {
    root: string;
    vsix: string;
    browser: BrowserSession;
    wb: Workbench;
    /** Stops the browser and code-server, lists the screenshots, removes the folder (kept with EMN_E2E_KEEP). */
    stop: () => Promise<void>;
}

/** A temp folder, the packaged .vsix in code-server on `files`, Chromium on the workbench. */
export async function startEditor(o: Omit<EditorServerOptions, 'base' | 'vsix'> & { prefix: string }): Promise<EditorSession> {
    const vsix = packagedVsix();
    const root = mkdtempSync(join(tmpdir(), o.prefix));
    let server: EditorServer | undefined;
    let browser: BrowserSession | undefined;
    let wb: Workbench | undefined;
    const stop = async () => {
        await browser?.stop();
        await server?.server.stop();
        if (wb) console.log(`screenshots:\n${wb.screenshots.map(s => `  ${s}`).join('\n')}`);
        if (!process.env.EMN_E2E_KEEP) rmSync(root, { recursive: true, force: true });
    };
    try {
        server = await startEditorServer({ ...o, base: root, vsix });
        browser = await launchBrowser(join(root, 'chromium'));
        wb = new Workbench(browser.page);
        await wb.open(server.server.url, server.workspace);
        return { ...server, root, vsix, browser, wb, stop };
    } catch (err) {
        await stop();
        throw err;
    }
}
