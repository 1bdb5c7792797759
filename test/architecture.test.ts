// The layout's rules, checked on the tracked sources: the engine is reached only through its two doors, imports nothing
// from Langium, VS Code or the language server, and the code cites only files inside the repository.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(__dirname, '..');
const tracked = (...patterns: string[]) =>
    execFileSync('git', ['ls-files', ...patterns], { cwd: ROOT, encoding: 'utf8' })
        .split('\n')
        .filter(f => f.length > 0);

/** Every import / export-from / dynamic import specifier of a TypeScript file. */
function importsOf(file: string): string[] {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return [...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
        m => m[1] ?? m[2],
    );
}

/** A relative specifier as a repository path (`engine/index.js`), or undefined for a package. */
function target(file: string, spec: string): string | undefined {
    return spec.startsWith('.') ? normalize(relative(ROOT, join(ROOT, dirname(file), spec))) : undefined;
}

const sources = tracked('*.ts').filter(f => !f.endsWith('.as.ts') && !f.startsWith('language-server/generated/'));

describe('the engine and its doors', () => {
    test('outside engine/, test/ and bench/ the engine is imported only through engine/index.ts or engine/view.ts', () => {
        const outside = sources.filter(f => !/^(engine|test|bench)\//.test(f));
        const offenders = outside.flatMap(f =>
            importsOf(f)
                .map(s => target(f, s))
                .filter((t): t is string => t !== undefined)
                .filter(t => t.startsWith('engine/') && t !== 'engine/index.js' && t !== 'engine/view.js')
                .map(t => `${f} -> ${t}`),
        );
        expect(offenders).toEqual([]);
    });

    test('the extension and its webviews take only the browser-safe door', () => {
        const offenders = sources
            .filter(f => f.startsWith('extension/'))
            .flatMap(f =>
                importsOf(f)
                    .map(s => target(f, s))
                    .filter(t => t?.startsWith('engine/') && t !== 'engine/view.js')
                    .map(t => `${f} -> ${t}`),
            );
        expect(offenders).toEqual([]);
    });

    test('engine/ imports nothing from Langium, VS Code, the language server protocol or language-server/', () => {
        const offenders = sources
            .filter(f => f.startsWith('engine/'))
            .flatMap(f =>
                importsOf(f)
                    .filter(
                        s =>
                            /^(langium|vscode$|vscode-languageserver|vscode-languageclient|vscode-jsonrpc)/.test(s) ||
                            target(f, s)?.startsWith('language-server/'),
                    )
                    .map(s => `${f} -> ${s}`),
            );
        expect(offenders).toEqual([]);
    });

    test('the browser-safe door reaches no node: module', () => {
        const seen = new Set<string>();
        const nodeImports: string[] = [];
        const visit = (file: string) => {
            if (seen.has(file)) return;
            seen.add(file);
            for (const s of importsOf(file)) {
                if (s.startsWith('node:')) nodeImports.push(`${file} -> ${s}`);
                const t = target(file, s);
                if (t) visit(t.replace(/\.js$/, '.ts'));
            }
        };
        visit('engine/view.ts');
        expect(nodeImports).toEqual([]);
        expect(seen.size).toBeGreaterThan(5);
    });
});

test('comments and docs cite only files inside the repository', () => {
    const texts = tracked('*.ts', '*.mjs', '*.cjs', '*.sh').filter(f => !f.startsWith('language-server/generated/'));
    const missing = texts.flatMap(f =>
        [...readFileSync(join(ROOT, f), 'utf8').matchAll(/\b((?:docs|bench)\/[\w./-]+\.md)\b/g)]
            .map(m => m[1])
            .filter(path => !existsSync(join(ROOT, path)))
            .map(path => `${f} cites ${path}`),
    );
    const bare = texts.flatMap(f =>
        [...readFileSync(join(ROOT, f), 'utf8').matchAll(/(?<![\w/])(design|method|real-editor-testing|slurm-testing)\.md\b/g)].map(
            m => `${f} cites ${m[0]} (not a path in the repository)`,
        ),
    );
    expect([...missing, ...bare]).toEqual([]);
});

test('no hand-written source file is over 400 lines (generated code, tests and the AssemblyScript kernel are exempt)', () => {
    const handWritten = tracked('*.ts', '*.mjs', '*.cjs').filter(
        f => !/^(test|e2e)\//.test(f) && !f.startsWith('language-server/generated/') && !f.endsWith('.as.ts'),
    );
    const long = handWritten.map(f => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length })).filter(x => x.lines > 400);
    expect(long).toEqual([]);
});
