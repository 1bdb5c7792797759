// Checks of declarations: names valid and unique per file, each property once, one kind per operation.
import { type AstNode, type ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { DiagnosticCodes, type ReplacementData } from './diagnostic-codes.js';
import { isAsciiName, KIND_TYPES, NAME_RULE, REPEATABLE } from '../language-facts.js';
import { nameOf, propertyKeyword, syntaxErrorOnLineOf, where } from './node-text.js';

export function checkDuplicateProperties(decl: ast.Operation | ast.Network | ast.Experiment, accept: ValidationAcceptor): void {
    const first = new Map<string, AstNode>();
    for (const prop of decl.properties as AstNode[]) {
        // the kinds are one property (matvec | power | polynomial), checked by checkOperationKinds
        if (REPEATABLE.has(prop.$type) || KIND_TYPES.has(prop.$type)) continue;
        // on a line with a syntax error a "property" may be the recovery's reading of debris (`steps` of a misspelt schedule)
        if (syntaxErrorOnLineOf(prop)) continue;
        const earlier = first.get(prop.$type);
        if (earlier) {
            const keyword = propertyKeyword(prop);
            accept('error', `${keyword} is set twice in ${nameOf(decl)}; the first is on ${where(earlier, prop)} (remove one)`, {
                node: prop,
                code: DiagnosticCodes.DuplicateProperty,
                data: { code: DiagnosticCodes.DuplicateProperty } satisfies ReplacementData,
            });
        } else {
            first.set(prop.$type, prop);
        }
    }
}

export function checkOperationKinds(op: ast.Operation, accept: ValidationAcceptor): void {
    const kinds = op.properties.filter(p => KIND_TYPES.has(p.$type));
    for (const kind of kinds.slice(1)) {
        accept(
            'error',
            `an operation has one kind (matvec, power k or polynomial [...]); ${nameOf(op)} already has ${propertyKeyword(kinds[0])} on ${where(kinds[0], kind)}`,
            {
                node: kind,
                code: DiagnosticCodes.MultipleKinds,
                data: { code: DiagnosticCodes.MultipleKinds } satisfies ReplacementData,
            },
        );
    }
}

/** Each file is its own namespace: a name declared twice in it is an error; a name must be ASCII. */
export function checkDuplicateNames(spec: ast.Spec, accept: ValidationAcceptor): void {
    const first = new Map<string, ast.Declaration>();
    for (const decl of spec.declarations) {
        if (!decl.name) continue;
        if (!isAsciiName(decl.name)) {
            accept('error', `${decl.name} is not a valid name. ${NAME_RULE}`, {
                node: decl,
                property: 'name',
                code: DiagnosticCodes.InvalidName,
                data: { code: DiagnosticCodes.InvalidName } satisfies ReplacementData,
            });
        }
        const earlier = first.get(decl.name);
        if (earlier) {
            accept('error', `${decl.name} is already declared on ${where(earlier, decl)}; rename one (names are per file)`, {
                node: decl,
                property: 'name',
                code: DiagnosticCodes.DuplicateName,
                data: { code: DiagnosticCodes.DuplicateName } satisfies ReplacementData,
            });
            continue;
        }
        first.set(decl.name, decl);
    }
}
