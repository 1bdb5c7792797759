// Markdown of a compiled plan (layers, shapes, densities, parameter count) for "Show compiled graph"; no vscode imports.
import type { CompiledPlan, LayerPlan } from '../language-server/compiler/plan-types.js';

/** Markdown for a plan; a sweep's plans may come as a list of { params, plan }; unknown shapes fall back to JSON. */
export function renderPlan(experiment: string, plan: unknown): string {
    if (isPlan(plan)) return renderCompiledPlan(plan);
    if (Array.isArray(plan) && plan.every(p => isPlan(p?.plan))) {
        const points = plan as { params: Record<string, number>; plan: CompiledPlan }[];
        return [`# ${experiment}: ${points.length} sweep points`, '',
            ...points.flatMap(p => [`## ${Object.entries(p.params).map(([k, v]) => `${k} ${v}`).join(', ')}`, '', renderCompiledPlan(p.plan, '###')])].join('\n');
    }
    return `# ${experiment}\n\n\`\`\`json\n${JSON.stringify(plan, null, 2)}\n\`\`\`\n`;
}

function isPlan(value: unknown): value is CompiledPlan {
    return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'emn-plan';
}

export function renderCompiledPlan(plan: CompiledPlan, heading = '#'): string {
    const net = plan.network;
    const op = plan.operation;
    const lines = [
        `${heading} ${plan.experiment}: ${op.name} (y = ${op.target}) learned by ${net.name}`, '',
        `- operation: n = ${op.n}, sparsity ${op.sparsity}, entries ${distribution(op.entries)}, vectors ${distribution(op.vectors)}`,
        `- network: width ${net.width}, depth ${net.depth}, masking ${net.masking}, pruning ${net.pruning}, activation ${net.activation}${plan.skipChannels ? ', skip channels' : ''}`,
        `- parameters: **${plan.parameterCount.toLocaleString('en-US')}** (active per sample ≈ ${Math.round(plan.activeEdgeCount).toLocaleString('en-US')})`,
        `- memory per step ≈ ${formatBytes(plan.memoryEstimateBytes)}`,
        `- training: ${plan.steps} steps, batch ${plan.batch}, ${optimizer(plan)}, schedule ${schedule(plan)}${plan.stopBelowMse !== undefined ? `, stop when mse < ${plan.stopBelowMse}` : ''}`,
        `- path weights E: ${plan.pathWeights === 'none' ? 'undefined (non-linear or several masking layers)' : `${plan.pathWeights}${plan.pathWeightTarget !== undefined ? `, target ${plan.pathWeightTarget}` : ''}`}`,
        `- evaluations: ${plan.evaluations.map(e => `${e.samples} samples on ${e.on}`).join('; ') || 'none'}`,
        '',
        `${heading}# Layers`, '',
        '| layer | kind | weight shape | parameters | structural density | active density | activation |',
        '|---|---|---|---:|---:|---:|---|',
        ...plan.layers.map(layerRow),
        '',
        `${heading}# Connectivity`, '',
        ...plan.layers.map(l => `- **${l.name}** [${l.inputShape.join(', ')}] → [${l.outputShape.join(', ')}]: ${l.connectivity}`),
        '',
    ];
    return lines.join('\n');
}

function layerRow(l: LayerPlan): string {
    const shape = (s: number[]) => `[${s.join(', ')}]`;
    const weight = l.skipShape ? `${shape(l.weightShape)} + skip ${shape(l.skipShape)}` : shape(l.weightShape);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return `| ${l.name} | ${l.kind}${l.gatedByA ? ' (gated by A)' : ''} | ${weight} | ${l.parameters.toLocaleString('en-US')} | ${pct(l.structuralDensity)} | ${pct(l.activeDensity)} | ${l.activation} |`;
}

function distribution(d: CompiledPlan['operation']['entries']): string {
    switch (d.kind) {
        case 'binary': return 'binary';
        case 'uniform': return `uniform(${d.low}, ${d.high})`;
        case 'normal': return `normal(${d.mean}, ${d.std})`;
    }
}

function optimizer(plan: CompiledPlan): string {
    const o = plan.optimizer;
    return o.kind === 'sgd' ? `sgd(lr ${o.lr}, momentum ${o.momentum})` : `adam(lr ${o.lr}, beta1 ${o.beta1}, beta2 ${o.beta2}, epsilon ${o.epsilon})`;
}

function schedule(plan: CompiledPlan): string {
    const s = plan.schedule;
    if (s.kind === 'joint') return s.pool !== undefined ? `joint, pool ${s.pool}` : 'joint';
    return `metaEpochs ${s.metaEpochs} masks ${s.masks} steps ${s.stepsPerMask} order ${s.order}`;
}

function formatBytes(bytes: number): string {
    const units = ['B', 'KB', 'MB', 'GB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
