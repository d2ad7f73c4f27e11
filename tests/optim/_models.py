"""Tiny float64 models built identically in ember and torch for optimizer trajectory tests."""
from __future__ import annotations

import numpy as np


def make_data(seed: int = 0, n: int = 24, d_in: int = 5, d_hidden: int = 7, d_out: int = 3):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d_in))
    y = rng.standard_normal((n, d_out))
    params = [rng.standard_normal((d_in, d_hidden)) * 0.5, rng.standard_normal(d_hidden) * 0.1,
              rng.standard_normal((d_hidden, d_out)) * 0.5, rng.standard_normal(d_out) * 0.1]
    return x, y, params


class MLP:
    """``loss = mean((tanh(x W1 + b1) W2 + b2 - y)^2)`` with parameters in library ``lib``."""

    def __init__(self, lib, seed: int = 0, sign: float = 1.0):
        x, y, params = make_data(seed)
        self.lib = lib
        self.sign = sign
        self.x = lib.tensor(x, dtype=lib.float64)
        self.y = lib.tensor(y, dtype=lib.float64)
        self.params = [lib.nn.Parameter(lib.tensor(p, dtype=lib.float64)) for p in params]

    def loss(self):
        w1, b1, w2, b2 = self.params
        out = (self.x @ w1 + b1).tanh() @ w2 + b2
        return self.sign * ((out - self.y) ** 2).mean()

    def closure_for(self, opt):
        def closure():
            opt.zero_grad()
            loss = self.loss()
            loss.backward()
            return loss
        return closure

    def numpy_params(self):
        return [p.detach().numpy().copy() for p in self.params]
