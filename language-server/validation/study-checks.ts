// Checks of the study properties (sweep power, rank): what a sweep or `rank` can do with this operation, in the language's own words.
import type { ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { findProperty, resolveOperation } from '../resolve-spec.js';

/** `sweep power` sets the order k of y = A^k x: a matvec (power 1) or power operation has one; a polynomial has several terms. */
export function checkSweptPower(op: ast.Operation, powerAxis: ast.SweepAxis | undefined, accept: ValidationAcceptor): void {
    if (!powerAxis) return;
    const polynomial = findProperty(op.properties, 'PolynomialKind');
    if (!polynomial) return;
    accept(
        'error',
        `sweep power sets k in y = A^k x, but ${op.name} is a polynomial (a sum of powers of A): sweep power on a matvec ` +
            'or power operation, or sweep masking for this one',
        { node: powerAxis, property: 'parameter' },
    );
}

/** Why `rank` and this operation's entries or sparsity cannot go together, or undefined when they can. */
function rankConflict(op: ast.Operation): { message: string; node: ast.EntriesProperty | ast.SparsityProperty | undefined } | undefined {
    const spec = resolveOperation(op);
    if (spec.entries.kind === 'binary') {
        return {
            message:
                `rank draws A = U V^T / sqrt(r) from the entries' distribution, and ${op.name}'s entries are binary` +
                `${findProperty(op.properties, 'EntriesProperty') ? '' : ' (the default)'}: write entries normal(0, 1) or uniform(-1, 1)`,
            node: findProperty(op.properties, 'EntriesProperty'),
        };
    }
    if (spec.sparsity > 0) {
        return {
            message: `rank needs sparsity 0: zeroing entries of a rank-r matrix destroys its rank (${op.name} has sparsity ${spec.sparsity})`,
            node: findProperty(op.properties, 'SparsityProperty'),
        };
    }
    return undefined;
}

/** `rank r` with binary entries or a sparsity above 0: an error on the conflicting property (or on `rank`). */
export function checkRank(op: ast.Operation, accept: ValidationAcceptor): void {
    const rank = findProperty(op.properties, 'RankProperty');
    if (!rank) return;
    const conflict = rankConflict(op);
    if (!conflict) return;
    if (conflict.node) accept('error', conflict.message, { node: conflict.node });
    else accept('error', conflict.message, { node: rank, property: 'value' });
}

/** `sweep rank` asks the same of the learned operation; without `rank` its sparsity keeps the default 0.5, so it must say 0. */
export function checkSweptRank(op: ast.Operation, rankAxis: ast.SweepAxis | undefined, accept: ValidationAcceptor): void {
    if (!rankAxis || findProperty(op.properties, 'RankProperty')) return;
    const conflict = rankConflict(op);
    if (conflict) {
        accept('error', `sweep ${conflict.message}; or give ${op.name} a rank, which makes the sparsity default 0`, {
            node: rankAxis,
            property: 'parameter',
        });
    }
}
