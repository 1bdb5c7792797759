"""PyTorch reference for `npm run bench`: the same rowwise EMN step (w, d, B, binary A, SGD momentum or Adam), 1 thread.

usage: /usr/bin/python3 bench/pytorch_emn.py N W D B STEPS SPARSITY LR MOMENTUM [WEIGHTS.f32] [--adam] [--threads T]
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
    args = [a for a in args if a != "--adam"]
    torch.set_num_threads(threads)
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


if __name__ == "__main__":
    main()
