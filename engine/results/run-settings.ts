// What a run was trained with, in the spec's own words, from its ExperimentPlan; and what changed between two runs ("lr 0.05 -> 0.02").
import type { CompiledPlan, ExperimentPlan } from '../compiler/plan-types.js';
import { formatDistribution, formatNumber } from '../format-numbers.js';

/** Setting name (a spec keyword, or keyword + option: "lr", "momentum", "stop when mse <") to its value as the spec writes it. */
export type RunSettings = Record<string, string>;

/** One point's settings. Keys follow the spec's blocks: operation, network, experiment. */
function pointSettings(plan: CompiledPlan): RunSettings {
    const op = plan.operation,
        net = plan.network,
        o = plan.optimizer;
    const s: RunSettings = {
        learn: `${op.name} with ${net.name}`,
        target: op.target,
        size: String(op.n),
        sparsity: formatNumber(op.sparsity),
        entries: formatDistribution(op.entries),
        vectors: formatDistribution(op.vectors),
        ...(op.rank !== undefined ? { rank: String(op.rank) } : {}),
        width: String(net.width),
        depth: String(net.depth),
        masking: String(net.masking),
        pruning: net.pruning,
        activation: net.activation,
        // only when shared: runs kept before `weights` existed were per-edge and say nothing
        ...(net.weights === 'shared' ? { weights: 'shared' } : {}),
        optimizer: o.kind,
        lr: formatNumber(o.lr),
        ...(o.kind === 'sgd'
            ? { momentum: formatNumber(o.momentum) }
            : { beta1: formatNumber(o.beta1), beta2: formatNumber(o.beta2), epsilon: formatNumber(o.epsilon) }),
        batch: String(plan.batch),
        steps: String(plan.steps),
        'stop when mse <': plan.stopBelowMse !== undefined ? formatNumber(plan.stopBelowMse) : 'none',
        schedule:
            plan.schedule.kind === 'joint'
                ? 'joint'
                : `metaEpochs ${plan.schedule.metaEpochs} masks ${plan.schedule.masks} steps ${plan.schedule.stepsPerMask} order ${plan.schedule.order}`,
        seed: String(plan.seeds.spec),
        evaluate: plan.evaluations.map(e => `${e.samples} samples on ${e.on}${e.size !== undefined ? ` at n = ${e.size}` : ''}`).join('; '),
    };
    if (plan.schedule.kind === 'joint' && plan.schedule.pool !== undefined) s.pool = String(plan.schedule.pool);
    return s;
}

/**
 * The settings of a whole experiment: a setting every point shares is one value; a swept one is the list of its
 * values in point order ("[0.01, 0.05]"); `seeds N` shows as `seeds` with the count instead of the list of seeds.
 */
export function planSettings(plan: ExperimentPlan): RunSettings {
    const per = plan.points.map(p => pointSettings(p.plan));
    const keys = [...new Set(per.flatMap(s => Object.keys(s)))];
    const out: RunSettings = {};
    for (const key of keys) {
        const values = [...new Set(per.map(s => s[key] ?? 'none'))];
        out[key] = values.length === 1 ? values[0] : `[${values.join(', ')}]`;
    }
    out.seeds = '1';
    const sweptSeeds = new Set(plan.points.map(p => p.params.seed).filter(s => s !== undefined));
    if (sweptSeeds.size > 1) {
        const settings = new Set(plan.points.map(p => JSON.stringify({ ...p.params, seed: undefined })));
        out.seeds = String(plan.points.length / settings.size);
        out.seed = String(plan.points[0].params.seed);
    }
    return out;
}

export interface SettingChange {
    setting: string;
    /** Absent when the setting did not exist on that side. */
    before?: string;
    after?: string;
}

/** A setting's text with every number in one spelling: runs kept by older versions wrote "1.00e-8" for today's "1e-8". */
function canonical(text: string | undefined): string | undefined {
    return text?.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, m => String(Number(m)));
}

/** The settings that differ (only those), in the order of `before`'s keys then new ones. */
export function settingChanges(before: RunSettings, after: RunSettings): SettingChange[] {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
        .filter(k => canonical(before[k]) !== canonical(after[k]))
        .map(k => ({
            setting: k,
            ...(before[k] !== undefined ? { before: before[k] } : {}),
            ...(after[k] !== undefined ? { after: after[k] } : {}),
        }));
}

/** "lr 0.05 -> 0.02", "seeds (none) -> 10" */
export function describeChange(c: SettingChange): string {
    return `${c.setting} ${c.before ?? '(none)'} -> ${c.after ?? '(none)'}`;
}
