// Compiles `architecture mlp`: an unstructured feed-forward network on [vec(A), x] (the standard network the paper compares with).
import { NETWORK_DEFAULTS } from '../spec/defaults.js';
import type { ExperimentSpec } from '../spec/spec-types.js';
import type { CompiledPlan, LayerPlan, PlanOperation } from './plan-types.js';

/*
 * The MLP (docs/method.md): input z = [vec(A), x] (n^2 + n numbers, A row-major), hidden layers
 *   h_l = act(W_l h_(l-1) + b_l), W_l [h_l, h_(l-1)], b_l [h_l], l = 1..L,
 * and the output y = W_out h_L + b_out, W_out [n, h_L], b_out [n]. No masking, no pruning: A enters as numbers, so
 * nothing forces output i to read row i of A, and nothing multiplies A by x except what the layers learn.
 */

/** The layers of an MLP with `hidden` sizes for operations of size n. */
export function mlpLayers(n: number, hidden: readonly number[], activation: LayerPlan['activation']): LayerPlan[] {
    const sizes = [n * n + n, ...hidden, n];
    return sizes.slice(1).map((out, l) => {
        const input = sizes[l];
        const last = l === sizes.length - 2;
        return {
            name: last ? 'output' : `layer${l + 1}`,
            kind: 'fully-connected',
            inputShape: [input],
            outputShape: [out],
            weightShape: [out, input],
            biasShape: [out],
            parameters: out * input + out,
            gatedByA: false,
            structuralDensity: 1,
            activeDensity: 1,
            activation: last ? 'none' : activation,
            connectivity:
                l === 0
                    ? `[vec(A), x] (${n}² + ${n} = ${input} inputs) -> all ${out} units, with biases`
                    : `all ${input} units -> all ${out} ${last ? 'outputs y' : 'units'}, with biases`,
        };
    });
}

/** Bytes of one step: weights, gradients, optimiser slots, the batch (A twice: the packed inputs and A x), activations. */
export function mlpStepMemory(spec: ExperimentSpec, parameterCount: number): number {
    const n = spec.operation.size,
        B = spec.batch,
        hidden = spec.network.hidden ?? NETWORK_DEFAULTS.hidden!;
    const slots = spec.optimizer.kind === 'adam' ? 2 : 1;
    const units = hidden.reduce((a, b) => a + b, 0);
    return 4 * (parameterCount * (2 + slots) + 3 * B * (n * n + n) + 2 * B * units + 3 * B * n);
}

/** The plan of an MLP point; `basics` are the schedule, seeds and evaluations every plan has. */
export function compileMlp(
    spec: ExperimentSpec,
    operation: PlanOperation,
    basics: Pick<CompiledPlan, 'schedule' | 'seeds' | 'evaluations'>,
): CompiledPlan {
    const hidden = spec.network.hidden ?? NETWORK_DEFAULTS.hidden!;
    const layers = mlpLayers(operation.n, hidden, spec.network.activation);
    const parameterCount = layers.reduce((s, l) => s + l.parameters, 0);
    return {
        format: 'emn-plan',
        version: 1,
        experiment: spec.name,
        operation,
        network: {
            name: spec.network.name,
            width: spec.network.width,
            depth: hidden.length,
            masking: spec.network.masking,
            pruning: 'none',
            activation: spec.network.activation,
            architecture: 'mlp',
            hidden: [...hidden],
        },
        skipChannels: false,
        layers,
        optimizer: spec.optimizer,
        batch: spec.batch,
        steps: basics.schedule.steps,
        ...(spec.stopBelowMse !== undefined ? { stopBelowMse: spec.stopBelowMse } : {}),
        ...basics,
        parameterCount,
        activeEdgeCount: parameterCount,
        memoryEstimateBytes: mlpStepMemory(spec, parameterCount),
        // E is the EMN's: an MLP has no path through A[i][j] to speak of
        pathWeights: 'none',
    };
}
