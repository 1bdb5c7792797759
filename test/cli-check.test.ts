// `emn check` end to end (the bundled CLI run as a child process): file:line:col lines, exit codes, missing files, sibling files.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEmn, useEmnCli } from './emn-cli.js';
import { ROOT } from './fresh-dist.js';

const emn = (args: string[], cwd = ROOT) => runEmn(args, cwd);

describe('emn check', () => {
    const cli = useEmnCli('emn-check-');

    /** A folder of its own (inside the temp folder) holding these files. */
    function workspace(files: Record<string, string>): string {
        const dir = mkdtempSync(join(cli.dir, 'ws-'));
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
        return dir;
    }

    test("the README's spec-language example passes without a diagnostic", () => {
        const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
        const section = readme.slice(readme.indexOf('## The spec language by example'));
        const spec = section.split('```')[1];
        expect(spec).toContain('experiment Paper');
        const r = emn(['check', join(workspace({ 'readme.emn': spec }), 'readme.emn')]);
        expect(r.stdout).toBe('');
        expect(r.code).toBe(0);
    });

    test('every example passes; the only warning is the deliberate one in power2.emn', () => {
        const examples = readdirSync(join(ROOT, 'examples')).filter(f => f.endsWith('.emn')).map(f => `examples/${f}`);
        expect(examples.length).toBeGreaterThanOrEqual(6);
        const r = emn(['check', ...examples]);
        expect(r.stderr).toBe('');
        expect(r.stdout.trim().split('\n')).toEqual([
            'examples/power2.emn:24:25: warning: power 2 (Square10) cannot be represented exactly with masking 1: expect an error floor; use masking 2',
        ]);
        expect(r.code).toBe(0);
    });

    test('the paper example alone prints nothing', () => {
        const r = emn(['check', 'examples/paper.emn']);
        expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    });

    test('errors: one line each as file:line:col: error: message, sorted by position, exit 1', () => {
        const dir = workspace({
            'bad.emn': 'operation Op {\n    size 0\n    sparsity 1.5\n}\nnetwork Net { width 4 }\nexperiment E {\n    learn Op with Nett\n}\n',
        });
        const r = emn(['check', 'bad.emn'], dir);
        expect(r.stdout.trim().split('\n')).toEqual([
            'bad.emn:2:10: error: size must be a positive integer; got 0',
            'bad.emn:3:14: error: sparsity must be in [0, 1); got 1.5',
            "bad.emn:7:19: error: Could not resolve reference to Network named 'Nett'.",
        ]);
        expect(r.code).toBe(1);
    });

    test('warnings alone exit 0', () => {
        const dir = workspace({ 'warn.emn': 'operation Sq { power 3 }\nnetwork One {}\nexperiment E { learn Sq with One }\n' });
        const r = emn(['check', 'warn.emn'], dir);
        expect(r.stdout).toBe('warn.emn:3:30: warning: power 3 (Sq) cannot be represented exactly with masking 1: expect an error floor; use masking 3\n');
        expect(r.code).toBe(0);
    });

    test('a missing file is an error naming it, and the other files are still checked', () => {
        const dir = workspace({ 'ok.emn': 'network Fine {}\n', 'bad.emn': 'network Bad { depth 0 }\n' });
        const r = emn(['check', 'nope.emn', 'bad.emn'], dir);
        expect(r.stdout.trim().split('\n')).toEqual([
            'nope.emn:1:1: error: cannot read file: no such file',
            'bad.emn:1:21: error: depth must be a positive integer; got 0',
        ]);
        expect(r.code).toBe(1);
    });

    test('a file of another extension is an error naming it (the language knows .emn only)', () => {
        const dir = workspace({ 'spec.txt': 'network Fine {}\n', 'bad.emn': 'network Bad { depth 0 }\n' });
        const r = emn(['check', 'spec.txt', 'bad.emn'], dir);
        expect(r.stdout.trim().split('\n')).toEqual([
            'spec.txt:1:1: error: cannot read file: not an .emn file',
            'bad.emn:1:21: error: depth must be a positive integer; got 0',
        ]);
        expect(r.code).toBe(1);
    });

    test('no files: usage on stderr, exit 1', () => {
        const r = emn(['check']);
        expect(r.stderr).toMatch(/usage: emn check <files\.\.\.>/);
        expect(r.code).toBe(1);
    });

    test('references resolve to sibling files; a name declared in two files is an error', () => {
        const dir = workspace({
            'decls.emn': 'operation Shared { size 5 }\nnetwork SharedNet {}\n',
            'uses.emn': 'experiment UsesShared { learn Shared with SharedNet }\n',
        });
        expect(emn(['check', 'uses.emn'], dir)).toMatchObject({ code: 0, stdout: '' });
        writeFileSync(join(dir, 'again.emn'), 'network Shared {}\n');
        const r = emn(['check', 'again.emn'], dir);
        expect(r.stdout).toBe('again.emn:1:9: error: Shared is also declared in decls.emn:1 (all .emn files of a workspace share one namespace); rename one\n');
        expect(r.code).toBe(1);
    });
});
