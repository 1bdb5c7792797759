// SGD with heavy-ball momentum and Adam as fused in-place updates of tf.Variables (few ops per weight per step).
import type { OptimizerSpec } from '../spec/spec-types.js';
import { tf } from './tf.js';

export { fusedOptimizer } from './optimizer-step.js';

export interface Optimizer {
    /** Applies one update from gradients keyed by variable name. Call inside tf.tidy. */
    apply(variables: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void;
    /** Optimiser state tensors (for memory accounting) and their release. */
    readonly slotCount: number;
    dispose(): void;
}

function zerosLike(v: tf.Variable): tf.Variable {
    return tf.variable(tf.zerosLike(v), false);
}

/** v <- momentum v + g; w <- w - lr v  (plain SGD when momentum is 0). */
class Sgd implements Optimizer {
    private readonly velocity = new Map<string, tf.Variable>();
    private readonly lr: tf.Scalar;
    private readonly momentum: tf.Scalar;
    constructor(private readonly spec: Extract<OptimizerSpec, { kind: 'sgd' }>) {
        // persistent scalars: a JS number in an op would upload a new scalar every step
        this.lr = tf.keep(tf.scalar(spec.lr));
        this.momentum = tf.keep(tf.scalar(spec.momentum));
    }
    get slotCount() {
        return this.spec.momentum > 0 ? 1 : 0;
    }
    apply(variables: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
        for (const [name, g] of Object.entries(grads)) {
            const w = variables[name];
            if (this.spec.momentum > 0) {
                let v = this.velocity.get(name);
                if (!v) this.velocity.set(name, (v = tf.tidy(() => zerosLike(w))));
                v.assign(tf.add(tf.mul(v, this.momentum), g));
                w.assign(tf.sub(w, tf.mul(v, this.lr)));
            } else {
                w.assign(tf.sub(w, tf.mul(g, this.lr)));
            }
        }
    }
    dispose(): void {
        for (const v of this.velocity.values()) v.dispose();
        this.lr.dispose();
        this.momentum.dispose();
    }
}

/** Adam with the bias corrections folded into the step size: w <- w - lr_t m / (sqrt(v) + eps). */
class Adam implements Optimizer {
    private readonly m = new Map<string, tf.Variable>();
    private readonly v = new Map<string, tf.Variable>();
    private readonly consts: Record<'b1' | 'c1' | 'b2' | 'c2' | 'eps', tf.Scalar>;
    private t = 0;
    constructor(private readonly spec: Extract<OptimizerSpec, { kind: 'adam' }>) {
        this.consts = {
            b1: tf.keep(tf.scalar(spec.beta1)),
            c1: tf.keep(tf.scalar(1 - spec.beta1)),
            b2: tf.keep(tf.scalar(spec.beta2)),
            c2: tf.keep(tf.scalar(1 - spec.beta2)),
            eps: tf.keep(tf.scalar(spec.epsilon)),
        };
    }
    get slotCount() {
        return 2;
    }
    apply(variables: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
        this.t++;
        const { b1, c1, b2, c2, eps } = this.consts;
        const lrT = tf.scalar((this.spec.lr * Math.sqrt(1 - this.spec.beta2 ** this.t)) / (1 - this.spec.beta1 ** this.t));
        for (const [name, g] of Object.entries(grads)) {
            const w = variables[name];
            let m = this.m.get(name),
                v = this.v.get(name);
            if (!m) this.m.set(name, (m = tf.tidy(() => zerosLike(w))));
            if (!v) this.v.set(name, (v = tf.tidy(() => zerosLike(w))));
            m.assign(tf.add(tf.mul(m, b1), tf.mul(g, c1)));
            v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), c2)));
            w.assign(tf.sub(w, tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), lrT)));
        }
    }
    dispose(): void {
        for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
        for (const s of Object.values(this.consts)) s.dispose();
    }
}

export function createOptimizer(spec: OptimizerSpec): Optimizer {
    return spec.kind === 'adam' ? new Adam(spec) : new Sgd(spec);
}
