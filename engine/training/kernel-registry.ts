// The training kernels and what each applies to (as tfjs's KernelConfig says what a kernel is for): a point's kernel
// is chosen once, here, from the user's preference, and passed down to the step, the loss and the evaluation.
import type { CompiledPlan } from '../compiler/plan-types.js';
import { simdAvailable } from './simd-kernel.js';
import { freshBinaryStream, layersModuleBytes, simdLayersAvailable } from './simd-layers-kernel.js';
import { simdStream } from './training-data.js';

/**
 * simd: the wasm f32x4 step (simd-kernel.ts), no tfjs; simd-layers: its sibling for k masking layers, skip channels and
 * any target (simd-layers-kernel.ts), no tfjs; fused: the project's own tfjs kernels (fused-ops.ts); ops: the
 * reference tfjs graph (network.ts), which trains every plan.
 */
export type KernelName = 'simd' | 'simd-layers' | 'fused' | 'ops';

/** The wasm32 memory a layers run may take (its module's weights, slots and the batch's kept columns). */
const LAYERS_MAX_BYTES = 2 ** 31;

/** The tfjs backends the project's own kernels run on. */
export const KERNEL_BACKENDS: readonly string[] = ['cpu', 'wasm'];

export interface KernelConfig {
    name: KernelName;
    /** Whether this kernel trains `plan` when tfjs runs on `backend` (the SIMD step uses no tfjs: its backend is what results report). */
    appliesTo(plan: CompiledPlan, backend: string): boolean;
}

/** The rowwise EMN with one masking layer and no skip channels: what the fused and SIMD kernels compute. */
function rowwiseSingleMask(plan: CompiledPlan, backend: string): boolean {
    const nw = plan.network;
    // shared weights run on the tfjs graph (network.ts forwardShared): the fused and SIMD kernels are per-edge only;
    // so does an MLP (network.ts forwardMlp): those kernels compute the EMN's masked layer, which an MLP does not have
    return (
        nw.architecture !== 'mlp' &&
        nw.pruning === 'rowwise' &&
        nw.weights !== 'shared' &&
        nw.masking === 1 &&
        !plan.skipChannels &&
        KERNEL_BACKENDS.includes(backend)
    );
}

/** The EMN (not an MLP) with per-edge weights, any masking and skip channels, rowwise or dense: what emn-layers.wasm computes. */
function perEdgeLayers(plan: CompiledPlan, backend: string): boolean {
    const nw = plan.network;
    return (
        nw.architecture !== 'mlp' &&
        nw.weights !== 'shared' &&
        KERNEL_BACKENDS.includes(backend) &&
        layersModuleBytes(plan) <= LAYERS_MAX_BYTES
    );
}

/**
 * Whether A is what the wasm steps draw themselves, a fresh mask per sample: not a matrix file (one fixed A) and not
 * normalised. Such plans train on the fused kernel or the ops graph, which take the batch TrainingData draws.
 */
function drawnPerSample(plan: CompiledPlan): boolean {
    return plan.operation.matrix === undefined && plan.operation.normalize === undefined;
}

/** In order of preference: a preferred kernel that does not apply falls back to the next. */
const KERNELS: readonly KernelConfig[] = [
    // the module draws the batch itself: only for the streams it can draw (training-data.ts simdStream)
    { name: 'simd', appliesTo: (plan, backend) => rowwiseSingleMask(plan, backend) && simdAvailable() && simdStream(plan) },
    // draws its batch too: fresh binary A and uniform x, any target sum_p c_p A^p x
    {
        name: 'simd-layers',
        appliesTo: (plan, backend) =>
            perEdgeLayers(plan, backend) && freshBinaryStream(plan) && drawnPerSample(plan) && simdLayersAvailable(),
    },
    { name: 'fused', appliesTo: rowwiseSingleMask },
    { name: 'ops', appliesTo: () => true },
];

const NAMES: readonly KernelName[] = KERNELS.map(k => k.name);

/** The kernel that trains `plan`: the preferred one where it applies, else the next one of the registry that does. */
export function chooseKernel(plan: CompiledPlan, preferred: KernelName, backend: string): KernelName {
    const from = NAMES.indexOf(preferred);
    return KERNELS.slice(from).find(k => k.appliesTo(plan, backend))!.name;
}

/** The user's preference, EMN_KERNELS=simd|fused|ops (default simd): read where run options are built, never at import. */
export function kernelPreference(env: NodeJS.ProcessEnv = process.env): KernelName {
    return NAMES.find(n => n === env.EMN_KERNELS) ?? 'simd';
}
