// Quick fix for the "training diverged ... lower lr" warning: sets the experiment's learning rate to a tenth of its value.
import { GrammarUtils, type LangiumDocument } from 'langium';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { Experiment } from '../generated/ast.js';
import { findProperty, resolveExperiment } from '../resolve-spec.js';
import { smallerLr } from '../../engine/index.js';
import { experimentsOf } from './training/experiments-of.js';

/** One action for the diverged diagnostic on an experiment's name: edit its lr, add one, or add an optimizer. */
export function divergedLrFixes(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
    const experiment = experimentsOf(document).find(e => {
        const name = GrammarUtils.findNodeForProperty(e.$cstNode, 'name')?.range.start;
        return name?.line === diagnostic.range.start.line && name.character === diagnostic.range.start.character;
    });
    const spec = experiment && resolveExperiment(experiment);
    // a swept lr overrides the optimizer's: editing that would change nothing the sweep trains
    if (!experiment || !spec || spec.sweep.some(axis => axis.parameter === 'lr')) return [];
    const lr = smallerLr(spec.optimizer.lr);
    const edit = lrEdit(document, experiment, lr, spec.optimizer.kind);
    if (!edit) return [];
    return [
        {
            title: `Lower the learning rate to ${lr} (now ${spec.optimizer.lr})`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.textDocument.uri]: [edit] } },
        },
    ];
}

function lrEdit(document: LangiumDocument, experiment: Experiment, lr: number, kind: string): TextEdit | undefined {
    const property = findProperty(experiment.properties, 'OptimizerProperty');
    const optimizer = property?.optimizer;
    if (optimizer) {
        const option = optimizer.options.find(o => o.name === 'lr');
        const value = option && GrammarUtils.findNodeForProperty(option.$cstNode, 'value');
        if (value) return { range: value.range, newText: String(lr) };
        // `sgd(momentum 0.9)` or `adam()`: the lr goes first
        const open = optimizer.$cstNode && /\(/.exec(optimizer.$cstNode.text);
        if (!open || !optimizer.$cstNode) return undefined;
        const at = document.textDocument.positionAt(optimizer.$cstNode.offset + open.index + 1);
        return { range: { start: at, end: at }, newText: optimizer.options.length > 0 ? `lr ${lr}, ` : `lr ${lr}` };
    }
    // no optimizer line: add one after `learn ...` with the default optimizer and the smaller lr
    const learn = findProperty(experiment.properties, 'LearnProperty')?.$cstNode;
    if (!learn) return undefined;
    const line = document.textDocument.getText({ start: { line: learn.range.start.line, character: 0 }, end: learn.range.start });
    const indent = /^\s*/.exec(line)?.[0] ?? '    ';
    const at = { line: learn.range.end.line + 1, character: 0 };
    return { range: { start: at, end: at }, newText: `${indent}optimizer ${kind}(lr ${lr})\n` };
}
