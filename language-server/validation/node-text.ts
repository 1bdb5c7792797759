// Where and what a node is, for messages: its keyword, its line, its name; whether the parser already reported an error in it.
import { AstUtils, type AstNode } from 'langium';
import type * as ast from '../generated/ast.js';
import { formatNumber, MAX_INTERACTION_ORDER } from '../../engine/view.js';
import { DiagnosticCodes, type ReplacementData } from './diagnostic-codes.js';
import { KIND_TYPES } from '../language-facts.js';
import { interactionOrder, type ValueRule } from './value-rules.js';

/** The keyword a property starts with, for messages ("size", "entries", ...). */
export function propertyKeyword(node: AstNode): string {
    return node.$cstNode?.text.match(/^[A-Za-z]\w*/)?.[0] ?? node.$type;
}

/** Where `first` is, said from `second`'s point of view: "line 4", or "line 4, column 15" when both share a line. */
export function where(first: AstNode, second: AstNode): string {
    const a = first.$cstNode?.range.start,
        b = second.$cstNode?.range.start;
    if (!a) return 'line 1';
    return a.line === b?.line ? `line ${a.line + 1}, column ${a.character + 1}` : `line ${a.line + 1}`;
}

export function rangeData(rule: ValueRule, value: number): ReplacementData {
    return { code: DiagnosticCodes.ValueRange, replacement: formatNumber(rule.nearest(value)) };
}

/** The order of interaction an operation needs: k for power k, the degree for a polynomial, 1 for matvec. */
export function requiredMasking(op: ast.Operation): number | undefined {
    const kind = op.properties.find(p => KIND_TYPES.has(p.$type));
    if (!kind || kind.$type === 'MatvecKind') return 1;
    if (kind.$type === 'PowerKind') return interactionOrder.allows(kind.order) ? kind.order : undefined;
    if (kind.$type === 'PolynomialKind') {
        let degree = kind.coefficients.length - 1;
        while (degree > 0 && kind.coefficients[degree] === 0) degree--;
        return degree <= MAX_INTERACTION_ORDER ? degree : undefined;
    }
    return undefined;
}

/** Whether the parser reported an error inside the node's text (its content may then be partial). */
export function hasSyntaxErrorIn(node: AstNode): boolean {
    const cst = node.$cstNode;
    if (!cst) return true;
    const parseResult = AstUtils.getDocument(node).parseResult;
    return (
        parseResult.parserErrors.some(e => e.token.startOffset >= cst.offset && e.token.startOffset <= cst.end) ||
        parseResult.lexerErrors.some(e => e.offset >= cst.offset && e.offset <= cst.end)
    );
}

/** Whether the parser reported an error on the line where the node starts. */
export function syntaxErrorOnLineOf(node: AstNode): boolean {
    const line = node.$cstNode?.range.start.line;
    if (line === undefined) return false;
    return AstUtils.getDocument(node).parseResult.parserErrors.some(e => e.token.startLine === line + 1);
}

/** A declaration's name in a message; a declaration whose name is missing (a keyword there: a syntax error) is "this operation". */
export function nameOf(decl: ast.Declaration): string {
    return decl.name || `this ${decl.$type.toLowerCase()}`;
}

/** "experiment Paper", or "this experiment" when its name is missing. */
export function experimentName(exp: ast.Experiment): string {
    return exp.name ? `experiment ${exp.name}` : 'this experiment';
}
