// Checks of experiments: `learn`, sweeps and seeds, schedule and pool rules, masking against the operation's order, cost.
import { type ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { findProperty, resolveExperiment, resolveNetwork } from '../resolve-spec.js';
import { costWarnings, estimateCost, MAX_TRAINING_BYTES_PER_STEP, memoryRefusal } from '../../engine/index.js';
import { DiagnosticCodes, type ReplacementData } from './diagnostic-codes.js';
import { checkSweptPower, checkSweptRank } from './study-checks.js';
import { checkSizes } from './size-checks.js';
import { checkFixedMatrixExperiment } from './graph-checks.js';
import { checkArchitectureSweeps } from './architecture-checks.js';
import { IGNORED_UNDER_META_EPOCHS } from '../language-facts.js';
import { experimentName, hasSyntaxErrorIn, nameOf, requiredMasking, where } from './node-text.js';

export function checkExperiment(exp: ast.Experiment, accept: ValidationAcceptor): void {
    const learn = findProperty(exp.properties, 'LearnProperty');
    // a syntax error inside the block may have swallowed `learn`, or the name (a keyword): that error is the one to fix
    if (!learn && !hasSyntaxErrorIn(exp) && exp.name) {
        accept('error', `experiment ${exp.name} needs \`learn Op with Net\`: the operation to learn and the network that learns it`, {
            node: exp,
            property: 'name',
            code: DiagnosticCodes.MissingLearn,
            data: { code: DiagnosticCodes.MissingLearn } satisfies ReplacementData,
        });
    }
    const axes = exp.properties.filter((p): p is ast.SweepProperty => p.$type === 'SweepProperty').flatMap(s => s.axes);
    const sweptFirst = new Map<string, ast.SweepAxis>();
    for (const axis of axes) {
        const earlier = sweptFirst.get(axis.parameter);
        if (earlier) {
            accept('error', `${axis.parameter} is swept twice; the first is on ${where(earlier, axis)} (put all values in one list)`, {
                node: axis,
                property: 'parameter',
                code: DiagnosticCodes.DuplicateSweepParameter,
                data: { code: DiagnosticCodes.DuplicateSweepParameter } satisfies ReplacementData,
            });
        } else {
            sweptFirst.set(axis.parameter, axis);
        }
    }
    const seeds = findProperty(exp.properties, 'SeedsProperty');
    const seedAxis = sweptFirst.get('seed');
    if (seeds && seedAxis) {
        accept('error', `seeds ${seeds.value} and sweep seed both choose the seeds; keep one (seeds N derives N seeds from seed)`, {
            node: seeds,
            property: 'value',
        });
    }
    checkPoolEvaluations(exp, accept);
    checkIgnoredUnderMetaEpochs(exp, axes, accept);
    // while typing, `learn` may lack either reference (a syntax error says so)
    const opNode = learn?.operation?.ref;
    const netNode = learn?.network?.ref;
    if (!learn || !opNode) return;
    checkSweptPower(opNode, sweptFirst.get('power'), accept);
    checkSweptRank(opNode, sweptFirst.get('rank'), accept);
    checkFixedMatrixExperiment(exp, opNode, accept);
    if (!netNode) return;
    checkSizes(exp, opNode, netNode, accept);
    checkArchitectureSweeps(axes, netNode, accept);
    // a swept power is the litmus: points whose masking is below their power are its purpose, not a mistake; an MLP has no masking
    const mlpOnly = resolveNetwork(netNode).architecture === 'mlp' && !sweptFirst.has('architecture');
    if (!sweptFirst.has('power') && !mlpOnly) checkMaskingOrder(learn, opNode, netNode, sweptFirst.get('masking'), accept);
    checkCost(exp, accept);
}

/** `steps`, `pool` and their sweeps do nothing under `schedule metaEpochs`: say so where they are written. */
function checkIgnoredUnderMetaEpochs(exp: ast.Experiment, axes: ast.SweepAxis[], accept: ValidationAcceptor): void {
    if (findProperty(exp.properties, 'ScheduleProperty')?.schedule?.$type !== 'MetaEpochSchedule') return;
    const data = { code: DiagnosticCodes.IgnoredUnderMetaEpochs } satisfies ReplacementData;
    for (const prop of exp.properties) {
        const keyword = prop.$type === 'StepsProperty' ? 'steps' : prop.$type === 'PoolProperty' ? 'pool' : undefined;
        if (keyword) {
            accept('warning', `${keyword} is ignored under schedule metaEpochs: ${IGNORED_UNDER_META_EPOCHS[keyword]}`, {
                node: prop,
                code: DiagnosticCodes.IgnoredUnderMetaEpochs,
                data,
            });
        }
    }
    for (const axis of axes) {
        if (axis.parameter === 'steps' || axis.parameter === 'pool') {
            accept(
                'warning',
                `sweeping ${axis.parameter} under schedule metaEpochs trains identical points: ${IGNORED_UNDER_META_EPOCHS[axis.parameter]} (sweep it in a joint experiment)`,
                {
                    node: axis,
                    code: DiagnosticCodes.IgnoredUnderMetaEpochs,
                    data,
                },
            );
        }
    }
}

function checkPoolEvaluations(exp: ast.Experiment, accept: ValidationAcceptor): void {
    const hasPool =
        !!findProperty(exp.properties, 'PoolProperty') ||
        findProperty(exp.properties, 'ScheduleProperty')?.schedule?.$type === 'MetaEpochSchedule' ||
        exp.properties.some(p => p.$type === 'SweepProperty' && p.axes.some(a => a.parameter === 'pool'));
    if (hasPool) return;
    for (const ev of exp.properties) {
        if (ev.$type === 'EvaluateProperty' && ev.pool) {
            accept('error', 'evaluate on pool needs a training pool: add `pool K` or use `schedule metaEpochs M masks K steps E`', {
                node: ev,
                property: 'pool',
                code: DiagnosticCodes.PoolMissing,
                data: { code: DiagnosticCodes.PoolMissing } satisfies ReplacementData,
            });
        }
    }
}

function checkMaskingOrder(
    learn: ast.LearnProperty,
    op: ast.Operation,
    net: ast.Network,
    maskingAxis: ast.SweepAxis | undefined,
    accept: ValidationAcceptor,
): void {
    const k = requiredMasking(op);
    if (k === undefined || k <= 1) return;
    const what = findProperty(op.properties, 'PowerKind') ? `power ${k}` : `a polynomial of degree ${k}`;
    const message = (masking: number) =>
        `${what} (${nameOf(op)}) cannot be represented exactly with masking ${masking}: expect an error floor; use masking ${k}`;
    const data = { code: DiagnosticCodes.MaskingBelowOrder } satisfies ReplacementData;
    if (maskingAxis) {
        maskingAxis.values.forEach((m, index) => {
            if (Number.isInteger(m) && m >= 1 && m < k) {
                accept('warning', message(m), {
                    node: maskingAxis,
                    property: 'values',
                    index,
                    code: DiagnosticCodes.MaskingBelowOrder,
                    data,
                });
            }
        });
        return;
    }
    const masking = resolveNetwork(net).masking;
    if (Number.isInteger(masking) && masking >= 1 && masking < k) {
        accept('warning', message(masking), { node: learn, property: 'network', code: DiagnosticCodes.MaskingBelowOrder, data });
    }
}

/** Beyond the training limit an error (train refuses it alike), below it a warning about the time; one message each. */
function checkCost(exp: ast.Experiment, accept: ValidationAcceptor): void {
    // a block still being typed (an empty sweep list) has no estimate yet; its syntax error is the message
    const spec = hasSyntaxErrorIn(exp) ? undefined : resolveExperiment(exp);
    if (!spec) return;
    const cost = estimateCost(spec);
    const refusal = memoryRefusal(spec, MAX_TRAINING_BYTES_PER_STEP, cost);
    if (refusal) {
        accept('error', `${experimentName(exp)} cannot train: ${refusal}`, {
            node: exp,
            property: 'name',
            code: DiagnosticCodes.TooBigToTrain,
            data: { code: DiagnosticCodes.TooBigToTrain } satisfies ReplacementData,
        });
        return;
    }
    for (const warning of costWarnings(cost)) {
        accept('warning', `${experimentName(exp)} ${warning}`, {
            node: exp,
            property: 'name',
            code: DiagnosticCodes.TooExpensive,
            data: { code: DiagnosticCodes.TooExpensive } satisfies ReplacementData,
        });
    }
}
