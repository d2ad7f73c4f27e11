"""Pooling ops on raw arrays: window max with argmax, window sum and its adjoint, flat scatter.

All differentiable pieces come in adjoint pairs whose backward is the other member, written in
ember ops, so double backward works:

* ``MaxPoolNd``      (values, flat indices) of every window; dx = ScatterFlat(g, indices)
* ``ScatterFlat``    y[n, c, idx] += g  (bincount; assignment for disjoint windows);
                     dg = gather(gy, idx)
* ``WindowSum``      sum of each window of zero-padded x;     dx = WindowSumT(g)
* ``WindowSumT``     its adjoint (scatter-add per kernel offset, then crop); dg = WindowSum(h)

Flat indices follow torch: index into the unpadded input's flattened spatial dims.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..._backend import get_array_module
from ..._tensor import Tensor
from ...autograd.function import Op
from ._im2col import _offset_slices, crop, pad_array, window_sum_adjoint


class PoolCfg(NamedTuple):
    kernel: tuple
    stride: tuple
    pads: tuple  # ((lo, hi), ...): hi includes the extra cells that ceil_mode windows reach
    dilation: tuple
    out: tuple


def window_max(ctx: Any, w: Any, flat_of: Any, size: tuple) -> tuple[Any, Any]:
    """Max over the last axis of w (N, C, *o, K) (first maximum wins, NaN propagates, as torch)
    and the flat input index flat_of(argmax); records what ArgmaxPool.backward needs."""
    xp = get_array_module(w)
    kidx = xp.argmax(w, axis=-1)
    y = xp.take_along_axis(w, kidx[..., None], axis=-1)[..., 0]
    idx = flat_of(kidx)
    ctx.size = size
    ctx.idx = Tensor._make(idx)  # not save_for_backward: the caller may drop the output
    ctx.mark_non_differentiable(idx)
    return y, idx


class ArgmaxPool(Op):
    """Base of the max pools: outputs (values, flat indices).   dx = ScatterFlat(g, indices)."""

    @staticmethod
    def backward(ctx, g, _gi):
        return ScatterFlat.apply(g, ctx.idx, ctx.size, getattr(ctx, "disjoint", False)), None


class MaxPoolNd(ArgmaxPool):
    """y = max over each (dilated) window of x padded with -inf.   dx = scatter g to the argmax.

    One running max per kernel offset (prod(k) strided comparisons, no window copy); the first
    maximum wins and NaN propagates (the last NaN of a window), as torch."""

    @staticmethod
    def forward(ctx, x, cfg):
        xp = get_array_module(x)
        floating = xp.issubdtype(x.dtype, xp.floating)
        fill = -np.inf if floating else xp.iinfo(x.dtype).min
        xpad = pad_array(x, cfg.pads, fill)
        size = tuple(x.shape[2:])
        base, step = _flat_base(cfg, size, xp)
        nan = floating and not bool(xp.isfinite(x.sum()))  # inf/overflow also takes this path
        y = idx = take = None
        for off, key in _offset_slices(cfg.kernel, cfg.stride, cfg.dilation, cfg.out):
            v = xpad[key]
            pos = base + sum(i * dd * st for i, dd, st in zip(off, cfg.dilation, step))
            if y is None:
                y, idx = v.copy(), xp.empty(v.shape, dtype=xp.int64)
                idx[...] = pos
                continue
            take = xp.greater(v, y, out=take)
            if nan:  # a NaN always takes over, a later one too (torch: val > max || isnan(val))
                take |= v != v
            xp.copyto(y, v, where=take)
            xp.copyto(idx, pos, where=take)
        ctx.size = size
        ctx.idx = Tensor._make(idx)  # not save_for_backward: the caller may drop the output
        ctx.disjoint = all(ss >= dd * (kk - 1) + 1 for kk, ss, dd in
                           zip(cfg.kernel, cfg.stride, cfg.dilation))
        ctx.mark_non_differentiable(idx)
        return y, idx


def _flat_base(cfg: PoolCfg, size: tuple, xp: Any) -> tuple[Any, tuple]:
    """Flat input index of each window's first cell (shape o) and the flat stride per dim."""
    nd = len(size)
    step = tuple(int(np.prod(size[i + 1:])) for i in range(nd))
    base = xp.zeros(cfg.out, dtype=xp.int64)
    for i in range(nd):
        j = xp.arange(cfg.out[i]).reshape((-1,) + (1,) * (nd - 1 - i))
        base = base + (j * cfg.stride[i] - cfg.pads[i][0]) * step[i]
    return base, step


class ScatterFlat(Op):
    """y (N, C, *size) = 0; y[n, c].flat[idx[n, c, j]] += g[n, c, j].   dg = gather of gy at idx."""

    @staticmethod
    def forward(ctx, g, idx, size, unique=False):
        xp = get_array_module(g)
        N, C = g.shape[:2]
        P = int(np.prod(size))
        if unique:  # no index repeats within a (n, c) plane (disjoint windows): plain assignment
            y = xp.zeros((N, C, P), dtype=g.dtype)
            xp.put_along_axis(y, idx.reshape(N, C, -1), g.reshape(N, C, -1), axis=2)
            return y.reshape(N, C, *size)
        flat = (idx.reshape(N * C, -1) + (xp.arange(N * C) * P)[:, None]).ravel()
        y = xp.bincount(flat, weights=g.reshape(-1), minlength=N * C * P)
        return y.astype(g.dtype, copy=False).reshape(N, C, *size)

    @staticmethod
    def backward(ctx, gy):
        idx = ctx.inputs[1]
        N, C = gy.shape[:2]
        flat_i = idx.reshape(N, C, -1)
        out = gy.reshape(N, C, -1).gather(2, flat_i)
        return out.reshape(idx.shape), None, None, None


def window_sum_forward(x: Any, cfg: PoolCfg) -> Any:
    """s[n, c, j] = sum_i xpad[n, c, j*s + i*d]: one strided-slice add per kernel offset."""
    xp = get_array_module(x)
    xpad = pad_array(x, cfg.pads)
    out = xp.zeros((*x.shape[:2], *cfg.out), dtype=x.dtype)
    for _, key in _offset_slices(cfg.kernel, cfg.stride, cfg.dilation, cfg.out):
        out += xpad[key]
    return out


class WindowSum(Op):
    """y = sum over each window of zero-padded x.   dx = WindowSumT(g)."""

    @staticmethod
    def forward(ctx, x, cfg):
        ctx.cfg, ctx.size = cfg, tuple(x.shape[2:])
        return window_sum_forward(x, cfg)

    @staticmethod
    def backward(ctx, g):
        return WindowSumT.apply(g, ctx.cfg, ctx.size), None


class WindowSumT(Op):
    """x-shaped adjoint of WindowSum: each g cell added over its window, padding cropped."""

    @staticmethod
    def forward(ctx, g, cfg, size):
        ctx.cfg = cfg
        padded = tuple(lo + n + hi for (lo, hi), n in zip(cfg.pads, size))
        full = window_sum_adjoint(g, padded, cfg.kernel, cfg.stride, cfg.dilation)
        return get_array_module(g).ascontiguousarray(crop(full, cfg.pads, size))

    @staticmethod
    def backward(ctx, h):
        return WindowSum.apply(h, ctx.cfg), None, None
