"""Input checks shared by ``ember.metrics`` and ``ember.vision.ops`` (arrays or tensors in).

Every public metric converts its inputs here, so the error messages are uniform: they name the
argument, the value (or shape) received and what was expected (STYLE S14).
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["to_numpy", "check_1d", "check_same_length", "check_finite", "check_sample_weight",
           "check_boxes"]


def to_numpy(x: Any, name: str = "input", dtype: Any = None) -> np.ndarray:
    """Return ``x`` as a NumPy array (ember/torch tensors via ``.detach().cpu().numpy()``)."""
    if hasattr(x, "detach"):
        x = x.detach()
    if hasattr(x, "cpu") and not isinstance(x, np.ndarray):
        x = x.cpu()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    elif hasattr(x, "get") and type(x).__module__.startswith("cupy"):
        x = x.get()
    try:
        arr = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}: expected an array-like of numbers, got {type(x).__name__}") from exc
    if arr.dtype == object:
        raise TypeError(f"{name}: expected a rectangular numeric array, got ragged/object input")
    return arr


def check_1d(x: Any, name: str, dtype: Any = None) -> np.ndarray:
    """``x`` as a 1-D array; a column vector (n, 1) is flattened like sklearn's column_or_1d."""
    arr = to_numpy(x, name, dtype)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array of shape (n_samples,), got shape {arr.shape}")
    return arr


def check_same_length(**arrays: Any) -> None:
    """Raise ValueError unless every given array (None skipped) has the same first dimension."""
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k}={n}" for k, n in lengths.items())
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {desc}")


def check_finite(x: np.ndarray, name: str) -> None:
    """Raise ValueError when ``x`` holds NaN or infinity."""
    if x.dtype.kind in "fc" and not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: contains NaN or infinity; expected finite values")


def check_sample_weight(sample_weight: Any, n: int) -> np.ndarray | None:
    """Validate ``sample_weight`` (None or n non-negative finite floats)."""
    if sample_weight is None:
        return None
    w = check_1d(sample_weight, "sample_weight", np.float64)
    if len(w) != n:
        raise ValueError(f"sample_weight: expected {n} weights, got {len(w)}")
    check_finite(w, "sample_weight")
    if np.any(w < 0):
        raise ValueError("sample_weight: expected non-negative weights, got a negative value")
    return w


def check_boxes(boxes: Any, name: str = "boxes", validate_order: bool = True) -> np.ndarray:
    """``boxes`` as a float (N, 4) array of (x1, y1, x2, y2); checks x2 >= x1, y2 >= y1, finiteness.

    Integer input is promoted to float64 (torchvision keeps integer dtypes for some ops; ember's
    box functions always return floating point).
    """
    arr = to_numpy(boxes, name)
    if arr.ndim != 2 or arr.shape[-1] != 4:
        raise ValueError(f"{name}: expected shape (N, 4), got {arr.shape}")
    if arr.dtype.kind not in "f":
        arr = arr.astype(np.float64)
    check_finite(arr, name)
    if validate_order and arr.size:
        bad = (arr[:, 2] < arr[:, 0]) | (arr[:, 3] < arr[:, 1])
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{name}: box {i} = {arr[i].tolist()} has x2 < x1 or y2 < y1; expected "
                             "(x1, y1, x2, y2) with x1 <= x2 and y1 <= y2")
    return arr
