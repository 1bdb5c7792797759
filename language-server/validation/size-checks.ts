// Validation of sizes across an experiment: evaluating at another n than the training n needs `weights shared`, which needs `pruning
// rowwise`.
import type { ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { findProperty, resolveNetwork, resolveOperation } from '../resolve-spec.js';
import { DiagnosticCodes, type ReplacementData } from './diagnostic-codes.js';

/** The values a network setting takes over the experiment's points: the swept ones, else the network's own. */
function valuesOf(axes: ast.SweepAxis[], parameter: string, own: string): string[] {
    const axis = axes.find(a => a.parameter === parameter);
    return axis && axis.names.length > 0 ? [...axis.names] : [own];
}

/**
 * `weights shared` needs `pruning rowwise` (a dense layer's weights depend on n), in every point of a sweep; and an
 * evaluation at another size than the training size (`on Op` of another size, `at sizes [...]`, a swept size) needs
 * `weights shared` in every point. One message per mistake, where it is written.
 */
export function checkSizes(exp: ast.Experiment, learned: ast.Operation, net: ast.Network, accept: ValidationAcceptor): void {
    const axes = exp.properties.filter((p): p is ast.SweepProperty => p.$type === 'SweepProperty').flatMap(s => s.axes);
    const network = resolveNetwork(net);
    const weights = valuesOf(axes, 'weights', network.weights ?? 'per-edge');
    const pruning = valuesOf(axes, 'pruning', network.pruning);
    if (weights.includes('shared') && pruning.includes('none')) {
        const at = axes.find(a => a.parameter === 'weights' || a.parameter === 'pruning');
        const message =
            'weights shared needs pruning rowwise: a dense layer (pruning none) connects all n·w units, so its weights depend on n ' +
            'and cannot be shared across sizes';
        if (at) accept('error', message, { node: at, property: 'parameter' });
        else accept('error', message, { node: findProperty(net.properties, 'WeightsProperty') ?? net, property: 'mode' });
    }
    for (const ev of exp.properties) {
        if (ev.$type === 'EvaluateProperty' && ev.pool && ev.sizes.length > 0) {
            accept('error', 'evaluate on pool cannot be at other sizes: the pool holds the training matrices, of the training size', {
                node: ev,
                property: 'sizes',
                index: 0,
            });
        }
    }
    const mlp = valuesOf(axes, 'architecture', network.architecture ?? 'emn').includes('mlp');
    if (!weights.includes('per-edge') && !mlp) return;
    const n = resolveOperation(learned).size;
    const sizeAxis = axes.find(a => a.parameter === 'size');
    const trainedAt = sizeAxis ? sizeAxis.values.filter(v => typeof v === 'number') : [n];
    const advice = mlp
        ? `an MLP reads n^2 + n inputs, so it runs at its training size only (${net.name} is, or is swept to, architecture mlp)`
        : `use \`weights shared\` in ${net.name}: a per-edge network has weights for its training size only`;
    const data = { code: DiagnosticCodes.EvaluateSizeMismatch } satisfies ReplacementData;
    for (const ev of exp.properties) {
        if (ev.$type !== 'EvaluateProperty' || ev.pool) continue;
        const other = ev.operation?.ref;
        // a matrix file cannot be resized at all: graph-checks.ts says so, once
        const fixed = !!findProperty((other ?? learned).properties, 'MatrixProperty');
        const listed = fixed ? -1 : ev.sizes.findIndex(size => trainedAt.some(t => t !== size));
        if (listed >= 0) {
            accept('error', `evaluating at size ${ev.sizes[listed]} while training at size ${trainedAt.join(', ')}: ${advice}`, {
                node: ev,
                property: 'sizes',
                index: listed,
                code: DiagnosticCodes.EvaluateSizeMismatch,
                data,
            });
        } else if (other && ev.sizes.length === 0 && other !== learned) {
            const size = resolveOperation(other).size;
            if (trainedAt.some(t => t !== size)) {
                accept(
                    'error',
                    `${other.name} has size ${size} but ${learned.name} is learned at size ${trainedAt.join(', ')}: ${advice} ` +
                        `(or evaluate on an operation of size ${trainedAt[0]})`,
                    {
                        node: ev,
                        property: 'operation',
                        code: DiagnosticCodes.EvaluateSizeMismatch,
                        data,
                    },
                );
            }
        }
    }
}
