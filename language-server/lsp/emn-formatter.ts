// Formatting: imports one per line at the top, `{` on the declaration line, one property per line indented 4, one space between tokens, at
// most one blank line between declarations.
import { isCompositeCstNode, type AstNode, type CstNode } from 'langium';
import { AbstractFormatter, Formatting } from 'langium/lsp';
import type * as ast from '../generated/ast.js';

const DECLARATIONS = new Set(['Operation', 'Network', 'Experiment']);
/** Punctuation that hugs its neighbours: no space before these ... */
const NO_SPACE_BEFORE = new Set([',', ')', ']']);
/** ... and none after these. */
const NO_SPACE_AFTER = new Set(['(', '[']);

export class EmnFormatter extends AbstractFormatter {
    protected format(node: AstNode): void {
        const f = this.getNodeFormatter(node);
        if (node.$type === 'Spec') {
            const spec = node as ast.Spec;
            const items: AstNode[] = [...spec.imports, ...spec.declarations].sort(
                (a, b) => (a.$cstNode?.offset ?? 0) - (b.$cstNode?.offset ?? 0),
            );
            f.node(items[0] ?? node).prepend(Formatting.noIndent());
            items.forEach((item, i) => {
                if (i === 0) return;
                // imports one per line; elsewhere keep one blank line if there was one (or more), add a line break if there was none
                const betweenImports = item.$type === 'Import' && items[i - 1].$type === 'Import';
                f.node(item).prepend(betweenImports ? Formatting.newLine() : Formatting.fit(Formatting.newLine(), Formatting.newLines(2)));
            });
            return;
        }
        this.spaceTokens(node);
        if (DECLARATIONS.has(node.$type)) {
            const open = f.keyword('{');
            const close = f.keyword('}');
            open.prepend(Formatting.oneSpace());
            f.interior(open, close).prepend(Formatting.indent());
            // an empty declaration stays `{}`
            const empty = (node as ast.Declaration).properties.length === 0;
            close.prepend(empty ? Formatting.noSpace() : Formatting.newLine());
        }
    }

    /** One space between the tokens a node owns (and before its sub-nodes), except around brackets and commas. */
    protected spaceTokens(node: AstNode): void {
        const cst = node.$cstNode;
        if (!cst || !isCompositeCstNode(cst)) return;
        const children = ownChildren(cst, node);
        const f = this.getNodeFormatter(node);
        children.forEach((child, i) => {
            if (i === 0) return;
            const previous = children[i - 1];
            const tight =
                NO_SPACE_BEFORE.has(child.text) ||
                NO_SPACE_AFTER.has(previous.text) ||
                // `uniform(` and `sgd(`: a call, while `size [` and `polynomial [` keep their space
                (child.text === '(' && isWord(previous));
            f.cst([child]).prepend(tight ? Formatting.noSpace() : Formatting.oneSpace());
        });
    }
}

/**
 * The CST children of a node in text order, looking through the wrappers that unassigned rule calls
 * (`Declaration: Operation | ...`) add around the same AST node; comments are skipped.
 */
function ownChildren(cst: CstNode, node: AstNode): CstNode[] {
    if (!isCompositeCstNode(cst)) return [];
    return cst.content.flatMap(child => {
        if (child.hidden) return [];
        if (isCompositeCstNode(child) && child.astNode === node) return ownChildren(child, node);
        return [child];
    });
}

function isWord(node: CstNode): boolean {
    return /^[A-Za-z_]\w*$/.test(node.text);
}
