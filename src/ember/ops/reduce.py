"""Reductions with torch's dim/keepdim semantics: sum, mean, prod, max/min (values + indices),
amax/amin, argmax/argmin, var/std, logsumexp, norm, cumsum/cumprod, all/any, softmax,
log_softmax, sort/argsort/topk/median."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .. import _dtype
from .._backend import get_array_module
from .._tensor import Tensor
from ..autograd.function import Op
from ._util import wrap_dim, wrap_dims

values_indices = namedtuple("values_indices", ["values", "indices"])


def _keep_shape(shape: tuple, dims: tuple | None) -> tuple:
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _drop_dims(y: Any, dims: tuple | None) -> Any:
    """A keepdim=True reduction result without its reduced (size-1) dims."""
    return y.reshape(tuple(s for i, s in enumerate(y.shape) if dims is not None and i not in dims))


def _count(shape: tuple, dims: tuple | None) -> int:
    return int(np.prod(shape)) if dims is None else int(np.prod([shape[d] for d in dims]))


class Sum(Op):
    """y = sum of x over ``dims``.   dx = g broadcast back to x's shape."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dt):
        ctx.shape = x.shape
        return x.sum(axis=dims, keepdims=keepdim, dtype=dt)

    @staticmethod
    def backward(ctx, g):
        _, dims, keepdim, _ = ctx.inputs
        return g.reshape(_keep_shape(ctx.shape, dims)).expand(ctx.shape), None, None, None


class Mean(Op):
    """y = mean of x over ``dims``.   dx = g / n broadcast back."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape = x.shape
        return x.mean(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        _, dims, _ = ctx.inputs
        n = _count(ctx.shape, dims)
        return (g / n).reshape(_keep_shape(ctx.shape, dims)).expand(ctx.shape), None, None


class Prod(Op):
    """y = product over ``dims``.   dx_i = g * prod_{j != i} x_j."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        y = x.prod(axis=dims, keepdims=True)
        ctx.save_for_backward(x, y)
        return y if keepdim else _drop_dims(y, dims)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        _, dims, _ = ctx.inputs
        g = g.reshape(_keep_shape(x.shape, dims))
        if bool((x._data != 0).all()):
            return g * y / x, None, None
        # zeros present: product of the others, computed directly (not twice differentiable)
        others = _prod_of_others(x._data, dims)
        return g * Tensor._make(others), None, None


def _prod_of_others(x: Any, dims: tuple | None) -> Any:
    xp = get_array_module(x)
    moved = x.reshape(-1) if dims is None else xp.moveaxis(x, dims, tuple(range(-len(dims), 0)))
    lead = moved.shape[: moved.ndim - (1 if dims is None else len(dims))]
    flat = moved.reshape(lead + (-1,))
    ones = xp.ones(lead + (1,), dtype=x.dtype)
    left = xp.cumprod(xp.concatenate([ones, flat[..., :-1]], -1), -1)
    right = xp.flip(xp.cumprod(xp.flip(xp.concatenate([flat[..., 1:], ones], -1), -1), -1), -1)
    out = (left * right).reshape(moved.shape)
    return out.reshape(x.shape) if dims is None else xp.moveaxis(out, tuple(range(-len(dims), 0)), dims)


class MaxMinDim(Op):
    """(values, indices) of max/min along ``dim``.   dx = g scattered to the arg positions."""

    @staticmethod
    def forward(ctx, x, dim, keepdim, is_max):
        xp = get_array_module(x)
        idx = (xp.argmax if is_max else xp.argmin)(x, axis=dim, keepdims=True)
        vals = xp.take_along_axis(x, idx, axis=dim)
        ctx.shape = x.shape
        if not keepdim:
            vals, idx = vals.squeeze(dim), idx.squeeze(dim)
        idx = idx.astype(np.int64)
        ctx.idx = idx
        ctx.mark_non_differentiable(idx)
        return vals, idx

    @staticmethod
    def backward(ctx, g, _gi):
        from .index import ScatterAdd

        _, dim, keepdim, _ = ctx.inputs
        idx = Tensor._make(ctx.idx)
        if not keepdim:
            g, idx = g.unsqueeze(dim), idx.unsqueeze(dim)
        zeros = Tensor._make(get_array_module(g._data).zeros(ctx.shape, dtype=g._data.dtype))
        return ScatterAdd.apply(zeros, dim, idx, g), None, None, None


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum over ``dim`` (int, tuple or None = all). Integer/bool inputs sum in int64, like torch."""
    dims = wrap_dims(dim, input.ndim)
    dt = _dtype.to_dtype(dtype) if dtype is not None else (
        input.dtype if input.dtype.is_floating_point else _dtype.int64)
    if dt is not input.dtype and input.dtype.is_floating_point:
        input = input.to(dt)
    return Sum.apply(input, dims, keepdim, None if dt is input.dtype else dt.np)


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    from .binary import where

    return sum(where(input.isnan(), 0.0, input), dim, keepdim)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {input.dtype.name.capitalize()}")
    return Mean.apply(input, wrap_dims(dim, input.ndim), keepdim)


def prod(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    if dtype is not None:
        input = input.to(dtype)
    return Prod.apply(input, wrap_dims(dim, input.ndim), keepdim)


def _max_min(input: Tensor, dim: Any, keepdim: bool, is_max: bool, name: str) -> Any:
    if isinstance(dim, Tensor):  # torch.max(a, b) == maximum
        from .binary import maximum, minimum

        return (maximum if is_max else minimum)(input, dim)
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                               f"== 0. Specify the reduction dim with the 'dim' argument.")
        return _amax_amin(input, None, False, is_max)
    d = wrap_dim(dim, input.ndim)
    if input.ndim and input.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    v, i = MaxMinDim.apply(input, d if input.ndim else None, keepdim, is_max) if input.ndim else \
        (input, Tensor._make(np.zeros((), np.int64)))
    return values_indices(v, i)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """max(input) -> value;  max(input, dim) -> (values, indices);  max(a, b) -> maximum."""
    return _max_min(input, dim, keepdim, True, "max")


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    return _max_min(input, dim, keepdim, False, "min")


def _amax_amin(input: Tensor, dim: Any, keepdim: bool, is_max: bool) -> Tensor:
    """Gradient split evenly among tied extrema (torch's amax/amin rule)."""
    dims = wrap_dims(dim, input.ndim)
    xp = get_array_module(input._data)
    f = xp.max if is_max else xp.min
    y = Tensor._make(f(input._data, axis=dims, keepdims=True))
    if not input.requires_grad:
        return y if keepdim else Tensor._make(f(input._data, axis=dims, keepdims=False))
    mask = (input == y).to(input.dtype)
    w = mask / mask.sum(dims, keepdim=True)
    out = (input * w).sum(dims, keepdim=keepdim)
    return out


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    return _amax_amin(input, dim, keepdim, True)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    return _amax_amin(input, dim, keepdim, False)


def aminmax(input: Tensor, *, dim: Any = None, keepdim: bool = False) -> tuple:
    return amin(input, dim, keepdim), amax(input, dim, keepdim)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    xp = get_array_module(input._data)
    if dim is None:
        return Tensor._make(np.int64(xp.argmax(input._data)))
    d = wrap_dim(dim, input.ndim)
    return Tensor._make(xp.argmax(input._data, axis=d, keepdims=keepdim).astype(np.int64))


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    xp = get_array_module(input._data)
    if dim is None:
        return Tensor._make(np.int64(xp.argmin(input._data)))
    d = wrap_dim(dim, input.ndim)
    return Tensor._make(xp.argmin(input._data, axis=d, keepdims=keepdim).astype(np.int64))


def var(input: Tensor, dim: Any = None, *args: Any, unbiased: Any = None, keepdim: bool = False,
        correction: Any = None) -> Tensor:
    """sum((x - mean)^2) / (N - correction); correction=1 (Bessel) by default, like torch."""
    if args:  # torch allows var(x, dim, unbiased, keepdim) and var(x, unbiased)
        if isinstance(dim, bool):
            unbiased, dim = dim, None
        unbiased = args[0] if len(args) > 0 and isinstance(args[0], bool) else unbiased
        keepdim = args[1] if len(args) > 1 else keepdim
    elif isinstance(dim, bool):
        unbiased, dim = dim, None
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    dims = wrap_dims(dim, input.ndim)
    n = _count(input.shape, dims)
    mu = input.mean(dims, keepdim=True)
    d = input - mu
    return (d * d).sum(dims, keepdim=keepdim) / builtins_max(n - correction, 0)


def builtins_max(a: float, b: float) -> float:
    return a if a > b else b


def std(input: Tensor, dim: Any = None, *args: Any, unbiased: Any = None, keepdim: bool = False,
        correction: Any = None) -> Tensor:
    return var(input, dim, *args, unbiased=unbiased, keepdim=keepdim, correction=correction).sqrt()


def var_mean(input: Tensor, dim: Any = None, *, correction: Any = None, keepdim: bool = False):
    return var(input, dim, correction=correction, keepdim=keepdim), mean(input, dim, keepdim)


def std_mean(input: Tensor, dim: Any = None, *, correction: Any = None, keepdim: bool = False):
    return std(input, dim, correction=correction, keepdim=keepdim), mean(input, dim, keepdim)


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over ``dim``, stable: m + log(sum(exp(x - m))) with m = max."""
    from .binary import where

    dims = wrap_dims(dim, input.ndim)
    m = Tensor._make(get_array_module(input._data).max(input._data, axis=dims, keepdims=True))
    m = where(m.isinf(), 0.0, m)
    out = (input - m).exp().sum(dims, keepdim=True).log() + m
    return out if keepdim else out.squeeze(dims) if dims is not None else out.reshape(())


class Norm2(Op):
    """y = sqrt(sum x^2) over ``dims``.   dx = g x / y (0 where y == 0, like torch)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        xp = get_array_module(x)
        y = xp.sqrt((x * x).sum(axis=dims, keepdims=True))
        ctx.save_for_backward(x, y)
        return y if keepdim else _drop_dims(y, dims)

    @staticmethod
    def backward(ctx, g):
        from .binary import where

        x, y = ctx.saved_tensors
        _, dims, _ = ctx.inputs
        g = g.reshape(_keep_shape(x.shape, dims))
        safe = where(y == 0, 1.0, y)
        return where(y == 0, 0.0, g * x / safe), None, None


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
         dtype: Any = None) -> Tensor:
    """Vector p-norm over ``dim`` (flattened when None): 'fro'/2, 1, inf, -inf, 0 or any p > 0."""
    if dtype is not None:
        input = input.to(dtype)
    dims = wrap_dims(dim, input.ndim)
    if p in ("fro", 2, 2.0, None):
        return Norm2.apply(input, dims, keepdim)
    if p == "nuc":
        from .linalg import matrix_norm

        return matrix_norm(input, "nuc", dim if dim is not None else (-2, -1), keepdim)
    a = input.abs()
    if p == float("inf"):
        return amax(a, dims, keepdim)
    if p == float("-inf"):
        return amin(a, dims, keepdim)
    if p == 0:
        return (a != 0).to(input.dtype).sum(dims, keepdim=keepdim)
    if p == 1:
        return a.sum(dims, keepdim=keepdim)
    return (a ** p).sum(dims, keepdim=keepdim) ** (1.0 / p)


class Cumsum(Op):
    """y_i = sum_{j <= i} x_j along ``dim``.   dx = reversed cumsum of g."""

    @staticmethod
    def forward(ctx, x, dim):
        return get_array_module(x).cumsum(x, axis=dim)

    @staticmethod
    def backward(ctx, g):
        dim = ctx.inputs[1]
        return Cumsum.apply(g.flip(dim), dim).flip(dim), None


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    if dtype is not None:
        input = input.to(dtype)
    elif not input.dtype.is_floating_point:
        input = input.to(_dtype.int64)
    return Cumsum.apply(input, wrap_dim(dim, input.ndim))


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """y_i = prod_{j <= i} x_j.   dx_i = sum_{k >= i} g_k y_k / x_i (inputs must be nonzero for
    the gradient; torch's zero-handling path is not reproduced)."""
    if dtype is not None:
        input = input.to(dtype)
    d = wrap_dim(dim, input.ndim)
    return (input.abs().log().cumsum(d)).exp() * _cumsign(input, d) if input.requires_grad else \
        Tensor._make(get_array_module(input._data).cumprod(input._data, axis=d))


def _cumsign(x: Tensor, d: int) -> Tensor:
    neg = (x._data < 0).astype(np.int64)
    xp = get_array_module(x._data)
    return Tensor._make((1 - 2 * (xp.cumsum(neg, axis=d) % 2)).astype(x._data.dtype))


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    dims = wrap_dims(dim, input.ndim)
    return Tensor._make(get_array_module(input._data).all(input._data, axis=dims, keepdims=keepdim))


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    dims = wrap_dims(dim, input.ndim)
    return Tensor._make(get_array_module(input._data).any(input._data, axis=dims, keepdims=keepdim))


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    dims = wrap_dims(dim, input.ndim)
    return Tensor._make(np.asarray(get_array_module(input._data).count_nonzero(
        input._data, axis=dims), dtype=np.int64))


class Softmax(Op):
    """y = exp(x - max) / sum(exp(x - max)) along ``dim``.   dx = y (g - sum(g y))."""

    @staticmethod
    def forward(ctx, x, dim):
        xp = get_array_module(x)
        e = xp.exp(x - x.max(axis=dim, keepdims=True))
        y = e / e.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        dim = ctx.inputs[1]
        return y * (g - (g * y).sum(dim, keepdim=True)), None


class LogSoftmax(Op):
    """y = x - logsumexp(x) along ``dim``.   dx = g - exp(y) sum(g)."""

    @staticmethod
    def forward(ctx, x, dim):
        xp = get_array_module(x)
        s = x - x.max(axis=dim, keepdims=True)
        y = s - xp.log(xp.exp(s).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        dim = ctx.inputs[1]
        return g - y.exp() * g.sum(dim, keepdim=True), None


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """Softmax along ``dim`` (required, as in modern torch)."""
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        input = input.to(_dtype.get_default_dtype())
    return Softmax.apply(input, wrap_dim(dim, input.ndim))


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        input = input.to(_dtype.get_default_dtype())
    return LogSoftmax.apply(input, wrap_dim(dim, input.ndim))


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
    """(values, indices) sorted along ``dim``; values = gather(input, dim, indices)."""
    idx = argsort(input, dim, descending, stable=True)
    return values_indices(input.gather(wrap_dim(dim, input.ndim), idx) if input.ndim else input, idx)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    xp = get_array_module(input._data)
    if input.ndim == 0:
        return Tensor._make(np.zeros((), np.int64))
    d = wrap_dim(dim, input.ndim)
    key = -input._data if descending and input.dtype is not _dtype.bool else input._data
    if descending and input.dtype is _dtype.bool:
        key = ~key
    return Tensor._make(xp.argsort(key, axis=d, kind="stable").astype(np.int64))


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
    d = wrap_dim(dim, input.ndim)
    if not 0 <= k <= input.shape[d]:
        raise RuntimeError(f"selected index k out of range: k={k} for dim {d} of size {input.shape[d]}")
    idx = argsort(input, d, descending=largest).narrow(d, 0, k)
    return values_indices(input.gather(d, idx), idx)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    d = wrap_dim(dim, input.ndim)
    idx = argsort(input, d).narrow(d, k - 1, 1)
    vals = input.gather(d, idx)
    if not keepdim:
        vals, idx = vals.squeeze(d), idx.squeeze(d)
    return values_indices(vals, idx)


def median(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """Lower median (torch's rule: the smaller of the two middle values)."""
    if dim is None:
        flat = input.reshape(-1)
        return kthvalue(flat, (flat.shape[0] + 1) // 2, 0).values
    d = wrap_dim(dim, input.ndim)
    return kthvalue(input, (input.shape[d] + 1) // 2, d, keepdim)
