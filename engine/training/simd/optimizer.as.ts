// AssemblyScript: the optimiser update of one weight slice (SGD, momentum, Adam) in f32x4, for emn-step.as.ts.
// Compiled into emn-step.wasm through emn-step.as.ts's import. Not TypeScript for tsc.

/**
 * Updates the `len` floats (a multiple of 4) of weights `w` from gradients `g`. kind 0: sgd, a = lr, m = momentum
 * (velocity in slot `s0` when `slots` > 0); kind 1: adam, a = lrT (the bias-corrected rate), moments in `s0` and `s1`.
 */
export function updateSlice(w: usize, g: usize, s0: usize, s1: usize, len: i32, slots: i32, kind: i32, a: f32, m: f32, beta1: f32, beta2: f32, eps: f32): void {
    if (kind == 0) {
        const lr = f32x4.splat(a);
        if (slots == 0) {
            for (let e = 0; e < len; e += 4) {
                const at = w + (<usize>e << 2);
                v128.store(at, f32x4.sub(v128.load(at), f32x4.mul(lr, v128.load(g + (<usize>e << 2)))));
            }
            return;
        }
        const mm = f32x4.splat(m);
        for (let e = 0; e < len; e += 4) {
            const at = <usize>e << 2;
            const vel = f32x4.add(f32x4.mul(mm, v128.load(s0 + at)), v128.load(g + at));
            v128.store(s0 + at, vel);
            v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.mul(lr, vel)));
        }
        return;
    }
    const b1 = f32x4.splat(beta1), c1 = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), c2 = f32x4.splat(1 - beta2);
    const lrT = f32x4.splat(a), ep = f32x4.splat(eps);
    for (let e = 0; e < len; e += 4) {
        const at = <usize>e << 2;
        const ge = v128.load(g + at);
        const mv = f32x4.add(f32x4.mul(b1, v128.load(s0 + at)), f32x4.mul(c1, ge));
        const vv = f32x4.add(f32x4.mul(b2, v128.load(s1 + at)), f32x4.mul(c2, f32x4.mul(ge, ge)));
        v128.store(s0 + at, mv);
        v128.store(s1 + at, vv);
        v128.store(w + at, f32x4.sub(v128.load(w + at), f32x4.div(f32x4.mul(lrT, mv), f32x4.add(f32x4.sqrt(vv), ep))));
    }
}
