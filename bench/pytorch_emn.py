"""PyTorch reference for `npm run bench`: the same rowwise EMN step (w, d, B, binary A, SGD momentum or Adam), 1 thread.

usage: /usr/bin/python3 bench/pytorch_emn.py N W D B STEPS SPARSITY LR MOMENTUM [WEIGHTS.f32] [--adam] [--threads T]
           [--construct NAME]  (the zoo: another construct of the language, see zoo(); default: the EMN below)
       /usr/bin/python3 bench/pytorch_emn.py --sgemm   (dense 512 x 512 sgemm GFLOP/s on one thread: the ceiling)
Prints one JSON line: {"n", "stepsPerSecond", "firstLoss", "lastLoss", "maxRssKb", "blas"}.
The BLAS is the one torch loaded (Debian's torch takes libblas.so.3: OpenBLAS once libopenblas0-pthread is installed,
bench/setup-peer.sh; else the reference BLAS, ~6 GFLOP/s); OPENBLAS_NUM_THREADS is set to the thread count (T, 1).
--adam: torch.optim.Adam(lr) (betas 0.9/0.999, eps 1e-8, the engine's defaults); MOMENTUM is then ignored.
WEIGHTS.f32 holds the engine's initial weights (float32, internal layouts W1 [n,n,w], hidden [n,w,w] x (d-1),
Wout [n,w,1], concatenated), so both implementations start from the same numbers.
The batch is drawn every step inside the timed loop, as the engine does: A binary (kept with prob 1 - sparsity),
x uniform(-1, 1), ax[i][b][j] = A_b[i][j] x_b[j] (cluster-major), y = A x.
The timing covers STEPS steps after 20 warm-up steps (the engine's stepsPerSecond counts every step of its run).
"""
import json
import os
import resource
import sys
import time

# before torch loads OpenBLAS: its own thread pool follows this, not torch.set_num_threads
_threads_arg = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads_arg)
os.environ.setdefault("OMP_NUM_THREADS", _threads_arg)

import numpy as np  # noqa: E402
import torch  # noqa: E402


def blas_libraries():
    """The BLAS shared objects this process has mapped (after a product ran), resolved through Debian's alternatives."""
    torch.rand(64, 64) @ torch.rand(64, 64)
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if "blas" in name or "mkl" in name:
                found.add(os.path.realpath(path))
    return sorted(found)


def sgemm():
    torch.set_num_threads(1)
    a, b = torch.rand(512, 512), torch.rand(512, 512)
    for _ in range(5):
        a @ b
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(20):
            a @ b
        best = max(best, 20 * 2 * 512 ** 3 / (time.perf_counter() - t0) / 1e9)
    print(json.dumps({"sgemmGflops": best, "threads": 1, "torch": torch.__version__, "blas": blas_libraries(),
                      "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS")}))


def main():
    args = [a for a in sys.argv[1:]]
    if "--sgemm" in args:
        return sgemm()
    adam = "--adam" in args
    threads = 1
    if "--threads" in args:
        k = args.index("--threads")
        threads = int(args[k + 1])
        del args[k:k + 2]
    construct = "default"
    if "--construct" in args:
        k = args.index("--construct")
        construct = args[k + 1]
        del args[k:k + 2]
    args = [a for a in args if a != "--adam"]
    torch.set_num_threads(threads)
    if construct != "default":
        return zoo(construct, args, adam, threads)
    n, w, d, B, steps = (int(v) for v in args[0:5])
    sparsity, lr, momentum = (float(v) for v in args[5:8])
    shapes = [(n, n, w)] + [(n, w, w)] * (d - 1) + [(n, w, 1)]
    if len(args) > 8:
        flat = np.fromfile(args[8], dtype=np.float32)
        params, off = [], 0
        for s in shapes:
            size = int(np.prod(s))
            params.append(torch.tensor(flat[off:off + size].reshape(s)))
            off += size
    else:
        torch.manual_seed(1)
        params = [torch.randn(s) / (1 if k == 0 else w ** 0.5) for k, s in enumerate(shapes)]
    params = [p.clone().requires_grad_(True) for p in params]
    if adam:
        opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    else:
        opt = torch.optim.SGD(params, lr=lr, momentum=momentum)  # v = m v + g; w -= lr v (dampening 0): the engine's

    def step():
        a = (torch.rand(n, B, n) < 1 - sparsity).float()
        x = torch.rand(B, n) * 2 - 1
        ax = a * x.unsqueeze(0)  # [n, B, n]
        y = ax.sum(2)  # [n, B]
        h = torch.bmm(ax, params[0])  # [n, B, w]
        for l in range(1, d):
            h = torch.bmm(h, params[l])
        yhat = torch.bmm(h, params[d]).squeeze(2)
        loss = torch.mean((yhat - y) ** 2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    first = step().item()
    for _ in range(20):  # warm-up
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    elapsed = time.perf_counter() - t0
    print(json.dumps({"n": n, "stepsPerSecond": steps / elapsed, "firstLoss": first, "lastLoss": loss.item(),
                      "threads": threads, "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "blas": blas_libraries()}))


ZOO = ("entries-uniform", "entries-normal", "vectors-normal", "pool", "meta-epochs", "power2-masking2",
       "polynomial-masking2", "dense", "relu", "tanh", "mlp")


def zoo(construct, args, adam, threads):
    """One step of another construct of the language, as the engine computes it (bench/ENGINE.md), timed the same way.

    entries-uniform / entries-normal: A = mask * U(0, 1) / N(0, 1); vectors-normal: x ~ N(0, 1); pool: each sample's A
    one of 64 fixed matrices; meta-epochs: one mask for the whole batch, a new one every 16 steps (masks 16);
    power2-masking2: y = A^2 x, a message-passing layer W2 [n, n w, w] after the masked one; polynomial-masking2:
    y = 0.5 x + A x + 0.25 A^2 x with skip channels S1 [n, 1, w] and S2 [n, w, w]; dense: pruning none (hidden
    [n w, n w], output [n w, n]); relu / tanh: the activation after every hidden layer.
    """
    if construct not in ZOO:
        raise SystemExit(f"unknown construct {construct}: one of default, {', '.join(ZOO)}")
    n, w, d, B, steps = (int(v) for v in args[0:5])
    sparsity, lr, momentum = (float(v) for v in args[5:8])
    if construct == "mlp":
        return zoo_mlp(n, B, steps, 1 - sparsity, lr, momentum, adam, threads)
    keep = 1 - sparsity
    masking = 2 if construct in ("power2-masking2", "polynomial-masking2") else 1
    skips = construct == "polynomial-masking2"
    dense = construct == "dense"
    act = {"relu": torch.relu, "tanh": torch.tanh}.get(construct, lambda v: v)
    torch.manual_seed(1)
    W1 = torch.randn(n, n, w)
    W2 = torch.randn(n, n * w, w) / w ** 0.5 if masking == 2 else None
    S1, S2 = (torch.randn(n, 1, w), torch.randn(n, w, w) / w ** 0.5) if skips else (None, None)
    hidden = [torch.randn(n * w, n * w) / (n * w) ** 0.5 if dense else torch.randn(n, w, w) / w ** 0.5 for _ in range(d - 1)]
    out = torch.randn(n * w, n) / (n * w) ** 0.5 if dense else torch.randn(n, w, 1) / w ** 0.5
    params = [p.requires_grad_(True) for p in [W1, W2, S1, S2, *hidden, out] if p is not None]
    opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8) if adam else torch.optim.SGD(params, lr=lr, momentum=momentum)
    pool = (torch.rand(64, n, n) < keep).float() if construct in ("pool", "meta-epochs") else None
    counter = [0]

    def draw_a():  # [B, n, n]
        if construct == "pool":
            return pool[torch.randint(64, (B,))]
        if construct == "meta-epochs":
            return pool[(counter[0] // 16) % 16].expand(B, n, n)
        mask = (torch.rand(B, n, n) < keep).float()
        if construct == "entries-uniform":
            return mask * torch.rand(B, n, n)
        if construct == "entries-normal":
            return mask * torch.randn(B, n, n)
        return mask

    def step():
        a = draw_a()
        counter[0] += 1
        x = torch.randn(B, n) if construct == "vectors-normal" else torch.rand(B, n) * 2 - 1
        ax_vec = torch.bmm(a, x.unsqueeze(2)).squeeze(2)  # A x [B, n]
        y = ax_vec
        if masking == 2:
            a2x = torch.bmm(a, ax_vec.unsqueeze(2)).squeeze(2)
            y = 0.5 * x + ax_vec + 0.25 * a2x if skips else a2x
        at = a.transpose(0, 1)  # [n(i), B, n(j)]
        h = torch.bmm(at * x.unsqueeze(0), W1)  # [n, B, w]
        if skips:
            h = h + x.t().unsqueeze(2) * S1
        h = act(h)
        if masking == 2:
            g = at.unsqueeze(3) * h.transpose(0, 1).unsqueeze(0)  # [n(i), B, n(j), w]: A[i][j] h1[j]
            h2 = torch.bmm(g.reshape(n, B, n * w), W2)
            if skips:
                h2 = h2 + torch.bmm(h, S2)
            h = act(h2)
        if dense:
            flat = h.transpose(0, 1).reshape(B, n * w)
            for W in hidden:
                flat = act(flat @ W)
            yhat = flat @ out  # [B, n]
        else:
            for W in hidden:
                h = act(torch.bmm(h, W))
            yhat = torch.bmm(h, out).squeeze(2).t()
        loss = torch.mean((yhat - y) ** 2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    first = step().item()
    for _ in range(20):  # warm-up
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    elapsed = time.perf_counter() - t0
    print(json.dumps({"n": n, "construct": construct, "stepsPerSecond": steps / elapsed, "firstLoss": first,
                      "lastLoss": loss.item(), "threads": threads,
                      "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def zoo_mlp(n, B, steps, keep, lr, momentum, adam, threads):
    """One step of `architecture mlp  hidden [64, 64]` (engine/compiler/compile-mlp.ts): z = [vec(A), x], two linear
    hidden layers of 64 with biases, output n with biases; fresh binary A and y = A x every step."""
    torch.manual_seed(1)
    sizes = [n * n + n, 64, 64, n]
    layers = [(torch.randn(i, o) / i ** 0.5, torch.zeros(o)) for i, o in zip(sizes, sizes[1:])]
    params = [p.requires_grad_(True) for layer in layers for p in layer]
    opt = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8) if adam else torch.optim.SGD(params, lr=lr, momentum=momentum)

    def step():
        a = (torch.rand(B, n, n) < keep).float()
        x = torch.rand(B, n) * 2 - 1
        y = torch.bmm(a, x.unsqueeze(2)).squeeze(2)
        h = torch.cat([a.reshape(B, n * n), x], 1)
        for W, b in layers:
            h = h @ W + b
        loss = torch.mean((h - y) ** 2)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    first = step().item()
    for _ in range(20):  # warm-up
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    elapsed = time.perf_counter() - t0
    print(json.dumps({"n": n, "construct": "mlp", "stepsPerSecond": steps / elapsed, "firstLoss": first,
                      "lastLoss": loss.item(), "threads": threads,
                      "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
