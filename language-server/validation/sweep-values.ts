// Validation of sweep values in one place: numbers in range, names known, no value twice, and sweeps whose points would be identical.
import { GrammarUtils, type ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { formatNumber, NAMED_SWEEP_VALUES, SGD_DEFAULTS, type SweepParameter } from '../../engine/view.js';
import { findProperty } from '../resolve-spec.js';
import { closeNames } from '../name-suggestions.js';
import { DiagnosticCodes, type ReplacementData } from './diagnostic-codes.js';
import {
    interactionOrder,
    nonNegativeInteger,
    positiveInteger,
    positiveReal,
    rangeMessage,
    unitInterval,
    type ValueRule,
} from './value-rules.js';

type NumericParameter = Exclude<SweepParameter, 'order' | 'activation' | 'pruning' | 'weights' | 'architecture'>;

/** A numeric sweep value obeys the rule of the property it replaces. */
const SWEEP_RULES: Record<NumericParameter, ValueRule> = {
    size: positiveInteger,
    power: interactionOrder,
    rank: positiveInteger,
    width: positiveInteger,
    depth: positiveInteger,
    masking: interactionOrder,
    pool: positiveInteger,
    batch: positiveInteger,
    steps: positiveInteger,
    sparsity: unitInterval,
    lr: positiveReal(SGD_DEFAULTS.lr),
    seed: nonNegativeInteger,
    masks: positiveInteger,
    metaEpochs: positiveInteger,
    maskSteps: positiveInteger,
    momentum: unitInterval,
    hidden: positiveInteger,
};

/** The meta-epoch schedule's parameters: a joint experiment trains identical points over them. */
const SCHEDULE_PARAMETERS: Partial<Record<SweepParameter, string>> = {
    order: 'order',
    masks: 'masks K',
    metaEpochs: 'metaEpochs M',
    maskSteps: 'steps E per mask',
};

const orList = (names: readonly string[]) => `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

/**
 * Every check of one sweep axis: numbers where the parameter takes numbers (and in its range), known names where it takes
 * names, each value once; and, with the experiment around it, points that would be identical (a schedule parameter
 * without `schedule metaEpochs`, momentum with adam). One message per mistake.
 */
export function checkSweepAxis(axis: ast.SweepAxis, accept: ValidationAcceptor): void {
    const parameter = axis.parameter;
    const names = NAMED_SWEEP_VALUES[parameter];
    if (names) {
        if (axis.values.length > 0) {
            accept(
                'error',
                `${parameter} is swept by name: ${orList(names)}, e.g. \`sweep ${parameter} [${names.slice(0, 2).join(', ')}]\``,
                {
                    node: axis,
                    property: 'values',
                    index: 0,
                },
            );
            return;
        }
        const nodes = GrammarUtils.findNodesForProperty(axis.$cstNode, 'names');
        axis.names.forEach((name, index) => {
            if (names.includes(name)) return;
            const close = closeNames(name, names);
            accept(
                'error',
                `${parameter} cannot be ${name}${close.length ? `; did you mean ${close[0]}?` : ''} It is one of ${orList(names)}`,
                {
                    node: axis,
                    range: nodes[index]?.range,
                    property: 'names',
                    index,
                },
            );
        });
    } else {
        if (axis.names.length > 0) {
            accept(
                'error',
                `${parameter} is swept by number, e.g. \`sweep ${parameter} [${exampleOf(parameter)}]\`; names are for order, activation, pruning and weights`,
                {
                    node: axis,
                    property: 'names',
                    index: 0,
                },
            );
            return;
        }
        const rule: ValueRule | undefined = SWEEP_RULES[parameter as NumericParameter];
        // the value nodes once (finding each by index would be quadratic in a long list)
        const nodes = GrammarUtils.findNodesForProperty(axis.$cstNode, 'values');
        axis.values.forEach((value, index) => {
            if (rule && typeof value === 'number' && !rule.allows(value)) {
                accept('error', rangeMessage(`${parameter} (swept)`, rule, value), {
                    node: axis,
                    range: nodes[index]?.range,
                    property: 'values',
                    index,
                    code: DiagnosticCodes.ValueRange,
                    data: { code: DiagnosticCodes.ValueRange, replacement: formatNumber(rule.nearest(value)) } satisfies ReplacementData,
                });
            }
        });
    }
    checkRepeatedValues(axis, accept);
    checkIdenticalPoints(axis, accept);
}

function exampleOf(parameter: SweepParameter): string {
    return parameter === 'sparsity' || parameter === 'momentum' ? '0.5, 0.9' : parameter === 'lr' ? '0.01, 0.1' : '2, 4';
}

/** A value listed twice trains the same point twice. */
function checkRepeatedValues(axis: ast.SweepAxis, accept: ValidationAcceptor): void {
    const values: (number | string)[] = axis.names.length > 0 ? axis.names : axis.values;
    const property = axis.names.length > 0 ? 'names' : 'values';
    const seen = new Set<number | string>();
    const warned = new Set<number | string>();
    // the value nodes once: finding each by index would be quadratic in a long list
    const nodes = GrammarUtils.findNodesForProperty(axis.$cstNode, property);
    values.forEach((value, index) => {
        // one warning per repeated value, at its second mention: a value listed 1,000 times is one mistake
        if (seen.has(value) && !warned.has(value)) {
            warned.add(value);
            const text = typeof value === 'number' ? formatNumber(value) : value;
            accept('warning', `${axis.parameter} ${text} is listed twice: those points would be identical (remove one)`, {
                node: axis,
                range: nodes[index]?.range,
                property,
                index,
            });
        }
        seen.add(value);
    });
}

/** The schedule's parameters need `schedule metaEpochs`; momentum needs sgd: elsewhere every point is the same run. */
function checkIdenticalPoints(axis: ast.SweepAxis, accept: ValidationAcceptor): void {
    const exp = axis.$container.$container;
    const what = SCHEDULE_PARAMETERS[axis.parameter];
    if (what && findProperty(exp.properties, 'ScheduleProperty')?.schedule?.$type !== 'MetaEpochSchedule') {
        accept(
            'warning',
            `sweeping ${axis.parameter} without \`schedule metaEpochs M masks K steps E\` trains identical points: ` +
                `${what} belongs to the meta-epoch schedule (the joint schedule has none)`,
            { node: axis, property: 'parameter' },
        );
    }
    if (axis.parameter === 'momentum' && findProperty(exp.properties, 'OptimizerProperty')?.optimizer?.$type === 'AdamOptimizer') {
        accept('warning', 'sweeping momentum with adam trains identical points: momentum is an option of sgd (adam has beta1)', {
            node: axis,
            property: 'parameter',
        });
    }
}
