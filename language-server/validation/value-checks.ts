// Checks of values: numbers in their ranges, distributions well formed, optimiser options and sweep values allowed.
import { type AstNode, type ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import type { EmnAstType } from '../generated/ast.js';
import { ADAM_DEFAULTS, formatNumber, MAX_INTERACTION_ORDER, OPERATION_DEFAULTS, SGD_DEFAULTS } from '../../engine/view.js';
import { DiagnosticCodes, type ReplacementData } from './diagnostic-codes.js';
import { checkSweepAxis } from './sweep-values.js';
import { OPTIMIZER_OPTIONS } from '../language-facts.js';
import {
    interactionOrder,
    nonNegativeInteger,
    positiveInteger,
    seedCount,
    positiveReal,
    rangeMessage,
    unitInterval,
    type ValueRule,
} from './value-rules.js';
import { rangeData, where } from './node-text.js';

export interface NumberField {
    property: string;
    label: string;
    rule: ValueRule;
}

/** Numbers of the grammar and their allowed ranges, by AST type (optimiser options and sweeps are checked by name). */
export const NUMBER_FIELDS: Partial<Record<keyof EmnAstType, NumberField[]>> = {
    PowerKind: [{ property: 'order', label: 'power order', rule: interactionOrder }],
    SizeProperty: [{ property: 'value', label: 'size', rule: positiveInteger }],
    RankProperty: [{ property: 'value', label: 'rank', rule: positiveInteger }],
    SparsityProperty: [{ property: 'value', label: 'sparsity', rule: unitInterval }],
    NormalDistribution: [{ property: 'std', label: 'sigma (the standard deviation of normal(mu, sigma))', rule: positiveReal(1) }],
    WidthProperty: [{ property: 'value', label: 'width', rule: positiveInteger }],
    DepthProperty: [{ property: 'value', label: 'depth', rule: positiveInteger }],
    MaskingProperty: [{ property: 'value', label: 'masking', rule: interactionOrder }],
    BatchProperty: [{ property: 'value', label: 'batch', rule: positiveInteger }],
    StepsProperty: [{ property: 'value', label: 'steps', rule: positiveInteger }],
    StopProperty: [{ property: 'threshold', label: 'the stop threshold', rule: positiveReal(1e-6) }],
    MetaEpochSchedule: [
        { property: 'metaEpochs', label: 'metaEpochs', rule: positiveInteger },
        { property: 'masks', label: 'masks', rule: positiveInteger },
        { property: 'stepsPerMask', label: 'steps per mask', rule: positiveInteger },
    ],
    SeedProperty: [{ property: 'value', label: 'seed', rule: nonNegativeInteger }],
    SeedsProperty: [{ property: 'value', label: 'seeds', rule: seedCount }],
    PoolProperty: [{ property: 'value', label: 'pool', rule: positiveInteger }],
    EvaluateProperty: [{ property: 'samples', label: 'evaluate samples', rule: positiveInteger }],
};

/** Ranges of the optimiser options (same rules whatever the optimiser). */
const OPTION_RULES: Record<ast.OptimizerOptionName, ValueRule> = {
    lr: positiveReal(SGD_DEFAULTS.lr),
    momentum: unitInterval,
    beta1: unitInterval,
    beta2: unitInterval,
    epsilon: positiveReal(ADAM_DEFAULTS.epsilon),
};

export function checkNumbers(node: AstNode, fields: NumberField[], accept: ValidationAcceptor): void {
    for (const field of fields) {
        const value = (node as unknown as Record<string, unknown>)[field.property];
        if (typeof value === 'number' && !field.rule.allows(value)) {
            accept('error', rangeMessage(field.label, field.rule, value), {
                node,
                property: field.property,
                code: DiagnosticCodes.ValueRange,
                data: rangeData(field.rule, value),
            });
        }
    }
}

export function checkUniform(dist: ast.UniformDistribution, accept: ValidationAcceptor): void {
    if (typeof dist.low !== 'number' || typeof dist.high !== 'number') return; // incomplete: a syntax error says so
    if (!(dist.low < dist.high)) {
        const data: ReplacementData = { code: DiagnosticCodes.UniformBounds };
        if (dist.low > dist.high) data.replacement = `uniform(${formatNumber(dist.high)}, ${formatNumber(dist.low)})`;
        accept('error', `uniform(a, b) needs a < b; got uniform(${formatNumber(dist.low)}, ${formatNumber(dist.high)})`, {
            node: dist,
            code: DiagnosticCodes.UniformBounds,
            data,
        });
    }
}

export function checkBinary(dist: ast.BinaryDistribution, accept: ValidationAcceptor): void {
    if (dist.$container.$type === 'VectorsProperty') {
        const v = OPERATION_DEFAULTS.vectors;
        const replacement = v.kind === 'uniform' ? `uniform(${v.low}, ${v.high})` : undefined;
        accept('error', 'binary is only for entries (the non-zero entries of A); vectors take uniform(a, b) or normal(mu, sigma)', {
            node: dist,
            code: DiagnosticCodes.BinaryVectors,
            data: { code: DiagnosticCodes.BinaryVectors, replacement } satisfies ReplacementData,
        });
    }
}

export function checkOptimizerOptions(opt: ast.Optimizer, accept: ValidationAcceptor): void {
    const { name, options } = OPTIMIZER_OPTIONS[opt.$type];
    const seen = new Map<string, ast.OptimizerOption>();
    for (const option of opt.options) {
        if (!option.name) continue; // partial parse
        if (!options.includes(option.name)) {
            const other = opt.$type === 'SgdOptimizer' ? 'adam' : 'sgd';
            accept('error', `${option.name} is not an option of ${name} (it belongs to ${other}); ${name} takes ${options.join(', ')}`, {
                node: option,
                property: 'name',
                code: DiagnosticCodes.OptionForOtherOptimizer,
                data: { code: DiagnosticCodes.OptionForOtherOptimizer } satisfies ReplacementData,
            });
        }
        const first = seen.get(option.name);
        if (first) {
            accept('error', `${option.name} is given twice; the first is on ${where(first, option)}`, {
                node: option,
                property: 'name',
                code: DiagnosticCodes.DuplicateOption,
                data: { code: DiagnosticCodes.DuplicateOption } satisfies ReplacementData,
            });
        } else {
            seen.set(option.name, option);
        }
    }
}

export function checkOptimizerOptionValue(option: ast.OptimizerOption, accept: ValidationAcceptor): void {
    const rule = OPTION_RULES[option.name];
    if (rule && typeof option.value === 'number' && !rule.allows(option.value)) {
        accept('error', rangeMessage(option.name, rule, option.value), {
            node: option,
            property: 'value',
            code: DiagnosticCodes.ValueRange,
            data: rangeData(rule, option.value),
        });
    }
}

export function checkSweepValues(axis: ast.SweepAxis, accept: ValidationAcceptor): void {
    checkSweepAxis(axis, accept);
}

/** A polynomial's degree is its interaction order: at most MAX_INTERACTION_ORDER, like `power k`. */
export function checkPolynomialDegree(kind: ast.PolynomialKind, accept: ValidationAcceptor): void {
    const degree = kind.coefficients.length - 1;
    if (degree > MAX_INTERACTION_ORDER) {
        accept('error', `a polynomial has degree at most ${MAX_INTERACTION_ORDER} (like power k); this one has degree ${degree}`, {
            node: kind,
            property: 'coefficients',
        });
    }
}
