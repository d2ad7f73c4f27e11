"""Helpers shared by the ops: operand preparation (type promotion) and un-broadcasting."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor


def wrap_dim(dim: int, ndim: int) -> int:
    """Normalise a possibly negative ``dim`` for a tensor of ``ndim`` dims (IndexError like torch)."""
    n = max(ndim, 1)
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but "
                         f"got {dim})")
    return int(dim) % n


def wrap_dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """``dim`` as a sorted tuple of non-negative dims, or None for 'all dims'."""
    if dim is None:
        return None
    if ndim == 0:  # torch accepts dim 0 / -1 on a 0-d tensor: reduce over "everything"
        for d in (dim if isinstance(dim, (tuple, list)) else (dim,)):
            wrap_dim(d, 0)
        return None
    if isinstance(dim, (tuple, list)):
        if len(dim) == 0:
            return None
        dims = tuple(sorted(wrap_dim(d, ndim) for d in dim))
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"dim {tuple(dim)} appears multiple times in the list of dims")
        return dims
    return (wrap_dim(dim, ndim),)


def as_tensor_arg(x: Any, name: str = "input") -> Tensor:
    """A Tensor for ``x`` (Tensors pass through; numbers/arrays are wrapped, never copied twice)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (numbers.Number, np.ndarray, np.generic, list, tuple)):
        return Tensor._make(np.asarray(x) if not isinstance(x, numbers.Number)
                            else np.asarray(x, dtype=_dtype.scalar_dtype(x).np))
    raise TypeError(f"{name} must be a Tensor or a number, got {type(x).__name__}")


def binary_operands(a: Any, b: Any, float_result: bool = False) -> tuple[Any, Any]:
    """Promote ``a``/``b`` to their torch result dtype. Python scalars stay scalars when numpy's
    own rule (NEP 50: the array's dtype wins within a kind) already gives the torch dtype."""
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        if a._data.dtype is b._data.dtype and not float_result:
            return a, b
        dt = _dtype.result_type(a, b)
    elif ta or tb:
        t, s = (a, b) if ta else (b, a)
        kind = t._data.dtype.kind
        st = type(s)
        if not float_result and ((st is float and kind == "f") or (st is int and kind in "fiu")):
            return a, b  # numpy's NEP 50 already keeps the tensor's dtype (torch's rule too)
        if not isinstance(s, numbers.Number):
            s = as_tensor_arg(s, "other")
            return binary_operands(a if ta else s, s if ta else b, float_result)
        dt = _dtype.result_type(t, s)
        if float_result and not dt.is_floating_point:
            dt = _dtype.get_default_dtype()
        if t.dtype is not dt:
            t = t.to(dt)
        if isinstance(s, (bool, np.bool_)) and dt is not _dtype.bool:
            s = int(s)
        return (t, s) if ta else (s, t)
    else:
        raise TypeError("at least one operand must be a Tensor")
    if float_result and not dt.is_floating_point:
        dt = _dtype.get_default_dtype()
    return a.to(dt), b.to(dt)


def shape_of(x: Any) -> tuple:
    return x.shape if isinstance(x, Tensor) else ()


def sum_to(grad: Tensor, shape: tuple) -> Tensor:
    """Sum ``grad`` down to ``shape`` (undo broadcasting); differentiable."""
    if tuple(grad.shape) == tuple(shape):
        return grad
    from .shape import SumTo

    return SumTo.apply(grad, tuple(shape))


def reduce_to_shape(arr: Any, shape: tuple) -> Any:
    """Array version of sum_to."""
    shape = tuple(shape)
    if arr.shape == shape:
        return arr
    lead = arr.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and arr.shape[i + lead] != 1)
    out = arr.sum(axis=axes, keepdims=True) if axes else arr
    return out.reshape(shape)
