// Checks of the study properties (sweep power): what a sweep can vary on this operation, in the language's own words.
import type { ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { findProperty } from '../resolve-spec.js';

/** `sweep power` sets the order k of y = A^k x: a matvec (power 1) or power operation has one; a polynomial has several terms. */
export function checkSweptPower(op: ast.Operation, powerAxis: ast.SweepAxis | undefined, accept: ValidationAcceptor): void {
    if (!powerAxis) return;
    const polynomial = findProperty(op.properties, 'PolynomialKind');
    if (!polynomial) return;
    accept('error', `sweep power sets k in y = A^k x, but ${op.name} is a polynomial (a sum of powers of A): sweep power on a matvec `
        + 'or power operation, or sweep masking for this one', { node: powerAxis, property: 'parameter' });
}
