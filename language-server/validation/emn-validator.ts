// Validation of .emn specs: checks keyed by AST type, each with a precise range and a message saying what is allowed.
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import type { EmnAstType, SizeProperty } from '../generated/ast.js';
import type { EmnServices } from '../emn-module.js';

export function registerValidationChecks(services: EmnServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.EmnValidator;
    const checks: ValidationChecks<EmnAstType> = {
        SizeProperty: validator.checkSize,
    };
    registry.register(checks, validator);
}

export class EmnValidator {
    checkSize(prop: SizeProperty, accept: ValidationAcceptor): void {
        if (!Number.isInteger(prop.value) || prop.value < 1) {
            accept('error', `size must be a positive integer; got ${prop.value}`, { node: prop, property: 'value' });
        }
    }
}
