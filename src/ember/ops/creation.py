"""Tensor creation: tensor/as_tensor/from_numpy, zeros/ones/full/empty(_like), arange, linspace,
logspace, eye, meshgrid, tril/triu, diag. dtype inference follows torch (Python floats -> the
default dtype, ints -> int64, numpy arrays keep their dtype)."""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from .. import _backend, _dtype
from .._backend import get_array_module
from .._tensor import Tensor
from ..autograd.function import Op


def _infer_dtype(data: Any) -> _dtype.dtype:
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):
        return _dtype.from_numpy_dtype(data.dtype)
    if isinstance(data, (bool, np.bool_)):
        return _dtype.bool
    if isinstance(data, numbers.Integral):
        return _dtype.int64
    if isinstance(data, numbers.Real):
        return _dtype.get_default_dtype()
    if isinstance(data, (list, tuple)):
        if len(data) == 0:
            return _dtype.get_default_dtype()
        kinds = [_infer_dtype(d) for d in data]
        out = kinds[0]
        for k in kinds[1:]:
            out = _dtype.promote_types(out, k) if k._cat != out._cat else \
                (out if out.itemsize >= k.itemsize else k)
        return out
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _unwrap(data: Any) -> Any:
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_unwrap(d) for d in data]
    return data


def _finish(arr: Any, device: Any, requires_grad: bool) -> Tensor:
    if device is not None:
        arr = _backend.to_device(arr, device)
    t = Tensor._make(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (nested lists, numbers, arrays or tensors)."""
    dt = _dtype.to_dtype(dtype) if dtype is not None else _infer_dtype(data)
    raw = _unwrap(data)
    arr = (raw.astype(dt.np, copy=True) if hasattr(raw, "astype") and not isinstance(raw, np.generic)
           else np.array(raw, dtype=dt.np))
    if arr.dtype == object:
        raise ValueError("tensor(): could not build a rectangular array from data")
    return _finish(arr, device, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like tensor() but shares memory with a numpy array / tensor when dtype and device allow."""
    if isinstance(data, Tensor):
        out = data
        if dtype is not None:
            out = out.to(_dtype.to_dtype(dtype))
        return out if device is None else out.to(device)
    if isinstance(data, np.ndarray) and (dtype is None or _dtype.to_dtype(dtype).np == data.dtype):
        _dtype.from_numpy_dtype(data.dtype)
        return _finish(data, device, False)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """Share memory with ``ndarray`` (its dtype kept)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return Tensor._make(ndarray)


def _size(size: Sequence[Any]) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    out = []
    for s in size:
        if not isinstance(s, (numbers.Integral, Tensor)):
            raise TypeError(f"size must be a tuple of ints, but got an element of type "
                            f"{type(s).__name__}")
        s = int(s)
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
        out.append(s)
    return tuple(out)


def _filled(size: tuple, fill: Any, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    arr = np.full(size, fill, dtype=dt.np) if fill is not None else np.empty(size, dtype=dt.np)
    return _finish(arr, device, requires_grad)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
          out: Any = None) -> Tensor:
    return _filled(_size(size), 0, dtype, device, requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(_size(size), 1, dtype, device, requires_grad)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
          memory_format: Any = None) -> Tensor:
    return _filled(_size(size), 0, dtype, device, requires_grad)  # zeroed: no garbage in ember


def full(size: Sequence[int], fill_value: Any, *, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    dt = dtype if dtype is not None else _infer_dtype(fill_value)
    return _filled(_size((size,)), fill_value, dt, device, requires_grad)


def _like(input: Tensor, dtype: Any, device: Any) -> tuple:
    return (dtype if dtype is not None else input.dtype,
            device if device is not None else input.device)


def zeros_like(input: Tensor, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    dt, dev = _like(input, dtype, device)
    return _filled(input.shape, 0, dt, dev, requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    dt, dev = _like(input, dtype, device)
    return _filled(input.shape, 1, dt, dev, requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    dt, dev = _like(input, dtype, device)
    return _filled(input.shape, fill_value, dt, dev, requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """[start, end) with ``step``; int64 when all arguments are ints, else the default float."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    is_int = all(isinstance(v, numbers.Integral) for v in vals)
    dt = _dtype.to_dtype(dtype) if dtype is not None else (
        _dtype.int64 if is_int else _dtype.get_default_dtype())
    n = int(np.ceil((vals[1] - vals[0]) / vals[2]))
    arr = (vals[0] + np.arange(max(n, 0), dtype=np.float64) * vals[2]) if not is_int else \
        np.arange(vals[0], vals[1], vals[2])
    return _finish(arr.astype(dt.np), device, requires_grad)


def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    return _finish(np.linspace(float(start), float(end), steps).astype(dt.np), device, requires_grad)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    arr = np.logspace(float(start), float(end), steps, base=base).astype(dt.np)
    return _finish(arr, device, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    return _finish(np.eye(n, n if m is None else m, dtype=dt.np), device, requires_grad)


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple:
    """Coordinate grids (indexing 'ij' or 'xy'); differentiable through expand."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ValueError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: "
                         f"{indexing}")
    ts = list(tensors)
    if indexing == "xy" and len(ts) >= 2:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t.numel() for t in ts)
    out = []
    for i, t in enumerate(ts):
        view = [1] * len(ts)
        view[i] = -1
        out.append(t.reshape(view).expand(shape))
    if indexing == "xy" and len(ts) >= 2:
        out[0], out[1] = out[1], out[0]
        out = [o.transpose(0, 1) for o in out]
    return tuple(out)


class TriMask(Op):
    """y = x * mask (tril/triu/diag-embedding masks).   dx = g * mask."""

    @staticmethod
    def forward(ctx, x, lower, k):
        xp = get_array_module(x)
        y = xp.tril(x, k) if lower else xp.triu(x, k)
        return y

    @staticmethod
    def backward(ctx, g):
        _, lower, k = ctx.inputs
        return TriMask.apply(g, lower, k), None, None


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    return TriMask.apply(input, True, diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    return TriMask.apply(input, False, diagonal)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal as a new last dim (a gather; differentiable)."""
    n1, n2 = input.shape[dim1], input.shape[dim2]
    i = np.arange(max(0, -offset), min(n1, n2 - offset))
    x = input.movedim((dim1, dim2), (-2, -1))
    return x[..., Tensor._make(i), Tensor._make(i + offset)]


def diag_embed(input: Tensor, offset: int = 0) -> Tensor:
    n = input.shape[-1] + abs(offset)
    eye_ = Tensor._make(np.eye(n, k=offset, dtype=input._data.dtype))
    from .pad import pad

    v = input if offset == 0 else pad(input, (abs(offset), 0))
    return v.unsqueeze(-2) * eye_ if offset >= 0 else v.unsqueeze(-1) * eye_


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """1-D -> a square matrix with it on the diagonal; 2-D -> its diagonal."""
    if input.ndim == 1:
        return diag_embed(input, diagonal)
    if input.ndim == 2:
        return globals()["diagonal"](input, diagonal)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def trace(input: Tensor) -> Tensor:
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return diagonal(input).sum()
