// `npm run test:vscode`: runs e2e/vscode/suite.ts inside a desktop VS Code's extension host with @vscode/test-electron.
// Needs VS Code: downloaded (internet) or given by EMN_VSCODE_EXECUTABLE; otherwise it says why it skipped and exits 0.
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { errorMessage } from '../../engine/view.js';

const DOWNLOAD_TIMEOUT_MS = 120_000;

async function vscodeExecutable(): Promise<{ path?: string; reason?: string }> {
    const given = process.env.EMN_VSCODE_EXECUTABLE;
    if (given) return { path: given };
    try {
        // the update service is unreachable on machines without internet: don't wait for the OS's TCP timeout
        const path = await Promise.race([
            downloadAndUnzipVSCode({ version: '1.100.3', timeout: 30_000 }),
            new Promise<never>((_, reject) =>
                setTimeout(() => reject(new Error(`no answer in ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS).unref(),
            ),
        ]);
        return { path };
    } catch (err) {
        return { reason: errorMessage(err) };
    }
}

async function main(): Promise<number> {
    const repo = resolve(__dirname, '..', '..');
    const exe = await vscodeExecutable();
    if (!exe.path) {
        console.log(`test:vscode skipped: VS Code could not be downloaded: ${exe.reason}; set EMN_VSCODE_EXECUTABLE`);
        return 0;
    }
    const root = mkdtempSync(join(tmpdir(), 'emn-vscode-test-'));
    const workspace = join(root, 'workspace');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    cpSync(join(repo, 'e2e', 'fixtures', 'tiny.emn'), join(workspace, 'tiny.emn'));
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'emn.training.backend': 'cpu' }));
    try {
        return await runTests({
            vscodeExecutablePath: exe.path,
            extensionDevelopmentPath: repo,
            extensionTestsPath: join(__dirname, 'suite.cjs'),
            launchArgs: [
                workspace,
                '--disable-extensions',
                '--disable-workspace-trust',
                '--disable-gpu',
                '--user-data-dir',
                join(root, 'user-data'),
            ],
        });
    } catch (err) {
        console.error(`test:vscode failed: ${errorMessage(err)}`);
        return 1;
    } finally {
        rmSync(root, { recursive: true, force: true });
    }
}

void main().then(code => {
    process.exitCode = code;
});
