// One-line summaries of declarations with every value resolved (defaults included), for hovers and completion details.
import type * as ast from '../generated/ast.js';
import {
    EXPERIMENT_DEFAULTS,
    formatBytes,
    formatDistribution,
    formatDuration,
    formatNumber,
    formatSweepValue,
    NETWORK_DEFAULTS,
    OPERATION_DEFAULTS,
} from '../../engine/view.js';
import { resolveExperiment, resolveNetwork, resolveOperation } from '../resolve-spec.js';
import type { OperationKindSpec, OptimizerSpec, ScheduleSpec } from '../../engine/view.js';
import { estimateCost } from '../../engine/index.js';

function formatKind(k: OperationKindSpec): string {
    switch (k.kind) {
        case 'matvec':
            return 'matvec';
        case 'power':
            return `power ${formatNumber(k.order)}`;
        case 'polynomial':
            return `polynomial [${k.coefficients.map(formatNumber).join(', ')}]`;
    }
}

function formatOptimizer(o: OptimizerSpec): string {
    const options = Object.entries(o)
        .filter(([key]) => key !== 'kind')
        .map(([key, v]) => `${key} ${formatNumber(v as number)}`);
    return `${o.kind}(${options.join(', ')})`;
}

function formatSchedule(s: ScheduleSpec): string {
    return s.kind === 'joint' ? 'joint' : `metaEpochs ${s.metaEpochs} masks ${s.masks} steps ${s.stepsPerMask} order ${s.order}`;
}

/** Names of the properties a declaration leaves to their defaults (keywords, in grammar order). */
function omitted(present: Set<string>, all: Record<string, string>): string[] {
    return Object.entries(all)
        .filter(([type]) => !present.has(type))
        .map(([, keyword]) => keyword);
}

function defaultsLine(names: string[]): string {
    return names.length > 0 ? `\n\nDefaults used: ${names.join(', ')}.` : '';
}

const OPERATION_PROPERTIES = { SizeProperty: 'size', SparsityProperty: 'sparsity', EntriesProperty: 'entries', VectorsProperty: 'vectors' };
const NETWORK_PROPERTIES = {
    WidthProperty: 'width',
    DepthProperty: 'depth',
    MaskingProperty: 'masking',
    PruningProperty: 'pruning',
    ActivationProperty: 'activation',
    WeightsProperty: 'weights',
};
/** The properties a network reads: an MLP only `hidden` and `activation` (and its architecture). */
function networkProperties(net: ast.Network): Record<string, string> {
    if (resolveNetwork(net).architecture !== 'mlp') return NETWORK_PROPERTIES;
    return { ActivationProperty: 'activation', ArchitectureProperty: 'architecture', HiddenProperty: 'hidden' };
}
const EXPERIMENT_PROPERTIES = {
    OptimizerProperty: 'optimizer',
    BatchProperty: 'batch',
    StepsProperty: 'steps',
    ScheduleProperty: 'schedule',
    SeedProperty: 'seed',
    EvaluateProperty: 'evaluate',
};

/** "operation Matvec20: matvec, n = 20, sparsity 0.5, entries binary, vectors uniform(-1, 1)" */
function operationSummary(op: ast.Operation): string {
    const o = resolveOperation(op);
    const normalized = o.normalize ? `, normalize ${o.normalize}` : '';
    if (o.matrix) {
        // a fixed A: the file says the size and the edges; sparsity and entries do not apply
        const m = o.matrix.matrix;
        const what = m ? `n = ${formatNumber(m.n)}, ${formatNumber(m.values.length)} non-zero entries` : 'not read';
        return `operation ${o.name}: ${formatKind(o.target)}, A = "${o.matrix.file}" (${what})${normalized}, vectors ${formatDistribution(o.vectors)}`;
    }
    return (
        `operation ${o.name}: ${formatKind(o.target)}, n = ${formatNumber(o.size)}, sparsity ${formatNumber(o.sparsity)}, ` +
        `entries ${formatDistribution(o.entries)}${normalized}, vectors ${formatDistribution(o.vectors)}`
    );
}

/** "network Emn: width 4, depth 2, masking 1, pruning rowwise, activation none" */
function networkSummary(net: ast.Network): string {
    const n = resolveNetwork(net);
    if (n.architecture === 'mlp') {
        const hidden = n.hidden ?? NETWORK_DEFAULTS.hidden!;
        return `network ${n.name}: architecture mlp, hidden [${hidden.map(formatNumber).join(', ')}], activation ${n.activation}`;
    }
    return (
        `network ${n.name}: width ${formatNumber(n.width)}, depth ${formatNumber(n.depth)}, masking ${formatNumber(n.masking)}, ` +
        `pruning ${n.pruning}, activation ${n.activation}, weights ${n.weights ?? 'per-edge'}`
    );
}

/** The experiment with its resolved optimiser, schedule, evaluations and a cost estimate; undefined without a resolved `learn`. */
function experimentSummary(exp: ast.Experiment): string | undefined {
    const e = resolveExperiment(exp);
    if (!e) return undefined;
    const parts = [
        `learn ${e.operation.name} with ${e.network.name}`,
        `optimizer ${formatOptimizer(e.optimizer)}`,
        `batch ${formatNumber(e.batch)}`,
        `steps ${formatNumber(e.steps)}`,
        ...(e.stopBelowMse !== undefined ? [`stop when mse < ${formatNumber(e.stopBelowMse)}`] : []),
        `schedule ${formatSchedule(e.schedule)}`,
        `seed ${formatNumber(e.seed)}`,
        ...(e.pool !== undefined ? [`pool ${formatNumber(e.pool)}`] : []),
        ...e.evaluations.map(v => `evaluate ${formatNumber(v.samples)} samples on ${v.on}`),
        ...(e.sweep.length > 0
            ? [`sweep ${e.sweep.map(a => `${a.parameter} [${a.values.map(formatSweepValue).join(', ')}]`).join(', ')}`]
            : []),
    ];
    let text = `experiment ${e.name}: ${parts.join(', ')}`;
    const cost = estimateCost(e);
    if (Number.isFinite(cost.seconds) && Number.isFinite(cost.bytesPerStep)) {
        text +=
            `\n\nEstimate: ${cost.parameters.toLocaleString('en-US')} parameters, about ${formatBytes(cost.bytesPerStep)} per step, ` +
            `about ${formatDuration(cost.seconds)} of training (the step rates measured per kernel).`;
    }
    return text;
}

/** Markdown for a declaration: the summary in a code block plus the properties left to defaults. */
export function declarationSummary(decl: ast.Declaration): string | undefined {
    if (!decl.name) return undefined; // a declaration still being typed has no summary
    const present = new Set<string>(decl.properties.map(p => p.$type));
    switch (decl.$type) {
        case 'Operation':
            return '```emn\n' + operationSummary(decl) + '\n```' + defaultsLine(omitted(present, OPERATION_PROPERTIES));
        case 'Network':
            return '```emn\n' + networkSummary(decl) + '\n```' + defaultsLine(omitted(present, networkProperties(decl)));
        case 'Experiment': {
            const text = experimentSummary(decl);
            if (!text) return undefined;
            const [line, ...rest] = text.split('\n\n');
            return (
                '```emn\n' +
                line +
                '\n```' +
                (rest.length ? '\n\n' + rest.join('\n\n') : '') +
                defaultsLine(omitted(present, EXPERIMENT_PROPERTIES))
            );
        }
    }
}

/** The value a property takes where it is omitted, as spec text (for keyword hovers). */
export function defaultValueText(propertyType: string): string | undefined {
    switch (propertyType) {
        case 'SizeProperty':
            return String(OPERATION_DEFAULTS.size);
        case 'SparsityProperty':
            return String(OPERATION_DEFAULTS.sparsity);
        case 'EntriesProperty':
            return formatDistribution(OPERATION_DEFAULTS.entries);
        case 'VectorsProperty':
            return formatDistribution(OPERATION_DEFAULTS.vectors);
        case 'WidthProperty':
            return String(NETWORK_DEFAULTS.width);
        case 'DepthProperty':
            return String(NETWORK_DEFAULTS.depth);
        case 'MaskingProperty':
            return String(NETWORK_DEFAULTS.masking);
        case 'PruningProperty':
            return NETWORK_DEFAULTS.pruning;
        case 'ActivationProperty':
            return NETWORK_DEFAULTS.activation;
        case 'WeightsProperty':
            return NETWORK_DEFAULTS.weights;
        case 'ArchitectureProperty':
            return NETWORK_DEFAULTS.architecture;
        case 'HiddenProperty':
            return `[${NETWORK_DEFAULTS.hidden!.join(', ')}]`;
        case 'OptimizerProperty':
            return formatOptimizer(EXPERIMENT_DEFAULTS.optimizer);
        case 'BatchProperty':
            return String(EXPERIMENT_DEFAULTS.batch);
        case 'StepsProperty':
            return String(EXPERIMENT_DEFAULTS.steps);
        case 'ScheduleProperty':
            return formatSchedule(EXPERIMENT_DEFAULTS.schedule);
        case 'SeedProperty':
            return String(EXPERIMENT_DEFAULTS.seed);
        case 'EvaluateProperty':
            return `${EXPERIMENT_DEFAULTS.evaluationSamples} samples`;
        case 'StopProperty':
            return 'no early stop';
        case 'PoolProperty':
            return 'a fresh A for every sample';
        default:
            return undefined;
    }
}
