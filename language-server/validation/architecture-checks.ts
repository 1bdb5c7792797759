// Checks of `architecture` and `hidden`: what an MLP does not read (EMN-only properties and sweeps), hidden sizes in range.
import type { ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import { EMN_ONLY_PROPERTIES } from '../language-facts.js';
import { findProperty, resolveNetwork } from '../resolve-spec.js';
import { DiagnosticCodes } from './diagnostic-codes.js';
import { rangeData } from './node-text.js';
import { positiveInteger, rangeMessage } from './value-rules.js';

const EMN_ONLY_TYPES: Record<string, keyof typeof EMN_ONLY_PROPERTIES> = {
    WidthProperty: 'width',
    DepthProperty: 'depth',
    MaskingProperty: 'masking',
    PruningProperty: 'pruning',
    WeightsProperty: 'weights',
};

/** The sweep axes of the experiments in this network's file that learn with it. */
function axesLearningWith(net: ast.Network): ast.SweepAxis[] {
    const spec = net.$container as ast.Spec | undefined;
    return (spec?.declarations ?? [])
        .filter((d): d is ast.Experiment => d.$type === 'Experiment')
        .filter(e => findProperty(e.properties, 'LearnProperty')?.network?.ref === net)
        .flatMap(e => e.properties.filter((p): p is ast.SweepProperty => p.$type === 'SweepProperty').flatMap(s => s.axes));
}

/**
 * `architecture mlp` with an EMN-only property: an error on the property saying why an MLP has no use for it.
 * `hidden` on an EMN: a warning (nothing reads it), unless an experiment sweeps the architecture with this network.
 * Hidden sizes: positive integers, each one checked where it is written.
 */
export function checkArchitecture(net: ast.Network, accept: ValidationAcceptor): void {
    const spec = resolveNetwork(net);
    const hidden = findProperty(net.properties, 'HiddenProperty');
    if (spec.architecture === 'mlp') {
        for (const property of net.properties) {
            const keyword = EMN_ONLY_TYPES[property.$type];
            if (keyword) {
                accept('error', `${keyword} is an EMN property: ${EMN_ONLY_PROPERTIES[keyword]}. Remove it, or use architecture emn`, {
                    node: property,
                });
            }
        }
    } else if (hidden && !axesLearningWith(net).some(a => a.parameter === 'architecture')) {
        accept(
            'warning',
            `hidden sets the layers of an MLP, and ${net.name} is an EMN (its layers are width and depth): add architecture mlp, ` +
                'or remove hidden',
            { node: hidden, property: 'sizes', index: 0 },
        );
    }
    hidden?.sizes.forEach((size, index) => {
        if (typeof size === 'number' && !positiveInteger.allows(size)) {
            accept('error', rangeMessage('a hidden layer size', positiveInteger, size), {
                node: hidden,
                property: 'sizes',
                index,
                code: DiagnosticCodes.ValueRange,
                data: rangeData(positiveInteger, size),
            });
        }
    });
}

/** The architectures an experiment's points have: the swept ones, else the network's own. */
function architecturesOf(axes: ast.SweepAxis[], net: ast.Network): string[] {
    const axis = axes.find(a => a.parameter === 'architecture');
    return axis && axis.names.length > 0 ? [...axis.names] : [resolveNetwork(net).architecture ?? 'emn'];
}

/**
 * A sweep of an EMN-only parameter where every point is an MLP (or of `hidden` where every point is an EMN) trains
 * identical points: a warning on the sweep saying so.
 */
export function checkArchitectureSweeps(axes: ast.SweepAxis[], net: ast.Network, accept: ValidationAcceptor): void {
    const architectures = architecturesOf(axes, net);
    for (const axis of axes) {
        const keyword = axis.parameter as keyof typeof EMN_ONLY_PROPERTIES;
        if (keyword in EMN_ONLY_PROPERTIES && !architectures.includes('emn')) {
            accept('warning', `sweep ${keyword} changes nothing in an MLP (${EMN_ONLY_PROPERTIES[keyword]}): every point is the same`, {
                node: axis,
                property: 'parameter',
            });
        }
        if (axis.parameter === 'hidden' && !architectures.includes('mlp')) {
            accept(
                'warning',
                `sweep hidden sets an MLP's layer sizes, and ${net.name} is an EMN: every point is the same (sweep width for an EMN)`,
                { node: axis, property: 'parameter' },
            );
        }
    }
}
