"""PyTorch reference for `npm run bench`: the same rowwise EMN step (w, d, B, binary A, SGD momentum), 1 thread.

usage: python3 bench/pytorch_emn.py N W D B STEPS SPARSITY LR MOMENTUM [WEIGHTS.f32]
Prints one JSON line: {"n", "stepsPerSecond", "firstLoss", "lastLoss"}.
WEIGHTS.f32 holds the engine's initial weights (float32, internal layouts W1 [n,n,w], hidden [n,w,w] x (d-1),
Wout [n,w,1], concatenated), so both implementations start from the same numbers.
The batch is drawn every step inside the timed loop, as the engine does: A binary (kept with prob 1 - sparsity),
x uniform(-1, 1), ax[i][b][j] = A_b[i][j] x_b[j] (cluster-major), y = A x.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)


def main():
    n, w, d, B, steps = (int(v) for v in sys.argv[1:6])
    sparsity, lr, momentum = (float(v) for v in sys.argv[6:9])
    shapes = [(n, n, w)] + [(n, w, w)] * (d - 1) + [(n, w, 1)]
    if len(sys.argv) > 9:
        flat = np.fromfile(sys.argv[9], dtype=np.float32)
        params, off = [], 0
        for s in shapes:
            size = int(np.prod(s))
            params.append(torch.tensor(flat[off:off + size].reshape(s)))
            off += size
    else:
        torch.manual_seed(1)
        params = [torch.randn(s) / (1 if k == 0 else w ** 0.5) for k, s in enumerate(shapes)]
    params = [p.clone().requires_grad_(True) for p in params]
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
    print(json.dumps({"n": n, "stepsPerSecond": steps / elapsed, "firstLoss": first, "lastLoss": loss.item()}))


if __name__ == "__main__":
    main()
