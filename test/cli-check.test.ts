// `emn check` end to end (the bundled CLI run as a child process): file:line:col lines, exit codes, missing files, imports.
import { describe, expect, test } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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

    test.each([
        ['README.md', '## A short tour'],
        ['docs/language.md', '## The spec language by example'],
    ])('the spec example in %s passes without a diagnostic', (file, heading) => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        expect(text).toContain(heading);
        const spec = text.slice(text.indexOf(heading)).split('```')[1];
        expect(spec).toContain('experiment Paper');
        const r = emn(['check', join(workspace({ 'example.emn': spec }), 'example.emn')]);
        expect(r.stdout).toBe('');
        expect(r.code).toBe(0);
    });

    test('every example passes without a warning (the litmus sweeps power, so masking below power is its purpose)', () => {
        const examples = readdirSync(join(ROOT, 'examples'))
            .filter(f => f.endsWith('.emn'))
            .map(f => `examples/${f}`);
        expect(examples.length).toBeGreaterThanOrEqual(6);
        const r = emn(['check', ...examples]);
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe('');
        expect(r.code).toBe(0);
    });

    test('the paper example alone prints nothing', () => {
        const r = emn(['check', 'examples/paper.emn']);
        expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    });

    test('errors: one line each as file:line:col: error: message, sorted by position, exit 1', () => {
        const dir = workspace({
            'bad.emn':
                'operation Op {\n    size 0\n    sparsity 1.5\n}\nnetwork Net { width 4 }\nexperiment E {\n    learn Op with Nett\n}\n',
        });
        const r = emn(['check', 'bad.emn'], dir);
        expect(r.stdout.trim().split('\n')).toEqual([
            'bad.emn:2:10: error: size must be a positive integer; got 0',
            'bad.emn:3:14: error: sparsity must be in [0, 1); got 1.5',
            'bad.emn:7:19: error: no network named Nett in this file or its imports; did you mean `Net`?',
        ]);
        expect(r.code).toBe(1);
    });

    test('warnings alone exit 0', () => {
        const dir = workspace({ 'warn.emn': 'operation Sq { power 3 }\nnetwork One {}\nexperiment E { learn Sq with One }\n' });
        const r = emn(['check', 'warn.emn'], dir);
        expect(r.stdout).toBe(
            'warn.emn:3:30: warning: power 3 (Sq) cannot be represented exactly with masking 1: expect an error floor; use masking 3\n',
        );
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

    test('a copied spec is fine beside its original, and `check a b` says what `check a` and `check b` say', () => {
        const dir = workspace({});
        const examples = readdirSync(join(ROOT, 'examples')).filter(f => f.endsWith('.emn'));
        for (const name of examples) {
            const text = readFileSync(join(ROOT, 'examples', name), 'utf8');
            writeFileSync(join(dir, name), text);
            writeFileSync(join(dir, name.replace('.emn', '-copy.emn')), text);
        }
        // the graphs examples read (matrix "graphs/karate.mtx") come with them
        cpSync(join(ROOT, 'examples', 'graphs'), join(dir, 'graphs'), { recursive: true });
        const files = readdirSync(dir)
            .filter(f => f.endsWith('.emn'))
            .sort();
        const together = emn(['check', ...files], dir);
        expect(together.stdout).not.toMatch(/: error:/);
        expect(together.code).toBe(0);
        // one process per file is slow: compare on the example that imports another and its copy
        const some = ['meta-epochs-copy.emn', 'meta-epochs.emn', 'power2-copy.emn', 'power2.emn'];
        expect(emn(['check', ...some], dir).stdout).toBe(some.map(f => emn(['check', f], dir).stdout).join(''));
        // two copies in different folders, same file name: no clash, and each line names its file by the path given
        mkdirSync(join(dir, 'a'));
        mkdirSync(join(dir, 'b'));
        writeFileSync(join(dir, 'a', 'spec.emn'), 'network N {}\noperation Op {}\nexperiment E { learn Op with N steps 0 }\n');
        writeFileSync(join(dir, 'b', 'spec.emn'), 'network N {}\noperation Op {}\nexperiment E { learn Op with N steps 0 }\n');
        expect(
            emn(['check', 'a/spec.emn', 'b/spec.emn'], dir)
                .stdout.split('\n')
                .map(l => l.split(':')[0]),
        ).toEqual(['a/spec.emn', 'b/spec.emn', '']);
    });

    test('imports: resolved from the importing file, loaded though not listed; missing, outside, linked-outside and cyclic imports are errors at the string', () => {
        const dir = workspace({});
        mkdirSync(join(dir, 'shared'));
        writeFileSync(join(dir, 'shared', 'ops.emn'), 'operation Shared { size 5 }\nnetwork SharedNet {}\n');
        writeFileSync(join(dir, 'uses.emn'), 'import "shared/ops.emn"\nexperiment UsesShared { learn Shared with SharedNet }\n');
        expect(emn(['check', 'uses.emn'], dir)).toMatchObject({ code: 0, stdout: '' });
        const outside = mkdtempSync(join(cli.dir, 'outside-'));
        writeFileSync(join(outside, 'o.emn'), 'operation O {}\n');
        symlinkSync(join(outside, 'o.emn'), join(dir, 'link.emn'));
        writeFileSync(
            join(dir, 'bad.emn'),
            [
                'import "link.emn"',
                `import "../${basename(outside)}/o.emn"`,
                'import "nope.emn"',
                'import "/etc/ops.emn"',
                'import "cycle.emn"',
                'operation Op {}',
            ].join('\n') + '\n',
        );
        writeFileSync(join(dir, 'cycle.emn'), 'import "bad.emn"\n');
        const r = emn(['check', 'bad.emn'], dir);
        expect(r.stdout.trim().split('\n')).toEqual([
            'bad.emn:1:8: error: import "link.emn" is a link to a file outside the workspace folder; an import resolves only inside it',
            `bad.emn:2:8: error: import "../${basename(outside)}/o.emn" leaves the workspace folder; an import resolves only inside it`,
            'bad.emn:3:8: error: import "nope.emn": no such file (looked for nope.emn)',
            'bad.emn:4:8: error: import "/etc/ops.emn": an import is a path relative to this file (e.g. "ops.emn" or "shared/ops.emn"), not an absolute path',
            'bad.emn:5:8: error: import cycle: bad.emn imports cycle.emn imports bad.emn; an imported file cannot import this one back',
            // the imported file's side of the cycle, at its own import (as the editor shows it there)
            'cycle.emn:1:8: error: import cycle: cycle.emn imports bad.emn imports cycle.emn; an imported file cannot import this one back',
        ]);
        expect(r.code).toBe(1);
    });

    test("errors inside an imported file are reported at that file's file:line:col, once however many checked files import it", () => {
        const dir = workspace({
            'a.emn': 'import "shared/ops.emn"\nexperiment A {\n    learn Op with Net\n    steps 0\n}\n',
            'b.emn': 'import "shared/ops.emn"\nexperiment B { learn Op with Net }\n',
            'clean.emn': 'network Alone {}\n',
        });
        mkdirSync(join(dir, 'shared'));
        writeFileSync(join(dir, 'shared', 'ops.emn'), 'import "base.emn"\noperation Op {\n    size 0\n}\nnetwork Net {}\n');
        // imported by ops.emn only: loaded (and so checked) through it, though its names are not in a.emn's scope
        writeFileSync(join(dir, 'shared', 'base.emn'), 'network Deep {\n    depth 0\n}\n');
        const opsError = 'shared/ops.emn:3:10: error: size must be a positive integer; got 0';
        const baseError = 'shared/base.emn:2:11: error: depth must be a positive integer; got 0';
        const alone = emn(['check', 'a.emn'], dir);
        expect(alone.stdout.trim().split('\n')).toEqual([
            'a.emn:4:11: error: steps must be a positive integer; got 0',
            opsError,
            baseError,
        ]);
        expect(alone.code).toBe(1);
        // the given files first (b.emn has no error of its own), then each imported file once
        const both = emn(['check', 'b.emn', 'a.emn'], dir);
        expect(both.stdout.trim().split('\n')).toEqual(alone.stdout.trim().split('\n'));
        expect(both.code).toBe(1);
        // a file given on the command line is reported by the path given, not again as an import
        expect(emn(['check', 'b.emn', 'shared/ops.emn'], dir).stdout.trim().split('\n')).toEqual([opsError, baseError]);
        expect(emn(['check', 'clean.emn'], dir)).toMatchObject({ code: 0, stdout: '' });
        // train checks the same: it stops at the imported error, said where it is
        const train = emn(['train', 'b.emn', '--backend', 'cpu'], dir);
        expect(train.stderr).toContain(opsError);
        expect(train.code).toBe(1);
    });

    test('a name two imports declare is an error at the reference naming both files; a local declaration wins', () => {
        const dir = workspace({
            'x1.emn': 'operation Op {}\n',
            'x2.emn': '\noperation Op {}\n',
            'amb.emn': 'import "x1.emn"\nimport "x2.emn"\nnetwork N {}\nexperiment E { learn Op with N }\n',
            'local.emn': 'import "x1.emn"\nimport "x2.emn"\noperation Op {}\nnetwork N {}\nexperiment E { learn Op with N }\n',
        });
        expect(emn(['check', 'amb.emn'], dir).stdout).toBe(
            'amb.emn:4:22: error: Op is ambiguous: it is declared in x1.emn:1 and x2.emn:2, both imported; rename one, or declare Op in this file (a local declaration wins)\n',
        );
        expect(emn(['check', 'local.emn'], dir)).toMatchObject({ code: 0, stdout: '' });
    });
});
