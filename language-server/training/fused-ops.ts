// The project's own tfjs kernels for the rowwise EMN (cpu and wasm backends): a forward op with its gradient, and a
// whole SGD/Adam training step as one kernel. EMN_KERNELS=simd (default: the wasm SIMD step of simd-kernel.ts where
// it applies, these kernels for evaluation and elsewhere) | fused (these kernels only) | ops (the reference graph).
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { Activation } from '../spec/spec-types.js';
import { forwardAll, gradientsAll, type OptimizerStep, RowwiseWorkspace, type RowwiseShape, trainStep } from './emn-kernels.js';
import { tf } from './tf.js';

export type KernelMode = 'simd' | 'fused' | 'ops';
const MODES: readonly KernelMode[] = ['simd', 'fused', 'ops'];
const FORWARD = 'EmnRowwiseForward';
const STEP = 'EmnRowwiseTrainStep';
const BACKENDS = ['cpu', 'wasm'] as const;

/** The user's choice (env EMN_KERNELS), overridable per run (TrainOptions.kernels) and by setKernelMode (tests). */
let mode: KernelMode = MODES.find(m => m === process.env.EMN_KERNELS) ?? 'simd';
export function setKernelMode(m: KernelMode): void { mode = m; }
export function kernelMode(): KernelMode { return mode; }

/** Whether the fused kernels can run this plan on the active backend (else the reference ops graph runs). */
export function fusedApplies(plan: CompiledPlan, requested: KernelMode = mode): boolean {
    if (requested === 'ops') return false;
    const nw = plan.network;
    return nw.pruning === 'rowwise' && nw.masking === 1 && !plan.skipChannels
        && (BACKENDS as readonly string[]).includes(tf.getBackend());
}

type TensorInfo = tf.TensorInfo;
/* eslint-disable @typescript-eslint/no-explicit-any -- backend internals (data maps, wasm heap) have no public types */
/** Float32 views of kernel inputs and freshly allocated outputs, for the cpu and wasm backends. */
function backendIo(backend: any, name: string) {
    const wasm = name === 'wasm';
    return {
        alloc(shape: number[]): TensorInfo {
            if (wasm) return backend.makeOutput(shape, 'float32');
            return backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1)));
        },
        // wasm: take views only after every allocation (a malloc may grow, and so detach, the heap)
        view(t: TensorInfo): Float32Array {
            return wasm ? backend.typedArrayFromHeap(t) : backend.data.get(t.dataId).values;
        },
    };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Workspaces are cached per shape: allocation is per run, not per step. */
const workspaces = new Map<string, RowwiseWorkspace>();
function workspace(s: RowwiseShape): RowwiseWorkspace {
    const key = `${s.n},${s.B},${s.w},${s.d},${s.activation}`;
    let ws = workspaces.get(key);
    if (!ws) {
        if (workspaces.size > 16) workspaces.clear();
        workspaces.set(key, (ws = new RowwiseWorkspace(s)));
    }
    return ws;
}

function shapeOf(ax: TensorInfo, weights: number, activation: Activation): RowwiseShape {
    const [n, B] = ax.shape;
    return { n, B, w: 0, d: weights - 1, activation };
}

let registered = false;
/** Registers the kernels and the gradient once (idempotent). */
export function registerFusedKernels(): void {
    if (registered) return;
    registered = true;
    for (const backendName of BACKENDS) {
        tf.registerKernel({
            kernelName: FORWARD, backendName,
            // inputs: [ax, W1, hidden..., Wout]; output yhat [n, B]
            kernelFunc: ({ inputs, backend, attrs }) => {
                const list = Object.values(inputs) as TensorInfo[];
                const io = backendIo(backend, backendName);
                const s = shapeOf(list[0], list.length - 1, (attrs as { activation: Activation }).activation);
                s.w = list[1].shape[2];
                const out = io.alloc([s.n, s.B]);
                const [ax, ...W] = list.map(t => io.view(t));
                forwardAll(workspace(s), ax, W, io.view(out));
                return out;
            },
        });
        tf.registerKernel({
            kernelName: STEP, backendName,
            // inputs: [ax, y, weights..., slots...]; outputs [loss, new weights..., new slots...]
            kernelFunc: ({ inputs, backend, attrs }) => {
                const { weights, optimizer } = attrs as unknown as { weights: number; optimizer: OptimizerStep & { activation: Activation } };
                const list = Object.values(inputs) as TensorInfo[];
                const io = backendIo(backend, backendName);
                const s = shapeOf(list[0], weights, optimizer.activation);
                s.w = list[2].shape[2];
                const outs = [io.alloc([]), ...list.slice(2).map(t => io.alloc(t.shape))];
                const [ax, y, ...rest] = list.map(t => io.view(t));
                const [loss, ...newRest] = outs.map(t => io.view(t));
                loss[0] = trainStep(workspace(s), ax, y, rest.slice(0, weights), rest.slice(weights), newRest.slice(0, weights), newRest.slice(weights), optimizer);
                return outs;
            },
        });
    }
    tf.registerGradient({
        kernelName: FORWARD, saveAllInputs: true,
        gradFunc: (dy, saved, attrs) => {
            // every closure runs in its own tidy, so the gradients are computed once in JS and wrapped per input
            let grads: Float32Array[] | undefined;
            const all = () => grads ??= (() => {
                const [ax, ...W] = saved.map(t => t.dataSync() as Float32Array);
                const s = shapeOf(saved[0], saved.length - 1, (attrs as { activation: Activation }).activation);
                s.w = saved[1].shape[2]!;
                const out = W.map(v => new Float32Array(v.length));
                gradientsAll(workspace(s), ax, W, (dy as tf.Tensor).dataSync() as Float32Array, out);
                return out;
            })();
            const result: Record<string, () => tf.Tensor> = { 0: () => tf.zerosLike(saved[0]) };
            saved.slice(1).forEach((t, p) => { result[p + 1] = () => tf.tensor(all()[p], t.shape); });
            return result;
        },
    });
}

/** yhat [n, B] of the rowwise EMN through the fused forward kernel (differentiable). */
export function emnForward(plan: CompiledPlan, ax: tf.Tensor3D, weights: tf.Tensor[]): tf.Tensor2D {
    registerFusedKernels();
    return tf.engine().runKernel(FORWARD, [ax, ...weights] as unknown as tf.NamedTensorMap,
        { activation: plan.network.activation } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/** One fused training step: returns [loss, new weights..., new slots...] (the caller assigns them). */
export function emnTrainStep(plan: CompiledPlan, ax: tf.Tensor, y: tf.Tensor, weights: tf.Tensor[], slots: tf.Tensor[], opt: OptimizerStep): tf.Tensor[] {
    registerFusedKernels();
    return tf.engine().runKernel(STEP, [ax, y, ...weights, ...slots] as unknown as tf.NamedTensorMap,
        { weights: weights.length, optimizer: { ...opt, activation: plan.network.activation } } as unknown as tf.NamedAttrMap) as tf.Tensor[];
}
