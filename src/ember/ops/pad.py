"""Padding (torch.nn.functional.pad): constant, reflect, replicate, circular.

Non-constant modes are an index gather per padded dim (index_select with a computed source
index), so their backward (scatter-add) and double backward come from index_select."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor
from ..autograd.function import Op


class ConstantPad(Op):
    """y = x surrounded by ``value``.   dx = the centre slice of g."""

    @staticmethod
    def forward(ctx, x, widths, value):
        ctx.key = tuple(slice(lo, lo + s) for (lo, _), s in zip(widths, x.shape))
        return get_array_module(x).pad(x, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, g):
        return g[ctx.key], None, None


def _source_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For a dim of size n padded by (lo, hi): which source position each output cell copies."""
    pos = np.arange(-lo, n + hi)
    if mode == "replicate":
        return np.clip(pos, 0, n - 1)
    if mode == "circular":
        return pos % n
    period = 2 * (n - 1)  # reflect without repeating the edge
    m = np.abs(pos) % period if period else np.zeros_like(pos)
    return np.where(m >= n, period - m, m)


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: Any = None) -> Tensor:
    """Pad the last len(pad)//2 dims; ``pad`` = (left_last, right_last, left_prev, right_prev, …)."""
    pad = [int(p) for p in pad]
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise RuntimeError(f"Padding length must be divisible by 2 and at most twice the number of "
                           f"dims of the input ({input.ndim}), got pad={pad}")
    k = len(pad) // 2
    widths = [(0, 0)] * (input.ndim - k) + [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(k))]
    if mode == "constant":
        out = input
        if any(lo < 0 or hi < 0 for lo, hi in widths):  # negative padding crops
            key = tuple(slice(-min(lo, 0), s + min(hi, 0)) for (lo, hi), s in zip(widths, input.shape))
            out = out[key]
            widths = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
        return ConstantPad.apply(out, tuple(widths), 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise ValueError(f"pad(): mode must be one of constant, reflect, replicate, circular; got {mode!r}")
    if value not in (None, 0):
        raise ValueError(f"Padding mode \"{mode}\" doesn't take in value argument")
    out = input
    for d, (lo, hi) in enumerate(widths):
        if lo == 0 and hi == 0:
            continue
        n = input.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({lo}, {hi}) at dimension {d} of "
                               f"input {list(input.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        idx = Tensor._make(_source_index(n, lo, hi, mode))
        out = out.index_select(d, idx)
    return out
