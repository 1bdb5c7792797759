// The project's own tfjs kernels for the rowwise EMN (cpu and wasm backends): a forward op with its gradient, and a
// whole SGD/Adam training step as one kernel: the registry's `fused` kernel (kernel-registry.ts), also the tfjs
// evaluation of points the SIMD step trained.
import type { CompiledPlan } from '../compiler/plan-types.js';
import type { Activation } from '../spec/spec-types.js';
import { forwardAll, gradientsAll, type OptimizerStep, RowwiseWorkspace, type RowwiseShape, trainStep } from './emn-kernels.js';
import { KERNEL_BACKENDS } from './kernel-registry.js';
import { tf } from './tf.js';

const FORWARD = 'EmnRowwiseForward';
const STEP = 'EmnRowwiseTrainStep';

type TensorInfo = tf.TensorInfo;

/** The parts of the cpu and wasm backends the kernels use (their data maps and the wasm heap are not public API). */
interface CpuBackendData {
    data: { get(id: object): { values: unknown } };
    makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
interface WasmBackendHeap {
    makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
    typedArrayFromHeap(t: TensorInfo): unknown;
}
const isWasm = (b: object): b is WasmBackendHeap => 'makeOutput' in b && 'typedArrayFromHeap' in b;
const isCpu = (b: object): b is CpuBackendData => 'data' in b && 'makeTensorInfo' in b;

function float32(v: unknown): Float32Array {
    if (!(v instanceof Float32Array)) throw new Error('EMN kernels: expected float32 tensor data');
    return v;
}

/** Float32 views of kernel inputs and freshly allocated outputs, for the cpu and wasm backends. */
function backendIo(backend: object) {
    if (isWasm(backend))
        return {
            alloc: (shape: number[]): TensorInfo => backend.makeOutput(shape, 'float32'),
            // take views only after every allocation (a malloc may grow, and so detach, the heap)
            view: (t: TensorInfo): Float32Array => float32(backend.typedArrayFromHeap(t)),
        };
    if (isCpu(backend))
        return {
            alloc: (shape: number[]): TensorInfo =>
                backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1))),
            view: (t: TensorInfo): Float32Array => float32(backend.data.get(t.dataId).values),
        };
    throw new Error('EMN kernels run on the cpu and wasm backends only');
}

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

/** Inputs are named: ax (and y for the step), w0..wd (W1, hidden..., output), then s0.. (optimiser slots, weight order). */
const weightKey = (p: number) => `w${p}`,
    slotKey = (k: number) => `s${k}`;

/** Attributes of EmnRowwiseForward. */
export type EmnForwardAttrs = { activation: Activation; weights: number };
/** Attributes of EmnRowwiseTrainStep: the optimiser's update at this step (optimizer.ts fusedOptimizer). */
export type EmnTrainStepAttrs = { activation: Activation; weights: number; slots: number; optimizer: OptimizerStep };

const isActivation = (v: unknown): v is Activation => v === 'none' || v === 'relu' || v === 'tanh';
const isAttrMap = (v: unknown): v is tf.NamedAttrMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRank2 = (t: tf.Tensor): t is tf.Tensor2D => t.rank === 2;

function forwardAttrs(attrs: tf.NamedAttrMap | undefined): EmnForwardAttrs {
    const activation = attrs?.activation,
        weights = attrs?.weights;
    if (!isActivation(activation) || typeof weights !== 'number') throw new Error(`${FORWARD}: bad attributes`);
    return { activation, weights };
}

function stepAttrs(attrs: tf.NamedAttrMap | undefined): EmnTrainStepAttrs {
    const { activation, weights } = forwardAttrs(attrs);
    const slots = attrs?.slots,
        o = attrs?.optimizer;
    if (typeof slots !== 'number' || !isAttrMap(o)) throw new Error(`${STEP}: bad attributes`);
    const num = (k: string) => {
        const v = o[k];
        if (typeof v !== 'number') throw new Error(`${STEP}: optimizer.${k} is not a number`);
        return v;
    };
    const optimizer: OptimizerStep =
        o.kind === 'adam'
            ? { kind: 'adam', lrT: num('lrT'), beta1: num('beta1'), beta2: num('beta2'), epsilon: num('epsilon') }
            : { kind: 'sgd', lr: num('lr'), momentum: num('momentum') };
    return { activation, weights, slots, optimizer };
}

function input(inputs: tf.NamedTensorInfoMap, key: string): TensorInfo {
    const t = inputs[key];
    if (!t) throw new Error(`EMN kernel: missing input ${key}`);
    return t;
}

function shapeOf(ax: TensorInfo, W1: TensorInfo, weights: number, activation: Activation): RowwiseShape {
    const [n, B] = ax.shape;
    return { n, B, w: W1.shape[2] ?? 1, d: weights - 1, activation };
}

/**
 * The forward kernel's inputs have fixed names (tfjs saves named inputs for the gradient only from a fixed list):
 * ax [n, B, n], w1 [n, n, w], hidden [d - 1, n, w, w] (the pruned layers stacked; [0, n, w, w] at depth 1), wout [n, w, 1].
 */
const FORWARD_INPUTS = ['ax', 'w1', 'hidden', 'wout'] as const;

/** The weights as the JS kernel takes them: W1, each hidden layer, output. */
function forwardWeights(w1: Float32Array, hidden: Float32Array, wout: Float32Array, weights: number): Float32Array[] {
    const per = weights > 2 ? hidden.length / (weights - 2) : 0;
    return [w1, ...Array.from({ length: weights - 2 }, (_, l) => hidden.subarray(l * per, (l + 1) * per)), wout];
}

/** yhat [n, B] from ax [n, B, n] and the weights. */
const forwardKernel = (backendName: string): tf.KernelConfig => ({
    kernelName: FORWARD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
        const { activation, weights } = forwardAttrs(attrs);
        const io = backendIo(backend);
        const [ax, w1, hidden, wout] = FORWARD_INPUTS.map(k => input(inputs, k));
        const s = shapeOf(ax, w1, weights, activation);
        const out = io.alloc([s.n, s.B]);
        forwardAll(workspace(s), io.view(ax), forwardWeights(io.view(w1), io.view(hidden), io.view(wout), weights), io.view(out));
        return out;
    },
});

/** [loss, new weights..., new slots...] from ax, y, the weights and the slots. */
const trainStepKernel = (backendName: string): tf.KernelConfig => ({
    kernelName: STEP,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
        const { activation, weights, slots, optimizer } = stepAttrs(attrs);
        const io = backendIo(backend);
        const ax = input(inputs, 'ax'),
            y = input(inputs, 'y');
        const W = Array.from({ length: weights }, (_, p) => input(inputs, weightKey(p)));
        const S = Array.from({ length: slots }, (_, k) => input(inputs, slotKey(k)));
        const s = shapeOf(ax, W[0], weights, activation);
        const outs = [io.alloc([]), ...[...W, ...S].map(t => io.alloc(t.shape))];
        const [loss, ...next] = outs.map(t => io.view(t));
        loss[0] = trainStep(
            workspace(s),
            io.view(ax),
            io.view(y),
            W.map(t => io.view(t)),
            S.map(t => io.view(t)),
            next.slice(0, weights),
            next.slice(weights),
            optimizer,
        );
        return outs;
    },
});

/** The forward kernel's gradient: every weight's, computed once in JS (each closure runs in its own tidy). */
const forwardGrad: tf.GradConfig = {
    kernelName: FORWARD,
    inputsToSave: [...FORWARD_INPUTS],
    gradFunc: (dy, saved, attrs) => {
        const { activation, weights } = forwardAttrs(attrs);
        const [ax, w1, hidden, wout] = saved;
        let grads: Float32Array[] | undefined;
        const all = () =>
            (grads ??= (() => {
                const s = shapeOf(ax, w1, weights, activation);
                const values = forwardWeights(float32(w1.dataSync()), float32(hidden.dataSync()), float32(wout.dataSync()), weights);
                const out = values.map(v => new Float32Array(v.length));
                const g = Array.isArray(dy) ? dy[0] : dy;
                gradientsAll(workspace(s), float32(ax.dataSync()), values, float32(g.dataSync()), out);
                return out;
            })());
        const hiddenGrad = () => {
            const parts = all().slice(1, weights - 1),
                flat = new Float32Array(hidden.size);
            parts.forEach((p, l) => flat.set(p, l * p.length));
            return tf.tensor(flat, hidden.shape);
        };
        return {
            ax: () => tf.zerosLike(ax),
            w1: () => tf.tensor(all()[0], w1.shape),
            hidden: hiddenGrad,
            wout: () => tf.tensor(all()[weights - 1], wout.shape),
        };
    },
};

let registered = false;
/** Registers the kernels and the gradient once (idempotent). */
function registerFusedKernels(): void {
    if (registered) return;
    registered = true;
    for (const backendName of KERNEL_BACKENDS) {
        tf.registerKernel(forwardKernel(backendName));
        tf.registerKernel(trainStepKernel(backendName));
    }
    tf.registerGradient(forwardGrad);
}

/** yhat [n, B] of the rowwise EMN through the fused forward kernel (differentiable). */
export function emnForward(plan: CompiledPlan, ax: tf.Tensor3D, weights: tf.Tensor[]): tf.Tensor2D {
    registerFusedKernels();
    const [w1, ...rest] = weights,
        wout = rest.pop()!;
    const [n, , w] = w1.shape;
    // stacked, so the gradient reaches each hidden layer through tf.stack's own
    const hidden = rest.length > 0 ? tf.stack(rest) : tf.zeros([0, n, w, w]);
    const inputs: tf.NamedTensorMap = { ax, w1, hidden, wout };
    const attrs: EmnForwardAttrs = { activation: plan.network.activation, weights: weights.length };
    const out = tf.engine().runKernel(FORWARD, inputs, attrs);
    if (Array.isArray(out) || !isRank2(out)) throw new Error(`${FORWARD}: expected one [n, B] output`);
    return out;
}

/** One fused training step: returns [loss, new weights..., new slots...] (the caller assigns them). */
export function emnTrainStep(
    plan: CompiledPlan,
    ax: tf.Tensor,
    y: tf.Tensor,
    weights: tf.Tensor[],
    slots: tf.Tensor[],
    opt: OptimizerStep,
): tf.Tensor[] {
    registerFusedKernels();
    const inputs: tf.NamedTensorMap = { ax, y };
    weights.forEach((w, p) => {
        inputs[weightKey(p)] = w;
    });
    slots.forEach((t, k) => {
        inputs[slotKey(k)] = t;
    });
    const attrs: EmnTrainStepAttrs = { activation: plan.network.activation, weights: weights.length, slots: slots.length, optimizer: opt };
    const out = tf.engine().runKernel(STEP, inputs, attrs);
    return Array.isArray(out) ? out : [out];
}
