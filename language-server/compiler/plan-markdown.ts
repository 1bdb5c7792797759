// The one rendering of an ExperimentPlan for people: markdown (aligned, so it also reads as plain text) for
// "Show Compiled Graph" in the editor and `emn train --plan` on the command line.
import { formatBytes, formatNumber } from '../format-numbers.js';
import { pointName } from '../results/failure-policy.js';
import { isSweep, type CompiledPlan, type ExperimentPlan, type LayerPlan } from './plan-types.js';

/** Markdown of a compiled experiment: its plan, or with a sweep a heading per point and its plan below it. */
export function renderPlan(plan: ExperimentPlan): string {
    if (!isSweep(plan.points)) return renderCompiledPlan(plan.points[0].plan, '#');
    const first = plan.points[0].plan;
    return [
        `# ${plan.experiment}: ${plan.points.length} sweep points of ${first.operation.name} learned by ${first.network.name}`, '',
        ...plan.points.flatMap(p => [`## ${pointName(p.params)}`, '', renderCompiledPlan(p.plan, '###')]),
    ].join('\n');
}

function renderCompiledPlan(plan: CompiledPlan, heading: string): string {
    const net = plan.network;
    const op = plan.operation;
    const lines = [
        `${heading} ${plan.experiment}: ${op.name} (y = ${op.target}) learned by ${net.name}`, '',
        `- operation: n = ${op.n}, sparsity ${formatNumber(op.sparsity)}, entries ${distribution(op.entries)}, vectors ${distribution(op.vectors)}`,
        `- network: width ${net.width}, depth ${net.depth}, masking ${net.masking}, pruning ${net.pruning}, activation ${net.activation}${plan.skipChannels ? ', skip channels' : ''}`,
        `- parameters: **${plan.parameterCount.toLocaleString('en-US')}** (active per sample ≈ ${Math.round(plan.activeEdgeCount).toLocaleString('en-US')})`,
        `- memory per step ≈ ${formatBytes(plan.memoryEstimateBytes)}`,
        `- training: ${plan.steps} steps, batch ${plan.batch}, ${optimizer(plan)}, schedule ${schedule(plan)}${plan.stopBelowMse !== undefined ? `, stop when mse < ${formatNumber(plan.stopBelowMse)}` : ''}, seed ${plan.seeds.spec}`,
        `- path weights E: ${plan.pathWeights === 'none' ? 'undefined (non-linear or several masking layers)' : `${plan.pathWeights}${plan.pathWeightTarget !== undefined ? `, target ${formatNumber(plan.pathWeightTarget)}` : ''}`}`,
        `- evaluations: ${plan.evaluations.map(e => `${e.samples} samples on ${e.on}`).join('; ') || 'none'}`,
        '',
        `${heading}# Layers`, '',
        ...markdownTable(
            ['layer', 'kind', 'in', 'out', 'weight shape', 'parameters', 'structural density', 'active density', 'activation'],
            [false, false, false, false, false, true, true, true, false],
            plan.layers.map(layerRow)),
        '',
        // density and active are not obvious: a masked layer with skip weights can exceed 100%
        '*structural density*: the layer\'s weights / those of a fully connected layer with the same inputs and outputs '
            + '(skip weights come on top, so a layer with skips can exceed 100%); '
            + '*active density*: the expected fraction of its weights that carry signal for one sample (a weight gated by a zero of A carries none).',
        '',
        `${heading}# Connectivity`, '',
        ...plan.layers.map(l => `- **${l.name}** ${shape(l.inputShape)} → ${shape(l.outputShape)}: ${l.connectivity}`),
        '',
    ];
    return lines.join('\n');
}

/** A markdown table with its columns padded to one width, so that it reads in a terminal as well as rendered. */
function markdownTable(header: string[], rightAligned: boolean[], rows: string[][]): string[] {
    const widths = header.map((h, c) => Math.max(h.length, 3, ...rows.map(r => r[c].length)));
    const line = (cells: string[]) => `| ${cells.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
    const rule = `|${widths.map((w, c) => (rightAligned[c] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
    return [line(header), rule, ...rows.map(line)];
}

function shape(s: number[]): string {
    return `[${s.join(', ')}]`;
}

function layerRow(l: LayerPlan): string[] {
    const weight = l.skipShape ? `${shape(l.weightShape)} + skip ${shape(l.skipShape)}` : shape(l.weightShape);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return [l.name, `${l.kind}${l.gatedByA ? ' (gated by A)' : ''}`, shape(l.inputShape), shape(l.outputShape), weight,
        l.parameters.toLocaleString('en-US'), pct(l.structuralDensity), pct(l.activeDensity), l.activation];
}

function distribution(d: CompiledPlan['operation']['entries']): string {
    switch (d.kind) {
        case 'binary': return 'binary';
        case 'uniform': return `uniform(${formatNumber(d.low)}, ${formatNumber(d.high)})`;
        case 'normal': return `normal(${formatNumber(d.mean)}, ${formatNumber(d.std)})`;
    }
}

function optimizer(plan: CompiledPlan): string {
    const o = plan.optimizer;
    return o.kind === 'sgd' ? `sgd(lr ${formatNumber(o.lr)}, momentum ${formatNumber(o.momentum)})`
        : `adam(lr ${formatNumber(o.lr)}, beta1 ${formatNumber(o.beta1)}, beta2 ${formatNumber(o.beta2)}, epsilon ${formatNumber(o.epsilon)})`;
}

function schedule(plan: CompiledPlan): string {
    const s = plan.schedule;
    if (s.kind === 'joint') return s.pool !== undefined ? `joint, pool of ${s.pool} matrices` : 'joint, fresh A per sample';
    return `metaEpochs ${s.metaEpochs} masks ${s.masks} steps ${s.stepsPerMask} order ${s.order}`;
}
