// Installs the packaged .vsix into a real code-server and serves a workspace on a free local port.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../test/wait-until.js';
import { freePort, startDetached, stopGroup, type Started } from './processes.js';

/** The code-server binary that scripts/setup-real-editor.sh installs (it prints the path; installs once). */
export function codeServerBinary(): string {
    const fromEnv = process.env.EMN_CODE_SERVER;
    if (fromEnv && existsSync(fromEnv)) return fromEnv;
    const out = execFileSync('bash', ['scripts/setup-real-editor.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const bin = out.trim().split('\n').pop() ?? '';
    if (!existsSync(bin)) throw new Error(`setup-real-editor.sh printed no code-server binary (got "${bin}")`);
    return bin;
}

export interface CodeServer {
    url: string;
    port: number;
    process: Started;
    stop(): Promise<void>;
}

export function installExtension(bin: string, extensionsDir: string, vsix: string): string {
    const r = spawnSync(bin, ['--extensions-dir', extensionsDir, '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
    const text = `${r.stdout}\n${r.stderr}`;
    if (r.status !== 0 || !/successfully installed/i.test(text)) throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${text}`);
    return text;
}

/** User settings that keep first-run UI (welcome page, tips, trust prompt) out of the way of the test. */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
    const dir = join(userDataDir, 'User');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** `workspaceTrust`: keep VS Code's workspace trust on (a folder opens in restricted mode until trusted); off by default. */
export async function startCodeServer(
    bin: string,
    opts: { userDataDir: string; extensionsDir: string; workspace: string; workspaceTrust?: boolean },
): Promise<CodeServer> {
    const port = await freePort();
    const proc = startDetached(
        bin,
        [
            '--auth',
            'none',
            '--bind-addr',
            `127.0.0.1:${port}`,
            '--disable-telemetry',
            '--disable-update-check',
            ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
            '--user-data-dir',
            opts.userDataDir,
            '--extensions-dir',
            opts.extensionsDir,
            opts.workspace,
        ],
        { env: { ...process.env, PASSWORD: undefined } },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(
        'code-server to answer /healthz',
        async () => {
            if (proc.child.exitCode !== null) throw new Error(`code-server exited ${proc.child.exitCode}:\n${proc.output()}`);
            const res = await fetch(`${url}/healthz`).catch(() => undefined);
            return res?.ok ? true : undefined;
        },
        60_000,
        250,
    );
    return { url, port, process: proc, stop: () => stopGroup(proc) };
}
