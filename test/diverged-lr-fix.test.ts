// The quick fix of the "training diverged ... lower lr" warning: a tenth of the lr, wherever the spec says it (or not).
import { describe, expect, test } from 'vitest';
import { TextDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import { divergedLrFixes } from '../language-server/lsp/diverged-lr-fix.js';
import { smallerLr } from '../engine/results/failure-policy.js';
import { useEmnServices } from './emn-test-services.js';

const DECLS = 'operation O { size 3 }\nnetwork N { width 2 }\n';

describe('diverged lr quick fix', () => {
    const { parse } = useEmnServices();

    /** Applies the fix offered for a diverged warning on experiment E's name; returns the action's title and the new text. */
    async function applyFix(text: string): Promise<{ title?: string; text: string }> {
        const doc = await parse(text);
        const at = doc.textDocument.positionAt(text.indexOf('experiment E') + 'experiment '.length);
        const diagnostic: Diagnostic = {
            range: { start: at, end: { line: at.line, character: at.character + 1 } },
            message: 'training diverged: lower lr',
        };
        const [action] = divergedLrFixes(doc, diagnostic);
        const edits = action?.edit?.changes?.[doc.textDocument.uri] ?? [];
        return { title: action?.title, text: TextDocument.applyEdits(TextDocument.create('x', 'emn', 1, text), edits) };
    }

    test('divides by ten with at most three significant digits', () => {
        expect(smallerLr(50)).toBe(5);
        expect(smallerLr(0.05)).toBe(0.005);
        expect(smallerLr(0.123456)).toBe(0.0123);
    });

    test('edits the lr option in place', async () => {
        const fixed = await applyFix(`${DECLS}experiment E {\n    learn O with N\n    optimizer sgd(lr 50, momentum 0.9)\n}\n`);
        expect(fixed.title).toBe('Lower the learning rate to 5 (now 50)');
        expect(fixed.text).toContain('optimizer sgd(lr 5, momentum 0.9)');
    });

    test('adds an lr to an optimizer that has none (its default, divided)', async () => {
        const fixed = await applyFix(`${DECLS}experiment E {\n    learn O with N\n    optimizer adam(beta1 0.8)\n}\n`);
        expect(fixed.text).toContain('optimizer adam(lr 0.001, beta1 0.8)');
        const empty = await applyFix(`${DECLS}experiment E {\n    learn O with N\n    optimizer sgd()\n}\n`);
        expect(empty.text).toContain('optimizer sgd(lr 0.005)');
    });

    test('adds an optimizer line after `learn` when the experiment has none', async () => {
        const fixed = await applyFix(`${DECLS}experiment E {\n    learn O with N\n    steps 10\n}\n`);
        expect(fixed.text).toContain('    learn O with N\n    optimizer sgd(lr 0.005)\n    steps 10');
    });

    test("offers nothing when the experiment sweeps lr: the sweep's values override the optimizer's", async () => {
        const fixed = await applyFix(
            `${DECLS}experiment E {\n    learn O with N\n    optimizer sgd(lr 0.05)\n    sweep lr [0.05, 50]\n}\n`,
        );
        expect(fixed.title).toBeUndefined();
    });
});
