// Which training kernels run a plan (EMN_KERNELS=simd|fused|ops), decided without loading tfjs.
import type { CompiledPlan } from '../compiler/plan-types.js';

export type KernelMode = 'simd' | 'fused' | 'ops';
const MODES: readonly KernelMode[] = ['simd', 'fused', 'ops'];
/** The tfjs backends the project's own kernels run on. */
export const KERNEL_BACKENDS = ['cpu', 'wasm'] as const;

/** The user's choice (env EMN_KERNELS), overridable per run (TrainOptions.kernels). */
const mode: KernelMode = MODES.find(m => m === process.env.EMN_KERNELS) ?? 'simd';
export function kernelMode(): KernelMode { return mode; }

/** Whether the fused kernels can run this plan on tfjs backend `backend` (else the reference ops graph runs). */
export function fusedAppliesOn(plan: CompiledPlan, requested: KernelMode, backend: string): boolean {
    if (requested === 'ops') return false;
    const nw = plan.network;
    // shared weights run on the tfjs graph (network.ts forwardShared): the fused and SIMD kernels are per-edge only
    return nw.pruning === 'rowwise' && nw.weights !== 'shared' && nw.masking === 1 && !plan.skipChannels
        && (KERNEL_BACKENDS as readonly string[]).includes(backend);
}
