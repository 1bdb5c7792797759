// The one rendering of an ExperimentPlan for people: markdown (aligned, so it also reads as plain text) for
// "Show Compiled Graph" in the editor and `emn train --plan` on the command line.
import { formatBytes, formatDistribution, formatNumber, formatPercent, formatPoint, plural } from '../format-numbers.js';
import { markdownTable, type Align } from '../format-tables.js';
import { learnedMapReason } from './fixed-matrix.js';
import { isSweep, type CompiledPlan, type ExperimentPlan, type LayerPlan } from './plan-types.js';

/** Markdown of a compiled experiment: its plan, or with a sweep a heading per point and its plan below it. */
export function renderPlan(plan: ExperimentPlan): string {
    if (!isSweep(plan.points)) return renderCompiledPlan(plan.points[0].plan, '#');
    const first = plan.points[0].plan;
    return [
        `# ${plan.experiment}: ${plan.points.length} sweep points of ${first.operation.name} learned by ${first.network.name}`,
        '',
        ...plan.points.flatMap(p => [`## ${formatPoint(p.params)}`, '', renderCompiledPlan(p.plan, '###')]),
    ].join('\n');
}

function operationLine(op: CompiledPlan['operation']): string {
    const normalized = op.normalize ? `, normalize ${op.normalize}` : '';
    if (op.matrix) {
        const m = op.matrix;
        return `- operation: A = "${m.file}" (fixed: n = ${op.n}, ${m.values.length} non-zero entries, sha256 ${m.sha256.slice(0, 12)})${normalized}, vectors ${formatDistribution(op.vectors)}`;
    }
    return (
        `- operation: n = ${op.n}, sparsity ${formatNumber(op.sparsity)}, entries ${formatDistribution(op.entries)}${normalized}, vectors ${formatDistribution(op.vectors)}` +
        (op.rank !== undefined ? `, rank ${op.rank} (A = U V^T / sqrt(${op.rank}))` : '')
    );
}

function renderCompiledPlan(plan: CompiledPlan, heading: string): string {
    const net = plan.network;
    const op = plan.operation;
    const lines = [
        `${heading} ${plan.experiment}: ${op.name} (y = ${op.target}) learned by ${net.name}`,
        '',
        operationLine(op),
        `- network: ${networkLine(plan)}`,
        `- parameters (${net.architecture ?? 'emn'}): **${plan.parameterCount.toLocaleString('en-US')}** (active per sample ≈ ${Math.round(plan.activeEdgeCount).toLocaleString('en-US')})`,
        `- memory per step ≈ ${formatBytes(plan.memoryEstimateBytes)}`,
        `- training: ${plan.steps} steps, batch ${plan.batch}, ${optimizer(plan)}, schedule ${schedule(plan)}${plan.stopBelowMse !== undefined ? `, stop when mse < ${formatNumber(plan.stopBelowMse)}` : ''}, seed ${plan.seeds.spec}`,
        `- path weights E: ${pathWeightsLine(plan)}`,
        `- learned map M: ${learnedMapLine(plan)}`,
        `- evaluations: ${plan.evaluations.map(e => `${e.samples} samples on ${e.on}`).join('; ') || 'none'}`,
        '',
        `${heading}# Layers`,
        '',
        ...markdownTable(
            ['layer', 'kind', 'in', 'out', 'weight shape', 'parameters', 'structural density', 'active density', 'activation'],
            plan.layers.map(layerRow),
            LAYER_COLUMNS,
        ),
        '',
        ...DENSITY_LEGEND,
        '',
        `${heading}# Connectivity`,
        '',
        ...plan.layers.map(l => `- **${l.name}** ${shape(l.inputShape)} → ${shape(l.outputShape)}: ${l.connectivity}`),
        '',
    ];
    return lines.join('\n');
}

/** What the density columns mean: a masked layer with skips has more weights than a fully connected one (over 100%). */
const DENSITY_LEGEND = [
    "structural density: the layer's weights / those of a fully connected layer with the same inputs and outputs (skip weights come on top, so it can pass 100%);" +
        ' active density: the expected share of them that carries signal for one sample (a weight gated by a zero of A carries none).',
];

/** The layer table's counts and densities right, its names and shapes left. */
const LAYER_COLUMNS: Align[] = ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'left'];

function shape(s: number[]): string {
    return `[${s.join(', ')}]`;
}

function layerRow(l: LayerPlan): string[] {
    const extra = l.skipShape ? ` + skip ${shape(l.skipShape)}` : l.biasShape ? ` + bias ${shape(l.biasShape)}` : '';
    const weight = shape(l.weightShape) + extra;
    return [
        l.name,
        `${l.kind}${l.gatedByA ? ' (gated by A)' : ''}`,
        shape(l.inputShape),
        shape(l.outputShape),
        weight,
        l.parameters.toLocaleString('en-US'),
        formatPercent(l.structuralDensity),
        formatPercent(l.activeDensity),
        l.activation,
    ];
}

function networkLine(plan: CompiledPlan): string {
    const net = plan.network;
    if (net.architecture === 'mlp') {
        const n = plan.operation.n;
        return `architecture mlp, hidden [${(net.hidden ?? []).join(', ')}], activation ${net.activation} (on [vec(A), x]: ${n * n + n} inputs, with biases)`;
    }
    return (
        `width ${net.width}, depth ${net.depth}, masking ${net.masking}, pruning ${net.pruning}, activation ${net.activation}` +
        `${net.weights === 'shared' ? ', weights shared' : ''}${plan.skipChannels ? ', skip channels' : ''}`
    );
}

function pathWeightsLine(plan: CompiledPlan): string {
    if (plan.network.architecture === 'mlp') return 'undefined (an MLP has no paths through A[i][j])';
    if (plan.pathWeights === 'none') return 'undefined (non-linear or several masking layers)';
    return `${plan.pathWeights}${plan.pathWeightTarget !== undefined ? `, target ${formatNumber(plan.pathWeightTarget)}` : ''}`;
}

function learnedMapLine(plan: CompiledPlan): string {
    const reason = learnedMapReason(plan);
    return reason.planned
        ? 'measured after training (A fixed, no activation), with its singular values and numerical rank'
        : `none: ${reason.why}`;
}

function optimizer(plan: CompiledPlan): string {
    const o = plan.optimizer;
    return o.kind === 'sgd'
        ? `sgd(lr ${formatNumber(o.lr)}, momentum ${formatNumber(o.momentum)})`
        : `adam(lr ${formatNumber(o.lr)}, beta1 ${formatNumber(o.beta1)}, beta2 ${formatNumber(o.beta2)}, epsilon ${formatNumber(o.epsilon)})`;
}

function schedule(plan: CompiledPlan): string {
    const s = plan.schedule;
    if (s.kind === 'joint')
        return s.pool !== undefined ? `joint, pool of ${plural(s.pool, 'matrix', 'matrices')}` : 'joint, fresh A per sample';
    return `metaEpochs ${s.metaEpochs} masks ${s.masks} steps ${s.stepsPerMask} order ${s.order}`;
}
