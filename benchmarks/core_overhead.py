"""Per-op Python overhead and large matmul forward+backward, ember vs torch, in one process.

Run:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/core_overhead.py
Interleaves the two libraries' repeats so machine drift hits both alike; prints medians.
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import torch

import ember


def _time(fn, number):
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def compare(name, make, number, repeats=7):
    fe, ft = make(ember), make(torch)
    fe(), ft()  # warm-up
    te, tt = [], []
    for _ in range(repeats):
        te.append(_time(fe, number))
        tt.append(_time(ft, number))
    me, mt = statistics.median(te), statistics.median(tt)
    print(f"{name:<38} ember {me * 1e6:10.1f} us   torch {mt * 1e6:10.1f} us   ratio {me / mt:5.2f}")
    return me / mt


def tiny_add(L):
    a, b = L.ones(4), L.ones(4)
    return lambda: a + b


def tiny_add_grad(L):
    a = L.ones(4, requires_grad=True)
    b = L.ones(4)
    return lambda: a * b


def tiny_chain_backward(L):
    a = L.ones(4, requires_grad=True)

    def f():
        (a * 2 + 1).sum().backward()
    return f


def matmul_fb(n):
    def make(L):
        rng = np.random.default_rng(0)
        a = L.tensor(rng.standard_normal((n, n)).astype(np.float32), requires_grad=True)
        b = L.tensor(rng.standard_normal((n, n)).astype(np.float32), requires_grad=True)

        def f():
            a.grad = b.grad = None
            (a @ b).sum().backward()
        return f
    return make


if __name__ == "__main__":
    torch.set_num_threads(2)
    print(f"numpy {np.__version__}, torch {torch.__version__}, threads {torch.get_num_threads()}")
    compare("tiny add (no grad)", tiny_add, 20000)
    compare("tiny mul (records graph)", tiny_add_grad, 20000)
    compare("tiny mul+add+sum+backward", tiny_chain_backward, 3000)
    compare("matmul 1024x1024 fwd+bwd float32", matmul_fb(1024), 3, repeats=5)
