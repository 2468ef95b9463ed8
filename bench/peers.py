#!/usr/bin/python3
"""The peers' side of the mcalc benchmarks: PyTorch (forward + backward,
torch.autograd.functional.hessian) and NumPy closed forms on the problems of
bench/bench_mcalc.cpp, with the same data (an integer hash both sides compute
exactly), sizes and timing method (median of repeated runs after a warm-up).
Prints one JSON object with times and results.

Run through bench/run.sh, which also runs mcalc's side, checks agreement and
prints the ratios.
"""
import json
import statistics
import time

import numpy as np
import torch


def median_seconds(fn, repeat=15):
    fn()  # warm-up
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-7)
    number = max(1, int(0.02 / one))
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t0) / number)
    return statistics.median(samples)


def data(rows, cols, seed, scale=1.0):
    """Entry (i, j) = ((i*2654435761 + j*40503 + seed*2246822519) mod 2^32) / 2^31 - 1, as in bench_mcalc.cpp."""
    i = np.arange(rows, dtype=np.uint64)[:, None]
    j = np.arange(cols, dtype=np.uint64)[None, :]
    h = (i * np.uint64(2654435761) + j * np.uint64(40503) + np.uint64(seed * 2246822519)) % np.uint64(2**32)
    return scale * (h.astype(np.float64) / 2147483648.0 - 1.0)


def main():
    torch.set_num_threads(2)
    out = {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads(),
           "numpy_version": np.__version__}
    try:
        import threadpoolctl
        out["numpy_blas"] = [(p["internal_api"], p["num_threads"]) for p in threadpoolctl.threadpool_info()]
    except ImportError:
        pass

    # 1. MSE-ReLU: forward + backward, and one read of X (X @ w).
    for N in (500000, 1000000):
        n = 64
        X = torch.tensor(data(N, n, 1))
        y = torch.tensor(data(N, 1, 2)[:, 0])
        w = torch.tensor(data(n, 1, 3, 0.1)[:, 0], requires_grad=True)
        b = torch.tensor(0.1, dtype=torch.float64, requires_grad=True)

        def forward_backward():
            w.grad = None
            b.grad = None
            c = ((y - torch.clamp(X @ w + b, min=0)) ** 2).sum() / N
            c.backward()
            return c

        c = forward_backward()
        key = "mse_%d" % N
        out[key] = {"value": c.item(), "grad_w": w.grad.tolist(), "grad_b": b.grad.item(),
                    "seconds": median_seconds(forward_backward)}
        wd = w.detach()
        out[key]["xw_seconds"] = median_seconds(lambda: X @ wd)
        del X

    # 2. Logistic-loss Hessian by w.
    for d in (300, 100):
        N = 10000
        Xn, yn, wn = data(N, d, 4), data(N, 1, 5)[:, 0], data(d, 1, 6, 0.1)[:, 0]
        X, y, w0 = torch.tensor(Xn), torch.tensor(yn), torch.tensor(wn)

        def loss(w):
            return torch.log(1 + torch.exp(-y * (X @ w))).sum()

        def closed_form():
            # H = X' diag(r) X, r = y^2 s (1 - s), s = sigmoid(y .* (X w))
            s = 1.0 / (1.0 + np.exp(-yn * (Xn @ wn)))
            r = yn * yn * s * (1.0 - s)
            return (Xn * r[:, None]).T @ Xn

        key = "hessian_%d" % d
        H = torch.autograd.functional.hessian(loss, w0)
        out[key] = {
            "hessian": H.numpy().flatten(order="F").tolist(),
            "closed_form_agrees": float(np.abs(closed_form() - H.numpy()).max() / np.abs(H.numpy()).max()),
            "torch_seconds": median_seconds(lambda: torch.autograd.functional.hessian(loss, w0), repeat=5),
            "torch_vectorize_seconds": median_seconds(
                lambda: torch.autograd.functional.hessian(loss, w0, vectorize=True), repeat=5),
            "numpy_seconds": median_seconds(closed_form, repeat=9),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
