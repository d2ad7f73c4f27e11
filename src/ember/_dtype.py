"""dtypes with PyTorch's names and PyTorch's type-promotion rules.

``ember.float32`` etc. are ``dtype`` objects wrapping a numpy dtype. Promotion follows torch:
categories bool < integer < floating; a Python scalar or 0-dim tensor only raises the *category*
(``int_tensor + 1.5`` -> default float dtype, ``float32_tensor + 1.5`` -> float32).
"""
from __future__ import annotations

import contextvars
from typing import Any

import numpy as np


class dtype:
    """A tensor element type: ``ember.float32``, ``ember.int64``, ``ember.bool``…"""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_cat")

    def __init__(self, name: str, np_dtype: Any) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = self.np.kind == "f"
        self.is_signed = self.np.kind in "fi"
        self.itemsize = self.np.itemsize
        self._cat = {"b": 0, "u": 1, "i": 1, "f": 2}[self.np.kind]

    @property
    def is_complex(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"ember.{self.name}"

    def __reduce__(self) -> str:
        return self.name


float16 = half = dtype("float16", np.float16)
float32 = float = dtype("float32", np.float32)
float64 = double = dtype("float64", np.float64)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = short = dtype("int16", np.int16)
int32 = int = dtype("int32", np.int32)
int64 = long = dtype("int64", np.int64)
bool = dtype("bool", np.bool_)  # noqa: A001 - torch's name

ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool)
_FROM_NP = {d.np: d for d in ALL}

_default_dtype: contextvars.ContextVar[dtype] = contextvars.ContextVar("ember_default_dtype",
                                                                      default=float32)


def get_default_dtype() -> dtype:
    """The floating dtype of new float tensors (float32 unless changed)."""
    return _default_dtype.get()


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype (float16, float32 or float64), like torch."""
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"set_default_dtype(): only floating-point types are supported as the "
                        f"default type, got {d}")
    _default_dtype.set(d)


def to_dtype(d: Any) -> dtype:
    """Accept an ember dtype, a numpy dtype/type, a torch dtype name string or a Python type."""
    if isinstance(d, dtype):
        return d
    if d is None:
        return get_default_dtype()
    if d is _py_float:
        return get_default_dtype()
    if d is _py_int:
        return int64
    if d is _py_bool:
        return bool
    if isinstance(d, str):
        d = d.replace("torch.", "").replace("ember.", "")
        named = globals().get(d)
        if isinstance(named, dtype):
            return named
    try:
        return _FROM_NP[np.dtype(d)]
    except (TypeError, KeyError):
        raise TypeError(f"dtype: expected an ember dtype such as ember.float32, got {d!r}") from None


import builtins as _builtins  # noqa: E402

_py_float, _py_int, _py_bool = _builtins.float, _builtins.int, _builtins.bool


def from_numpy_dtype(npd: Any) -> dtype:
    """The ember dtype of a numpy dtype (float64 arrays stay float64, like torch.from_numpy)."""
    try:
        return _FROM_NP[np.dtype(npd)]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type {np.dtype(npd)}. The only supported types "
                        "are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
                        ) from None


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: the smallest dtype both ``a`` and ``b`` convert to safely."""
    if a is b:
        return a
    if a._cat != b._cat:
        hi, lo = (a, b) if a._cat > b._cat else (b, a)
        return hi
    return _FROM_NP[np.promote_types(a.np, b.np)]


def scalar_dtype(x: Any) -> dtype:
    """dtype a Python scalar takes on its own: bool, int64 or the default float."""
    if isinstance(x, (_py_bool, np.bool_)):
        return bool
    if isinstance(x, (_py_int, np.integer)):
        return int64
    return get_default_dtype()


def result_type(*operands: Any) -> dtype:
    """torch.result_type over tensors (``.dtype``/``.ndim``) and Python scalars.

    Three priority groups: tensors with dims, 0-dim tensors, Python scalars. A lower group only
    changes the result when it is of a higher category (bool < int < float).
    """
    groups: list[dtype | None] = [None, None, None]
    for x in operands:
        if isinstance(getattr(x, "dtype", None), dtype):
            g, d = (0 if x.ndim > 0 else 1), x.dtype
        else:
            g, d = 2, scalar_dtype(x)
        cur = groups[g]
        groups[g] = d if cur is None else promote_types(cur, d)
    out = _combine(groups[0], _combine(groups[1], groups[2]))
    assert out is not None, "result_type() needs at least one operand"
    return out


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """torch's combine_categories: ``lower`` counts only if it is of a higher category."""
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher
