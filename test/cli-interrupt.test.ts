// Ctrl-C on `emn train`: a cancelled run exits 2 and is saved, however many copies of the signal arrive (npx forwards one).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmnCli } from './emn-cli.js';
import { ROOT } from './fresh-dist.js';

const cli = useEmnCli('emn-sigint-', 120_000);

interface Finished {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

/** Starts `command`, sends `interrupt(child)` once stderr shows that training began, and waits for the exit. */
function interruptWhenTraining(
    command: string,
    args: string[],
    cwd: string,
    interrupt: (pid: number) => void,
    env: NodeJS.ProcessEnv = process.env,
): Promise<Finished> {
    return new Promise((resolve, reject) => {
        // its own process group, as a terminal's foreground job: the group can be signalled as a whole
        const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '',
            stderr = '',
            sent = false;
        child.stdout.on('data', d => {
            stdout += d;
        });
        child.stderr.on('data', d => {
            stderr += d;
            if (!sent && stderr.includes('emn train: training ')) {
                sent = true;
                interrupt(child.pid!);
            }
        });
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
}

function sweepSpec(name: string): string {
    const folder = join(cli.dir, name);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${name}.emn`);
    writeFileSync(
        file,
        `operation Small { matvec size 4 sparsity 0.5 }
network Net { width 3 depth 2 }
experiment Long { learn Small with Net steps 1000000 batch 8 sweep size [3, 4, 5] }
`,
    );
    return file;
}

describe('emn train and Ctrl-C', () => {
    it('the same SIGINT delivered twice (npx forwards its copy) cancels, saves, lists the points not run and exits 2', async () => {
        const file = sweepSpec('twice');
        const r = await interruptWhenTraining(
            process.execPath,
            [join(ROOT, 'bin/emn.cjs'), 'train', file, '--backend', 'cpu', '--workers', '1'],
            cli.dir,
            pid => {
                process.kill(pid, 'SIGINT');
                process.kill(pid, 'SIGINT');
            },
        );
        expect(r.signal).toBeNull();
        expect(r.code).toBe(2);
        expect(r.stdout).toMatch(/^Long: .*, 3 points: 1 cancelled, 2 not run$/m);
        expect(r.stdout.split('\n').filter(l => /^\s+-\s+[45]\s+-\s+not run(\s+-)+$/.test(l))).toHaveLength(2);
        expect(r.stdout).toMatch(/training cancelled in point 0 of 3 \(size 3\) at step \d+; 2 of 3 points not run/);
        expect(existsSync(join(cli.dir, 'twice', '.emn-results', 'twice.emn', 'Long.last-failure.json'))).toBe(true);
        // a cancelled run is not kept in the history (docs/cli.md: Compare runs, seeds), as in the editor
        expect(r.stdout).not.toContain('kept in the history');
        expect(existsSync(join(cli.dir, 'twice', '.emn-results', 'twice.emn', 'Long.history'))).toBe(false);
    });

    /*
     * npx runs the bin through npm's script shell. bash execs a lone command, so node is npx's child and gets the
     * terminal's SIGINT plus npx's forwarded copy. Debian's dash instead waits and then kills itself with SIGINT
     * whatever node's exit code, and npx re-raises that: there npx reports 130 and nothing in node can change it
     * (docs/cli.md).
     */
    it('through npx (bash as script shell), Ctrl-C on the terminal (SIGINT to the whole group) exits 2', async () => {
        const file = sweepSpec('npx');
        const r = await interruptWhenTraining(
            'npx',
            ['--offline', 'emn', 'train', file, '--backend', 'cpu'],
            ROOT,
            pid => process.kill(-pid, 'SIGINT'),
            { ...process.env, npm_config_script_shell: 'bash' },
        );
        expect(r.code).toBe(2);
        expect(r.stdout).toMatch(/training cancelled in point 0 of 3/);
    });
});
