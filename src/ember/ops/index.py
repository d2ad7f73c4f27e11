"""Indexing ops: basic/advanced getitem and setitem, narrow/select, gather/scatter,
index_select/index_add, masked_fill/masked_select, nonzero."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor
from ..autograd.function import Op
from ._util import sum_to, wrap_dim


def _convert_key(key: Any) -> Any:
    """Tensors/lists in an index become arrays (bool stays bool); returns (key, is_basic)."""
    if not isinstance(key, tuple):
        key = (key,)
    out, basic = [], True
    for k in key:
        if isinstance(k, Tensor):
            k = k._data
            if k.ndim == 0 and k.dtype.kind in "iu":
                k = int(k)
            else:
                basic = False
        elif isinstance(k, (list, np.ndarray)):
            k = np.asarray(k)
            if k.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            basic = False
        elif isinstance(k, (bool, np.bool_)):
            basic = False
        elif not (k is None or k is Ellipsis or isinstance(k, (int, np.integer, slice))):
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                             f"Variables are valid indices (got {type(k).__name__})")
        if isinstance(k, slice) and k.step is not None and k.step <= 0:
            raise ValueError("step must be greater than zero")
        out.append(k)
    return tuple(out), basic


def _advanced_to_ints(key: tuple) -> tuple:
    """Bool masks -> integer index arrays (np.add.at wants integer advanced indices)."""
    out = []
    for k in key:
        if hasattr(k, "dtype") and k.dtype == np.bool_:
            out.extend(np.nonzero(k))
        else:
            out.append(k)
    return tuple(out)


class GetItemAdvanced(Op):
    """y = x[key] with integer/bool arrays: a copy.   dx = zeros, then add g at key (repeats add)."""

    _basic = False

    @staticmethod
    def forward(ctx, x, key):
        ctx.shape = x.shape
        return x[key]

    @classmethod
    def backward(cls, ctx, g):
        return IndexBackward.apply(g, ctx.shape, ctx.inputs[1], cls._basic), None


class GetItemBasic(GetItemAdvanced):
    """y = x[key] with ints/slices/None/...: a view.   dx = zeros with dx[key] = g."""

    _view = True
    _basic = True


class IndexBackward(Op):
    """y = zeros(shape); y[key] += g.   The adjoint of getitem; its own backward is getitem."""

    @staticmethod
    def forward(ctx, g, shape, key, basic):
        out = get_array_module(g).zeros(shape, dtype=g.dtype)
        if basic:
            out[key] = g
        else:
            np.add.at(out, _advanced_to_ints(key), g) if isinstance(out, np.ndarray) else \
                get_array_module(out).add.at(out, _advanced_to_ints(key), g)
        return out

    @staticmethod
    def backward(ctx, gg):
        _, _, key, basic = ctx.inputs
        return (GetItemBasic if basic else GetItemAdvanced).apply(gg, key), None, None, None


class IndexPut(Op):
    """y = x with y[key] = v (v broadcast).   dx = g with g[key] = 0;  dv = sum_to(g[key], v)."""

    @staticmethod
    def forward(ctx, x, key, v, accumulate):
        out = x.copy()
        if accumulate:
            np.add.at(out, _advanced_to_ints(key), v)
        else:
            out[key] = v
        ctx.v_shape = getattr(v, "shape", ())
        return out

    @staticmethod
    def backward(ctx, g):
        _, key, v, accumulate = ctx.inputs
        gx = g if accumulate else IndexPut.apply(g, key, 0.0, False)
        gv = None
        if isinstance(v, Tensor) and v.requires_grad:
            gv = sum_to(g[_tensor_key(key)], ctx.v_shape)
        return gx, None, gv, None


def _zeros(like: Tensor, shape: tuple) -> Tensor:
    """A zero tensor of ``shape`` with ``like``'s dtype and device (gradient accumulator)."""
    return Tensor._make(get_array_module(like._data).zeros(shape, dtype=like._data.dtype))


def _tensor_key(key: tuple) -> tuple:
    return tuple(Tensor._make(k) if isinstance(k, np.ndarray) else k for k in key)


def getitem(input: Tensor, key: Any) -> Tensor:
    k, basic = _convert_key(key)
    return (GetItemBasic if basic else GetItemAdvanced).apply(input, k)


def setitem(input: Tensor, key: Any, value: Any) -> None:
    """``input[key] = value`` in place (recorded in the graph when grads are on)."""
    k, _ = _convert_key(key)
    if isinstance(value, Tensor):
        if value.dtype is not input.dtype:
            value = value.to(input.dtype)
    input._inplace(lambda x, v: IndexPut.apply(x, k, v, False), value)


def index_put(input: Tensor, indices: tuple, values: Tensor, accumulate: bool = False) -> Tensor:
    k, _ = _convert_key(tuple(indices))
    return IndexPut.apply(input, k, values, accumulate)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    start = int(start) + (n if start < 0 else 0)
    if not (0 <= start <= n and 0 <= length and start + length <= n):
        raise IndexError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    key = (slice(None),) * d + (slice(start, start + length),)
    return GetItemBasic.apply(input, key)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {d}")
    return GetItemBasic.apply(input, (slice(None),) * d + (int(index),))


def _full_index(idx: Any, dim: int) -> tuple:
    xp = get_array_module(idx)
    ix = list(xp.ogrid[tuple(slice(s) for s in idx.shape)]) if idx.ndim else []
    ix[dim] = idx
    return tuple(ix)


def _check_index(index: Any, name: str = "index") -> Tensor:
    if not isinstance(index, Tensor) or index.dtype.name not in ("int64", "int32", "int16", "int8",
                                                                  "uint8"):
        raise RuntimeError(f"{name}(): Expected dtype int64 for index, got "
                           f"{getattr(index, 'dtype', type(index).__name__)}")
    return index


class Gather(Op):
    """y[i][j] = x[i][index[i][j]] (along ``dim``).   dx = scatter_add(zeros, dim, index, g)."""

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape = x.shape
        sl = tuple(slice(0, s) if d != dim else slice(None) for d, s in enumerate(index.shape))
        return get_array_module(x).take_along_axis(x[sl], index, axis=dim)

    @staticmethod
    def backward(ctx, g):
        _, dim, index = ctx.inputs
        zeros = _zeros(g, ctx.shape)
        return ScatterAdd.apply(zeros, dim, index, g), None, None


class ScatterAdd(Op):
    """y = x; y[... index[i][j] ...] += src[i][j].   dx = g;  dsrc = gather(g, dim, index)."""

    @staticmethod
    def forward(ctx, x, dim, index, src):
        out = x.copy()
        sl = tuple(slice(0, s) for s in index.shape)
        np.add.at(out, _full_index(index, dim), src[sl])
        return out

    @staticmethod
    def backward(ctx, g):
        _, dim, index, src = ctx.inputs
        gs = _pad_like(Gather.apply(g, dim, index), src) if isinstance(src, Tensor) else None
        return g, None, None, gs


class Scatter(Op):
    """y = x; y[... index[i][j] ...] = src[i][j].   dx = g with scattered cells 0;  dsrc = gather."""

    @staticmethod
    def forward(ctx, x, dim, index, src):
        out = x.copy()
        if isinstance(src, np.ndarray) or hasattr(src, "shape"):
            sl = tuple(slice(0, s) for s in index.shape)
            out[_full_index(index, dim)] = src[sl]
        else:
            out[_full_index(index, dim)] = src
        return out

    @staticmethod
    def backward(ctx, g):
        _, dim, index, src = ctx.inputs
        gx = Scatter.apply(g, dim, index, 0.0)
        gs = _pad_like(Gather.apply(g, dim, index), src) if isinstance(src, Tensor) else None
        return gx, None, None, gs


def _pad_like(g: Tensor, src: Tensor) -> Tensor:
    """src may be larger than index: its unused cells get zero gradient."""
    if g.shape == src.shape:
        return g
    from .pad import pad

    widths = []
    for s_g, s_s in reversed(list(zip(g.shape, src.shape))):
        widths += [0, s_s - s_g]
    return pad(g, widths)


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor:
    _check_index(index, "gather")
    d = wrap_dim(dim, input.ndim)
    if index.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    return Gather.apply(input, d, index)


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None,
            reduce: str | None = None) -> Tensor:
    _check_index(index, "scatter")
    src = value if src is None else src
    d = wrap_dim(dim, input.ndim)
    if reduce == "add":
        return scatter_add(input, d, index, src)
    if isinstance(src, Tensor) and src.dtype is not input.dtype:
        src = src.to(input.dtype)
    return Scatter.apply(input, d, index, src)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    _check_index(index, "scatter_add")
    if src.dtype is not input.dtype:
        src = src.to(input.dtype)
    return ScatterAdd.apply(input, wrap_dim(dim, input.ndim), index, src)


class IndexSelect(Op):
    """y = x.take(index, axis=dim).   dx = index_add(zeros, dim, index, g)."""

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape = x.shape
        return get_array_module(x).take(x, index, axis=dim)

    @staticmethod
    def backward(ctx, g):
        _, dim, index = ctx.inputs
        zeros = _zeros(g, ctx.shape)
        return IndexAdd.apply(zeros, dim, index, g), None, None


class IndexAdd(Op):
    """y = x; y.index_add_(dim, index, src).   dx = g;  dsrc = index_select(g, dim, index)."""

    @staticmethod
    def forward(ctx, x, dim, index, src):
        out = x.copy()
        np.add.at(out, (slice(None),) * dim + (index,), src)
        return out

    @staticmethod
    def backward(ctx, g):
        _, dim, index, src = ctx.inputs
        return g, None, None, IndexSelect.apply(g, dim, index) if isinstance(src, Tensor) else None


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    _check_index(index, "index_select")
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    return IndexSelect.apply(input, wrap_dim(dim, input.ndim), index.reshape(-1))


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
    _check_index(index, "index_add")
    src = source if alpha == 1 else source * alpha
    return IndexAdd.apply(input, wrap_dim(dim, input.ndim), index, src)


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """Replace entries where ``mask`` (bool, broadcastable) is True by ``value``."""
    from .binary import where

    if not isinstance(mask, Tensor) or mask.dtype.name != "bool":
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{getattr(mask, 'dtype', type(mask).__name__)}")
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                           f"with {value.ndim} dimension(s).")
    out = where(mask, value if isinstance(value, Tensor) else _scalar_like(value, input), input)
    if out.shape != input.shape:
        raise RuntimeError(f"masked_fill: mask of shape {list(mask.shape)} is not broadcastable to "
                           f"input of shape {list(input.shape)}")
    return out


def _scalar_like(value: Any, ref: Tensor) -> Tensor:
    return Tensor._make(get_array_module(ref._data).asarray(value, dtype=ref._data.dtype))


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    from .shape import broadcast_tensors

    x, m = broadcast_tensors(input, mask)
    return GetItemAdvanced.apply(x, (m._data,))


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    xp = get_array_module(input._data)
    nz = xp.nonzero(input._data)
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in nz)
    return Tensor._make(xp.stack(nz, axis=1).astype(np.int64) if nz else xp.zeros((0, 0), np.int64))


def argwhere(input: Tensor) -> Tensor:
    return nonzero(input)


def take(input: Tensor, index: Tensor) -> Tensor:
    return getitem(input.reshape(-1), index)
