// The .emn language's facts in one place: what each block takes, optimiser options, operation kinds, repeatable and sweepable properties.
import type { OptimizerOptionName, SweepParameter } from './generated/ast.js';
import {
    ADAM_DEFAULTS,
    EXPERIMENT_DEFAULTS,
    NETWORK_DEFAULTS,
    OPERATION_DEFAULTS,
    SGD_DEFAULTS,
    SWEEP_PARAMETERS as ENGINE_SWEEP_PARAMETERS,
} from '../engine/view.js';

/** The declarations a file holds, by keyword. */
export const DECLARATION_KEYWORDS = ['operation', 'network', 'experiment'] as const;
export type DeclarationKeyword = (typeof DECLARATION_KEYWORDS)[number];

/** "an operation", "a network", "an experiment". */
export function withArticle(keyword: string): string {
    return `${/^[aeiou]/.test(keyword) ? 'an' : 'a'} ${keyword}`;
}

/** The properties each block takes, by the keyword that starts them, in the order the docs list them. */
export const BLOCK_PROPERTIES: Record<DeclarationKeyword, readonly string[]> = {
    operation: ['matvec', 'power', 'polynomial', 'size', 'sparsity', 'entries', 'vectors', 'rank', 'matrix', 'normalize'],
    network: ['width', 'depth', 'masking', 'pruning', 'activation', 'weights', 'architecture', 'hidden'],
    experiment: ['learn', 'optimizer', 'batch', 'steps', 'stop', 'schedule', 'seed', 'seeds', 'pool', 'evaluate', 'sweep'],
};

/** How a block's properties read in a message: "matvec | power | polynomial, size, sparsity, entries, vectors". */
export function describeBlock(keyword: DeclarationKeyword): string {
    const properties = BLOCK_PROPERTIES[keyword];
    return keyword === 'operation' ? `matvec | power | polynomial, ${properties.slice(3).join(', ')}` : properties.join(', ');
}

/** The operation kinds: one property spelt three ways. */
export const KIND_TYPES: ReadonlySet<string> = new Set(['MatvecKind', 'PowerKind', 'PolynomialKind']);

/**
 * The network properties only an EMN reads, with why an MLP has no use for them (`architecture mlp` is a plain
 * feed-forward network on [vec(A), x]: A enters as input numbers, so nothing is masked, pruned or clustered).
 */
export const EMN_ONLY_PROPERTIES: Record<'width' | 'depth' | 'masking' | 'pruning' | 'weights', string> = {
    width: 'an MLP has no row clusters; its layer sizes are `hidden [...]`',
    depth: 'an MLP has one hidden layer per entry of `hidden [...]`',
    masking: 'an MLP reads A as n^2 input numbers; no layer aggregates through the edges of A',
    pruning: 'an MLP is fully connected; nothing is pruned',
    weights: 'an MLP has one weight per connection of its layers; nothing is shared across rows or positions of A',
};

/** Properties that may appear more than once in a declaration. */
export const REPEATABLE: ReadonlySet<string> = new Set(['EvaluateProperty', 'SweepProperty']);

/** The options each optimiser takes. */
export const OPTIMIZER_OPTIONS: Record<'SgdOptimizer' | 'AdamOptimizer', { name: string; options: OptimizerOptionName[] }> = {
    SgdOptimizer: { name: 'sgd', options: ['lr', 'momentum'] },
    AdamOptimizer: { name: 'adam', options: ['lr', 'beta1', 'beta2', 'epsilon'] },
};

/** Other names people give the optimiser options (other libraries' words), for "did you mean `lr`?". */
export const OPTION_SYNONYMS: Record<string, OptimizerOptionName> = {
    learning_rate: 'lr',
    learningrate: 'lr',
    rate: 'lr',
    eta: 'lr',
    alpha: 'lr',
    step_size: 'lr',
    stepsize: 'lr',
    mu: 'momentum',
    mom: 'momentum',
    beta: 'momentum',
    beta_1: 'beta1',
    b1: 'beta1',
    beta_2: 'beta2',
    b2: 'beta2',
    eps: 'epsilon',
};

/** The parameters a sweep may vary (the grammar's SweepParameter); order, activation and pruning take names. */
export const SWEEP_PARAMETERS: readonly SweepParameter[] = ENGINE_SWEEP_PARAMETERS;

/** The value forms each keyword-valued property takes, for "entries takes ..." messages. */
export const VALUE_FORMS: Record<string, string> = {
    entries: 'binary, uniform(a, b) or normal(mu, sigma)',
    vectors: 'uniform(a, b) or normal(mu, sigma)',
    optimizer: 'sgd(lr 0.05, momentum 0.9) or adam(lr 0.01)',
    schedule: 'joint or metaEpochs M masks K steps E',
    pruning: 'rowwise or none',
    activation: 'none, relu or tanh',
    weights: 'per-edge or shared',
    architecture: 'emn or mlp',
    order: 'fixed, shuffled or sparsity',
    normalize: 'none, rows or symmetric',
};

/**
 * Experiment properties the metaEpochs schedule ignores, with what to use instead: its own
 * `steps E` (per mask) and `masks K` (the pool) replace them.
 */
export const IGNORED_UNDER_META_EPOCHS: Record<'steps' | 'pool', string> = {
    steps: 'metaEpochs trains M x K x E steps (its own `steps E` per mask); set E in the schedule instead',
    pool: 'metaEpochs trains on its own pool of `masks K`; set K in the schedule instead',
};

/** What a name may be, for messages about names. */
export const NAME_RULE = 'A name starts with an ASCII letter (a-z, A-Z) or _ and goes on with letters, digits or _, e.g. Matvec20.';

/** Whether a name follows NAME_RULE (the lexer also accepts other letters, so the validator can say this). */
export function isAsciiName(name: string): boolean {
    return /^[_a-zA-Z]\w*$/.test(name);
}

/** Every keyword of the language, which a name cannot be. */
export const KEYWORDS: ReadonlySet<string> = new Set([
    'import',
    ...DECLARATION_KEYWORDS,
    ...BLOCK_PROPERTIES.operation,
    ...BLOCK_PROPERTIES.network,
    ...BLOCK_PROPERTIES.experiment,
    'binary',
    'uniform',
    'normal',
    'rowwise',
    'none',
    'relu',
    'tanh',
    'emn',
    'mlp',
    'with',
    'sgd',
    'adam',
    'lr',
    'momentum',
    'beta1',
    'beta2',
    'epsilon',
    'when',
    'mse',
    'joint',
    'metaEpochs',
    'masks',
    'order',
    'fixed',
    'shuffled',
    'samples',
    'on',
    'rows',
    'symmetric',
]);

/** The number a property takes by default (or a sensible first value), as text, for "missing value" fixes. */
export function defaultNumberText(ruleName: string, keyword: string): string | undefined {
    const byRule: Record<string, number | undefined> = {
        SizeProperty: OPERATION_DEFAULTS.size,
        SparsityProperty: OPERATION_DEFAULTS.sparsity,
        WidthProperty: NETWORK_DEFAULTS.width,
        DepthProperty: NETWORK_DEFAULTS.depth,
        MaskingProperty: NETWORK_DEFAULTS.masking,
        BatchProperty: EXPERIMENT_DEFAULTS.batch,
        StepsProperty: EXPERIMENT_DEFAULTS.steps,
        SeedProperty: EXPERIMENT_DEFAULTS.seed,
        SeedsProperty: 10,
        EvaluateProperty: EXPERIMENT_DEFAULTS.evaluationSamples,
        PowerKind: 2,
        PoolProperty: 64,
        RankProperty: 2,
    };
    const byKeyword: Record<string, number> = { ...ADAM_DEFAULTS, ...SGD_DEFAULTS, metaEpochs: 5, masks: 64, steps: 40 };
    const value = ruleName === 'OptimizerOption' || ruleName === 'MetaEpochSchedule' ? byKeyword[keyword] : byRule[ruleName];
    return value === undefined ? undefined : String(value);
}
