"""torch-like printing of tensors: ``tensor([1., 2.], requires_grad=True)``."""
from __future__ import annotations

from typing import Any

import numpy as np


def _float_formatter(arr: np.ndarray) -> Any:
    finite = arr[np.isfinite(arr)]
    if finite.size and np.all(finite == np.round(finite)) and np.abs(finite).max() < 1e8:
        return lambda v: f"{v:.0f}." if np.isfinite(v) else str(v)
    big = finite.size and (np.abs(finite).max() >= 1e8 or (np.abs(finite[finite != 0]).min()
                                                           if (finite != 0).any() else 1) < 1e-4)
    if big:
        return lambda v: f"{v:.4e}"
    return lambda v: f"{v:.4f}"


def format_tensor(t: Any) -> str:
    arr = np.asarray(t)
    prefix = "tensor("
    if arr.dtype.kind == "f":
        fmt = {"float": _float_formatter(arr.astype(np.float64))}
    else:
        fmt = None
    body = np.array2string(arr, separator=", ", prefix=prefix, formatter=fmt, threshold=1000,
                           edgeitems=3, max_line_width=80)
    extras = []
    if t.device.type != "cpu":
        extras.append(f"device='{t.device}'")
    default_dtypes = ("float32", "int64", "bool")
    if t.dtype.name not in default_dtypes or arr.size == 0:
        extras.append(f"dtype=ember.{t.dtype.name}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        extras.append("requires_grad=True")
    if arr.size == 0:
        body = f"[], size={tuple(arr.shape)}" if arr.ndim > 1 else "[]"
    return prefix + body + "".join(", " + e for e in extras) + ")"
