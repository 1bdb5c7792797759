// Fails when the committed Langium output (language-server/generated, syntaxes/) is older than grammar/emn.langium.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

describe('langium generate output is committed and fresh', () => {
    test('regenerating from the grammar gives the committed files', () => {
        const root = resolve(__dirname, '..');
        const work = mkdtempSync(join(tmpdir(), 'emn-gen-'));
        cpSync(join(root, 'grammar'), join(work, 'grammar'), { recursive: true });
        const config = JSON.parse(readFileSync(join(root, 'langium-config.json'), 'utf8'));
        writeFileSync(join(work, 'langium-config.json'), JSON.stringify(config));
        execFileSync(
            process.execPath,
            [
                '--require',
                require.resolve('core-js/actual/object/group-by.js'),
                join(root, 'node_modules/langium-cli/bin/langium.js'),
                'generate',
            ],
            { cwd: work, stdio: 'pipe' },
        );
        const generatedDir = config.out as string;
        for (const file of readdirSync(join(work, generatedDir))) {
            expect(
                readFileSync(join(work, generatedDir, file), 'utf8'),
                `${generatedDir}/${file} is stale: run npm run langium:generate`,
            ).toBe(readFileSync(join(root, generatedDir, file), 'utf8'));
        }
        const tm = config.languages[0].textMate.out as string;
        expect(readFileSync(join(work, tm), 'utf8'), `${tm} is stale: run npm run langium:generate`).toBe(
            readFileSync(join(root, tm), 'utf8'),
        );
    });
});
