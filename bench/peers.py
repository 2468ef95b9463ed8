#!/usr/bin/python3
"""The peers' side of the mcalc benchmarks: PyTorch autograd and SymPy on the same
problems as bench/bench_mcalc.cpp, with the same sizes and the same timing method
(median of repeated runs after a warm-up). Prints one JSON object.

Run through bench/run.sh, which also runs mcalc's side and prints the ratios.
"""
import json
import statistics
import sys
import time

import numpy as np


def median_seconds(fn, repeat=15, number=None):
    fn()  # warm-up
    if number is None:  # aim for ~20 ms per sample
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


def data(N, n, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (N, n))
    w = rng.uniform(-1, 1, n)
    y = rng.uniform(-1, 1, N)
    return X, w, 0.1, y


def torch_side(N, n, hn):
    import torch
    torch.set_num_threads(2)
    out = {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads()}
    X, w, b, y = data(N, n)
    Xt = torch.tensor(X)
    yt = torch.tensor(y)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)

    def mse_grad():
        if wt.grad is not None:
            wt.grad = None
            bt.grad = None
        c = ((yt - torch.clamp(Xt @ wt + bt, min=0)) ** 2).sum() / N
        c.backward()
        return wt.grad

    out["mse_grad_w"] = median_seconds(mse_grad)
    rng = np.random.default_rng(2)
    A = torch.tensor(rng.uniform(-1, 1, (hn, hn)))
    x0 = torch.tensor(rng.uniform(-1, 1, hn))
    out["hessian_xAx"] = median_seconds(
        lambda: torch.autograd.functional.hessian(lambda x: x @ A @ x, x0), repeat=5)
    return out


def sympy_side():
    import sympy as sp
    out = {"sympy_version": sp.__version__}
    n, N = sp.symbols("n N", integer=True, positive=True)
    x = sp.MatrixSymbol("x", n, 1)
    w = sp.MatrixSymbol("w", n, 1)
    A = sp.MatrixSymbol("A", n, n)
    X = sp.MatrixSymbol("X", N, n)
    y = sp.MatrixSymbol("y", N, 1)
    b = sp.Symbol("b")

    def attempt(name, thunk):
        try:
            r = thunk()  # warm-up (SymPy caches), then the median of repeated runs
            seconds = median_seconds(thunk, repeat=5, number=1)
            out[name] = {"seconds": seconds, "result": str(r)}
        except Exception as e:  # a peer failing is a result, not a benchmark error
            out[name] = {"seconds": None, "result": "error: %s: %s" % (type(e).__name__, e)}

    attempt("grad_xAx", lambda: (x.T * A * x).diff(x))
    attempt("neuron_relu", lambda: sp.Max(0, (w.T * x)[0, 0] + b).diff(w))
    attempt("logdet", lambda: sp.log(sp.Determinant(A)).diff(A))
    attempt("mse", lambda: ((y - X * w).T * (y - X * w))[0, 0].diff(w) / N)
    return out


if __name__ == "__main__":
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    hn = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    result = {"N": N, "n": n, "hessian_n": hn}
    result.update(torch_side(N, n, hn))
    result.update(sympy_side())
    print(json.dumps(result, indent=2))
