// Compiles a resolved ExperimentSpec into a CompiledPlan: the layers, shapes, connectivity, data, schedule and seeds.
import type { ExperimentSpec, OperationKindSpec, OperationSpec } from '../spec/spec-types.js';
import type { CompiledPlan, LayerPlan, PlanEvaluation, PlanMatrix, PlanOperation, PlanSchedule } from './plan-types.js';
import { normalizeSparse } from '../graphs/normalize.js';
import { deriveSeed } from './seeds.js';
import { MAX_INTERACTION_ORDER } from '../spec/defaults.js';
import { plural } from '../format-numbers.js';
import { compileMlp, mlpStepMemory } from './compile-mlp.js';

/*
 * Parametrisation (ours where docs/method.md leaves a choice; summarised in bench/ENGINE.md):
 *   n = size, w = width, d = depth, k = masking, B = batch. Every hidden layer keeps n clusters of w units.
 *   Masking layer 1 ('masked'), W1 [n, w, n]:     h1[i][c] = act( sum_j A[i][j] W1[i][c][j] x[j]  (+ S1[i][c] x[i]) )
 *   Masking layer m = 2..k ('message-passing'), Wm [n, w, n, w] (own weights per edge (i, j)):
 *                                                 hm[i][c] = act( sum_j A[i][j] sum_c' Wm[i][c][j][c'] h(m-1)[j][c']
 *                                                                 (+ sum_c' Sm[i][c][c'] h(m-1)[i][c']) )
 *   Then d - 1 hidden layers ('pruned' rowwise [n, w, w], or 'dense' [n*w, n*w]) and the output
 *   ('output' rowwise [n, w], or dense [n, n*w]). No biases. `depth` counts the first masking layer,
 *   so the network has k + d - 1 hidden layers and depth keeps its meaning when masking is swept.
 *   Skip channels S (ungated, per cluster) exist iff the target needs a power of A below k: with them the
 *   network can carry x, A x, ..., A^k x in separate units, so sum_p c_p A^p x is exactly representable
 *   (width >= number of powers needed); without them k masking layers compute exactly A^k x-type terms,
 *   which is what the interaction-order test needs (power 2 with masking 1 has an error floor).
 */

export function targetCoefficients(kind: OperationKindSpec): number[] {
    switch (kind.kind) {
        case 'matvec':
            return [0, 1];
        case 'power':
            return Array.from({ length: kind.order + 1 }, (_, p) => (p === kind.order ? 1 : 0));
        case 'polynomial':
            return [...kind.coefficients];
    }
}

/** Powers of A with a non-zero coefficient. */
function targetPowers(coefficients: number[]): number[] {
    return coefficients.flatMap((c, p) => (c !== 0 ? [p] : []));
}

function describeTarget(coefficients: number[]): string {
    const term = (p: number) => (p === 0 ? 'x' : p === 1 ? 'A x' : `A^${p} x`);
    const parts = coefficients.flatMap((c, p) => (c === 0 ? [] : [c === 1 ? term(p) : `${c} ${term(p)}`]));
    return parts.length ? parts.join(' + ') : '0';
}

/** The fixed A of an operation with a matrix file, normalised; throws what is wrong with the file. */
function compileMatrix(op: OperationSpec): PlanMatrix | undefined {
    const source = op.matrix;
    if (!source) return undefined;
    if (!source.matrix || source.sha256 === undefined)
        throw new Error(`${op.name}: ${source.error ?? `matrix "${source.file}" was not read`}`);
    const normalized = normalizeSparse(source.matrix, op.normalize ?? 'none');
    if ('error' in normalized) throw new Error(`${op.name}: matrix "${source.file}": ${normalized.error}`);
    return { file: source.file, sha256: source.sha256, ...normalized.matrix };
}

function compileOperation(op: OperationSpec): PlanOperation {
    const coefficients = targetCoefficients(op.target);
    const matrix = compileMatrix(op);
    if (!matrix && op.normalize === 'symmetric') {
        throw new Error(`${op.name}: normalize symmetric needs a symmetric A, and a randomly drawn A is not: use normalize rows`);
    }
    return {
        name: op.name,
        n: matrix ? matrix.n : op.size,
        // a matrix file's sparsity is its own: the share of zero entries (what the cost model's densities read)
        sparsity: matrix ? 1 - matrix.values.length / (matrix.n * matrix.n) : op.sparsity,
        entries: op.entries,
        vectors: op.vectors,
        ...(op.rank !== undefined && !matrix ? { rank: op.rank } : {}),
        coefficients,
        target: describeTarget(coefficients),
        ...(matrix ? { matrix } : {}),
        ...(op.normalize && op.normalize !== 'none' ? { normalize: op.normalize } : {}),
    };
}

function checkSpec(spec: ExperimentSpec): void {
    const positive = (v: number, what: string) => {
        if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer; got ${v}`);
    };
    positive(spec.operation.size, 'size');
    positive(spec.network.width, 'width');
    positive(spec.network.depth, 'depth');
    const order = (v: number, what: string) => {
        if (!Number.isInteger(v) || v < 1 || v > MAX_INTERACTION_ORDER) {
            throw new Error(`${what} must be an integer from 1 to ${MAX_INTERACTION_ORDER}; got ${v}`);
        }
    };
    order(spec.network.masking, 'masking');
    if (spec.operation.target.kind === 'power') order(spec.operation.target.order, 'power order');
    positive(spec.batch, 'batch');
    positive(spec.steps, 'steps');
    if (!spec.operation.matrix && !(spec.operation.sparsity >= 0 && spec.operation.sparsity < 1)) {
        throw new Error(`sparsity must be in [0, 1); got ${spec.operation.sparsity}`);
    }
    if (spec.schedule.kind === 'metaEpochs') {
        positive(spec.schedule.metaEpochs, 'metaEpochs');
        positive(spec.schedule.masks, 'masks');
        positive(spec.schedule.stepsPerMask, 'steps per mask');
    }
    if (spec.pool !== undefined) positive(spec.pool, 'pool');
    const shared = spec.network.weights === 'shared';
    const mlp = spec.network.architecture === 'mlp';
    if (mlp) for (const h of spec.network.hidden ?? []) positive(h, 'a hidden layer size');
    if (shared && spec.network.pruning === 'none' && !mlp) {
        throw new Error(
            'weights shared needs pruning rowwise: a dense layer (pruning none) connects all n·w units, so its weights depend on n',
        );
    }
    for (const e of spec.evaluations) {
        positive(e.samples, 'evaluation samples');
        const fixed = e.operation?.matrix ?? (e.on === 'pool' ? undefined : spec.operation.matrix);
        if (fixed && e.sizes?.length) {
            throw new Error(
                `evaluation on ${e.operation?.name ?? e.on} cannot be at other sizes: its A is the file ${fixed.file}, of one size`,
            );
        }
        for (const size of e.sizes ?? []) positive(size, 'evaluation size');
        const sizes = e.sizes ?? (e.operation ? [e.operation.size] : []);
        const other = sizes.find(size => size !== spec.operation.size);
        if (mlp && other !== undefined) {
            throw new Error(
                `evaluation on ${e.operation?.name ?? e.on} at size ${other}: an MLP reads n^2 + n inputs, so it runs at its training ` +
                    `size ${spec.operation.size} only`,
            );
        }
        if (!shared && other !== undefined) {
            throw new Error(
                `evaluation on ${e.operation?.name ?? e.on} at size ${other} needs weights shared: the learned network has per-edge weights for ` +
                    `size ${spec.operation.size} only`,
            );
        }
    }
}

/** What every plan has whatever its network: the schedule, the seeds and the evaluations. */
function planBasics(spec: ExperimentSpec): Pick<CompiledPlan, 'schedule' | 'seeds' | 'evaluations'> {
    const schedule: PlanSchedule =
        spec.schedule.kind === 'joint'
            ? { kind: 'joint', steps: spec.steps, ...(spec.pool !== undefined ? { pool: spec.pool } : {}) }
            : { ...spec.schedule, steps: spec.schedule.metaEpochs * spec.schedule.masks * spec.schedule.stepsPerMask };
    return {
        schedule,
        seeds: { spec: spec.seed, weights: deriveSeed(spec.seed, 1), data: deriveSeed(spec.seed, 2), evaluation: deriveSeed(spec.seed, 3) },
        evaluations: compileEvaluations(spec),
    };
}

/** The evaluations of a plan: one per listed size of `at sizes [...]`, the operation resized to it. */
function compileEvaluations(spec: ExperimentSpec): PlanEvaluation[] {
    return spec.evaluations.flatMap(e =>
        (e.sizes ?? [undefined]).map(size => {
            const op = e.operation && size !== undefined ? { ...e.operation, size } : e.operation;
            return {
                on: e.on,
                samples: e.samples,
                ...(size !== undefined ? { size } : {}),
                ...(op ? { operation: compileOperation(op) } : {}),
            };
        }),
    );
}

export function compileExperiment(spec: ExperimentSpec): CompiledPlan {
    checkSpec(spec);
    const operation = compileOperation(spec.operation);
    if (spec.network.architecture === 'mlp') return compileMlp(spec, operation, planBasics(spec));
    const { width: w, depth: d, masking: k, pruning, activation } = spec.network;
    const shared = spec.network.weights === 'shared';
    const n = operation.n;
    if (spec.operation.matrix && spec.pool !== undefined) {
        throw new Error(`pool ${spec.pool}: ${operation.name}'s A is the file ${spec.operation.matrix.file}, the same for every sample`);
    }
    // shared weights: one parameter set for every cluster i and input position j (counts as n = 1 below)
    const pn = shared ? 1 : n;
    const density = 1 - operation.sparsity;
    const skipChannels = targetPowers(operation.coefficients).some(p => p < k);
    const layers: LayerPlan[] = [];

    // masking layer 1: input x [n], each cluster i sees x_j through A[i][j]
    const skip1 = skipChannels ? pn * w : 0;
    layers.push({
        name: 'mask1',
        kind: 'masked',
        inputShape: [n],
        outputShape: [n, w],
        weightShape: [pn, w, pn],
        ...(skipChannels ? { skipShape: [pn, w, 1] } : {}),
        parameters: pn * w * pn + skip1,
        gatedByA: true,
        structuralDensity: (pn * w * pn + skip1) / (n * n * w),
        activeDensity: shared ? 1 : (n * w * n * density + skip1) / (n * w * n + skip1),
        activation,
        connectivity:
            `x[j] -> cluster i through A[i][j] (${n}x${n} edges gated by A, ${plural(w, 'unit')} per cluster` +
            (shared ? ', one weight per unit shared by every i and j)' : ')') +
            (skipChannels ? '; skip x[i] -> cluster i' : ''),
    });
    for (let m = 2; m <= k; m++) {
        const gated = pn * w * pn * w;
        const skip = skipChannels ? pn * w * w : 0;
        layers.push({
            name: `mask${m}`,
            kind: 'message-passing',
            inputShape: [n, w],
            outputShape: [n, w],
            weightShape: [pn, w, pn, w],
            ...(skipChannels ? { skipShape: [pn, w, w] } : {}),
            parameters: gated + skip,
            gatedByA: true,
            structuralDensity: (gated + skip) / (n * w * n * w),
            activeDensity: shared ? 1 : (gated * density + skip) / (gated + skip),
            activation,
            connectivity:
                `cluster j -> cluster i through A[i][j], ${shared ? `one ${w}x${w} weight matrix shared by every edge` : `own ${w}x${w} weights per edge`}` +
                (skipChannels ? '; skip cluster i -> cluster i' : ''),
        });
    }
    for (let l = 2; l <= d; l++) {
        if (pruning === 'rowwise') {
            layers.push({
                name: `hidden${l}`,
                kind: 'pruned',
                inputShape: [n, w],
                outputShape: [n, w],
                weightShape: [pn, w, w],
                parameters: pn * w * w,
                gatedByA: false,
                structuralDensity: pn / (n * n),
                activeDensity: 1,
                activation,
                connectivity: `cluster i -> cluster i only (${w}x${w} ${shared ? 'shared by every cluster' : 'per cluster'})`,
            });
        } else {
            layers.push({
                name: `hidden${l}`,
                kind: 'dense',
                inputShape: [n * w],
                outputShape: [n * w],
                weightShape: [n * w, n * w],
                parameters: n * w * n * w,
                gatedByA: false,
                structuralDensity: 1,
                activeDensity: 1,
                activation,
                connectivity: `all ${n * w} units -> all ${n * w} units`,
            });
        }
    }
    layers.push(
        pruning === 'rowwise'
            ? {
                  name: 'output',
                  kind: 'output',
                  inputShape: [n, w],
                  outputShape: [n],
                  weightShape: [pn, w],
                  parameters: pn * w,
                  gatedByA: false,
                  structuralDensity: pn / (n * n),
                  activeDensity: 1,
                  activation: 'none',
                  connectivity: `cluster i -> y[i] only${shared ? ' (weights shared by every cluster)' : ''}`,
              }
            : {
                  name: 'output',
                  kind: 'output',
                  inputShape: [n * w],
                  outputShape: [n],
                  weightShape: [n, n * w],
                  parameters: n * n * w,
                  gatedByA: false,
                  structuralDensity: 1,
                  activeDensity: 1,
                  activation: 'none',
                  connectivity: `all ${n * w} units -> every y[i]`,
              },
    );

    const parameterCount = layers.reduce((s, l) => s + l.parameters, 0);
    const activeEdgeCount = Math.round(layers.reduce((s, l) => s + l.parameters * l.activeDensity, 0));
    const { schedule, seeds, evaluations } = planBasics(spec);
    const linear = activation === 'none';
    const powers = targetPowers(operation.coefficients);
    const c1Only = powers.length === 1 && powers[0] === 1;

    return {
        format: 'emn-plan',
        version: 1,
        experiment: spec.name,
        operation,
        network: {
            name: spec.network.name,
            width: w,
            depth: d,
            masking: k,
            pruning,
            activation,
            ...(shared ? { weights: 'shared' as const } : {}),
        },
        skipChannels,
        layers,
        optimizer: spec.optimizer,
        batch: spec.batch,
        steps: schedule.steps,
        ...(spec.stopBelowMse !== undefined ? { stopBelowMse: spec.stopBelowMse } : {}),
        schedule,
        seeds,
        evaluations,
        parameterCount,
        activeEdgeCount,
        memoryEstimateBytes: estimateStepMemory(spec, parameterCount, skipChannels),
        pathWeights: linear && k === 1 ? (pruning === 'rowwise' ? 'rowwise' : 'dense') : 'none',
        ...(linear && k === 1 && c1Only ? { pathWeightTarget: operation.coefficients[1] } : {}),
    };
}

/**
 * Bytes of float32 tensors alive in one step: weights + gradients + optimiser slots (1 for SGD, 2 for Adam),
 * the step's inputs (A-scaled x [B, n, n], A again for message passing, targets) and, per hidden layer, its
 * output kept for the backward pass plus its gradient; message passing also holds A (x) h, [B, n, n, w], twice.
 */
export function estimateStepMemory(spec: ExperimentSpec, parameterCount: number, skip: boolean): number {
    if (spec.network.architecture === 'mlp') return mlpStepMemory(spec, parameterCount);
    const n = spec.operation.size,
        w = spec.network.width,
        B = spec.batch,
        k = spec.network.masking;
    const slots = spec.optimizer.kind === 'adam' ? 2 : 1;
    const weights = parameterCount * (2 + slots);
    const inputs = B * n * n * (k > 1 ? 2 : 1) + B * n * 2 + (skip ? B * n : 0);
    const hidden = (k + spec.network.depth - 1) * B * n * w * 2;
    const messages = (k - 1) * B * n * n * w * 2;
    return 4 * (weights + inputs + hidden + messages + B * n * 3);
}
