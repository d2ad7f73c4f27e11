"""Shared input handling for ember.imgproc: array conversion, validation and border modes.

Border modes use SciPy ``ndimage`` names (one scheme for the whole package); the aliases below map
the NumPy / OpenCV words onto them (ORACLES.md §2.1). Padding ``[1 2 3 4]`` by 2 on the left:

=============  ===========  ================  ====================  =================
ember / SciPy   left pad     NumPy ``np.pad``  OpenCV                aliases accepted
=============  ===========  ================  ====================  =================
``reflect``    ``2 1 | 1``  ``symmetric``     ``BORDER_REFLECT``     ``symmetric``
``mirror``     ``3 2 | 1``  ``reflect``       ``BORDER_REFLECT_101`` ``reflect_101``, ``reflect101``, ``default``
``nearest``    ``1 1 | 1``  ``edge``          ``BORDER_REPLICATE``   ``edge``, ``replicate``
``wrap``       ``3 4 | 1``  ``wrap``          ``BORDER_WRAP``        —
``constant``   ``c c | 1``  ``constant``      ``BORDER_CONSTANT``    ``fill``
=============  ===========  ================  ====================  =================
"""
from __future__ import annotations

from typing import Any

import numpy as np

MODES = ("reflect", "mirror", "nearest", "wrap", "constant")
_ALIASES = {"symmetric": "reflect", "reflect_101": "mirror", "reflect101": "mirror",
            "default": "mirror", "edge": "nearest", "replicate": "nearest", "fill": "constant"}
_TO_NUMPY = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge", "wrap": "wrap",
             "constant": "constant"}


def as_array(image: Any, name: str = "image") -> np.ndarray:
    """``np.asarray`` that also accepts objects with ``.numpy()`` (ember / torch tensors)."""
    if hasattr(image, "numpy") and not isinstance(image, np.ndarray):
        if hasattr(image, "detach"):
            image = image.detach()
        image = image.numpy()
    arr = np.asarray(image)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    return arr


def as_image(image: Any, name: str = "image", ndim: tuple[int, ...] = (2,)) -> np.ndarray:
    """Validate an image: numeric, non-empty, ``ndim`` in the allowed set."""
    arr = as_array(image, name)
    if arr.ndim not in ndim:
        raise ValueError(f"{name} must have ndim in {ndim} (H, W{', C' if 3 in ndim else ''}), "
                         f"got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must be non-empty, got shape {arr.shape}")
    return arr


def float_dtype(arr: np.ndarray) -> np.dtype:
    """float32 stays float32; everything else computes in float64 (as skimage does)."""
    return np.dtype(np.float32) if arr.dtype == np.float32 else np.dtype(np.float64)


def to_float(arr: np.ndarray) -> np.ndarray:
    """Cast to the working float type without rescaling."""
    return arr.astype(float_dtype(arr), copy=False)


def img_as_float(image: np.ndarray) -> np.ndarray:
    """skimage's rule: unsigned ints / dtype max -> [0, 1]; signed ints -> [-1, 1]; floats unchanged."""
    arr = as_array(image)
    if arr.dtype == bool:
        return arr.astype(np.float64)
    if np.issubdtype(arr.dtype, np.integer):
        info = np.iinfo(arr.dtype)
        return arr.astype(np.float64) / (info.max if info.min == 0 else -float(info.min))
    return to_float(arr)


def check_mode(mode: str) -> str:
    """Canonical (SciPy) border-mode name for ``mode`` or a ValueError naming the choices."""
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a string, got {type(mode).__name__}")
    m = _ALIASES.get(mode.lower(), mode.lower())
    if m not in MODES:
        raise ValueError(f"mode must be one of {MODES} (or aliases {sorted(_ALIASES)}), got {mode!r}")
    return m


def pad(image: Any, pad_width: Any, mode: str = "reflect", cval: float = 0.0) -> np.ndarray:
    """Pad an array with a border mode of this package (SciPy names; see the module table).

    Args:
        image: array of any ndim.
        pad_width: as ``np.pad`` (int, (before, after) or one pair per axis).
        mode: border mode (SciPy name or alias). Default: ``"reflect"`` (edge repeated).
        cval: fill value for ``"constant"``.
    """
    arr = as_array(image)
    m = check_mode(mode)
    if m == "constant":
        return np.pad(arr, pad_width, mode="constant", constant_values=cval)
    if m == "mirror" and 1 in arr.shape:
        # a length-1 axis has nothing to mirror; SciPy and OpenCV repeat the pixel along it
        widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (arr.ndim, 2))
        for ax, (n, w) in enumerate(zip(arr.shape, widths)):
            one = [(0, 0)] * arr.ndim
            one[ax] = tuple(w)
            arr = np.pad(arr, one, mode="edge" if n == 1 else "reflect")
        return arr
    return np.pad(arr, pad_width, mode=_TO_NUMPY[m])


def check_positive(value: float, name: str, allow_zero: bool = False) -> float:
    """Raise ValueError unless ``value`` is a finite number > 0 (>= 0 with ``allow_zero``)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return v


def check_odd(size: int, name: str) -> int:
    """A positive odd integer or ValueError."""
    if not isinstance(size, (int, np.integer)) or isinstance(size, bool):
        raise TypeError(f"{name} must be an int, got {size!r}")
    if size < 1 or size % 2 == 0:
        raise ValueError(f"{name} must be a positive odd integer, got {size}")
    return int(size)


def pair(value: Any, name: str) -> tuple[int, int]:
    """An int or a pair of ints -> (int, int), each >= 1."""
    vals = (value, value) if np.isscalar(value) else tuple(value)
    if len(vals) != 2 or any(int(v) != v or v < 1 for v in vals):
        raise ValueError(f"{name} must be a positive int or a pair of positive ints, got {value!r}")
    return int(vals[0]), int(vals[1])


def restore_dtype(result: np.ndarray, like: np.ndarray) -> np.ndarray:
    """Round, clip and cast a float result back to ``like``'s integer dtype (floats pass through)."""
    if np.issubdtype(like.dtype, np.integer):
        info = np.iinfo(like.dtype)
        return np.clip(np.floor(result + 0.5), info.min, info.max).astype(like.dtype)
    return result
