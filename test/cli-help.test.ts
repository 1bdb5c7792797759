// `emn --help`, `emn <command> --help`, `emn --version` and usage errors: the same behaviour in every command of the table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, trainCommand } from '../cli/commands.js';
import { useEmnCli } from './emn-cli.js';
import { ROOT } from './fresh-dist.js';

const { emn } = useEmnCli('emn-help-');

describe('emn help and usage errors', () => {
    it('--version prints the package version', () => {
        const r = emn('--version');
        expect(r.code).toBe(0);
        expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    });

    it('--help lists every command; no command at all is a usage error with the same text', () => {
        const help = emn('--help');
        expect(help.code).toBe(0);
        for (const c of COMMANDS) expect(help.stdout).toContain(c.name);
        const none = emn();
        expect(none.code).toBe(1);
        expect(none.stdout).toBe(help.stdout);
    });

    it.each(COMMANDS.map(c => [c.name, c] as const))('emn %s --help lists its options and exit codes (exit 0)', (name, command) => {
        const r = emn(...name.split(' '), '--help');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`usage: emn ${name}`);
        for (const option of [...Object.keys(command.options), 'help']) expect(r.stdout).toContain(`--${option}`);
        const codes = r.stdout.split('exit codes:')[1];
        for (const code of Object.keys(command.exitCodes)) expect(codes).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
        // -h is the same, and help wins over other errors on the line
        expect(emn(...name.split(' '), '--no-such-option', '-h').stdout).toBe(r.stdout);
    });

    it.each(COMMANDS.map(c => [c.name] as const))('emn %s with an unknown option is a usage error (exit 1)', name => {
        const r = emn(...name.split(' '), '--no-such-option');
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`emn ${name}: unknown option --no-such-option`);
        expect(r.stderr).toContain(`run 'emn ${name} --help'`);
    });

    it('words option errors alike: missing value, value for a flag, a value not among the choices, extra arguments', () => {
        expect(emn('train', 'x.emn', '--out').stderr).toMatch(/^emn train: --out needs a value \(DIR\)$/m);
        expect(emn('train', 'x.emn', '--out', '--json').stderr).toMatch(/^emn train: --out needs a value/m);
        expect(emn('train', 'x.emn', '--json=yes').stderr).toMatch(/^emn train: --json takes no value$/m);
        expect(emn('train', 'x.emn', '--backend=gpu').stderr).toMatch(
            /^emn train: --backend must be one of auto, tensorflow, wasm, cpu; got gpu$/m,
        );
        expect(emn('train', 'a.emn', 'b.emn').stderr).toMatch(/^emn train: unexpected argument b\.emn$/m);
        expect(emn('check').stderr).toMatch(/^emn check: missing <files\.\.\.>$/m);
        const noExperiment = emn('sweep', 'collect', 'x.emn');
        expect(noExperiment.code).toBe(1);
        expect(noExperiment.stderr).toMatch(/^emn sweep collect: --experiment NAME is required$/m);
        const unknown = emn('frobnicate');
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toMatch(
            /unknown command 'frobnicate'; commands: check, train, diff, report, sweep slurm, sweep collect, sweep status, sweep cancel, lsp/,
        );
    });

    it('train --help says what each metric label means, rel err among them, and that points count from 0', () => {
        const help = emn('train', '--help').stdout;
        expect(help).toContain('rel err: ||yhat - y|| / ||y||');
        expect(help).toContain('max |err|: ');
        expect(help).toMatch(/numbered from 0/);
    });

    it("train's --backend choices are the trainer's (the table lists them itself so that `emn check` never loads tfjs)", () => {
        expect(trainCommand.options.backend.choices).toEqual(['auto', 'tensorflow', 'wasm', 'cpu']);
    });
});
