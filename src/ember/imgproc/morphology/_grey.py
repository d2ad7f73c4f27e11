"""Grey-level morphology with arbitrary flat structuring elements (TOPICS.md §1.21).

``dilation(f)[p] = max_{s in SE} f[p + s - c]`` and ``erosion(f)[p] = min_{s in SE} f[p + s - c]`` with
c = (kh // 2, kw // 2), the SE *not* reflected (OpenCV's ``dilate``/``erode`` and skimage's
``dilation``/``erosion``; ``scipy.ndimage.grey_dilation`` reflects it). For binary images these are
the familiar shrink (erosion) / grow (dilation) operations.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_mode, pad

__all__ = ["black_tophat", "closing", "dilation", "erosion", "hit_or_miss",
           "morphological_gradient", "opening", "white_tophat"]


def _footprint(footprint: Any) -> np.ndarray:
    if footprint is None:
        return np.ones((3, 3), dtype=bool)
    fp = np.asarray(footprint)
    if fp.ndim != 2 or fp.size == 0:
        raise ValueError(f"footprint must be a non-empty 2-D array, got shape {fp.shape}")
    fp = fp.astype(bool)
    if not fp.any():
        raise ValueError("footprint must contain at least one nonzero element")
    return fp


def _extreme(img: np.ndarray, op: str) -> Any:
    """The neutral border value: +max for erosion (min), -max for dilation (max)."""
    if img.dtype == bool:
        return op == "min"
    if np.issubdtype(img.dtype, np.integer):
        info = np.iinfo(img.dtype)
        return info.max if op == "min" else info.min
    return np.inf if op == "min" else -np.inf


def _rank(image: Any, footprint: Any, op: str, mode: str, cval: float) -> np.ndarray:
    img = as_image(image)
    fp = _footprint(footprint)
    kh, kw = fp.shape
    widths = ((kh // 2, kh - 1 - kh // 2), (kw // 2, kw - 1 - kw // 2))
    if mode == "ignore":
        p = np.pad(img, widths, mode="constant", constant_values=_extreme(img, op))
    else:
        p = pad(img, widths, check_mode(mode), cval)
    h, w = img.shape
    reduce = np.minimum if op == "min" else np.maximum
    out = None
    for a, b in zip(*np.nonzero(fp)):
        view = p[a:a + h, b:b + w]
        out = view.copy() if out is None else reduce(out, view, out=out)
    return out


def erosion(image: Any, footprint: Any = None, mode: str = "ignore", cval: float = 0.0) -> np.ndarray:
    """Minimum over the structuring element (shrinks bright regions).

    Args:
        image: (H, W) array (bool, integer or float); output has the same dtype.
        footprint: 2-D array, nonzero = member. Default: 3x3 square (OpenCV's default; skimage's is a cross).
        mode: ``"ignore"`` (default; pixels outside never win, OpenCV's default border value) or a
            border mode (skimage uses ``"reflect"``). cval: for ``"constant"``.
    """
    return _rank(image, footprint, "min", mode, cval)


def dilation(image: Any, footprint: Any = None, mode: str = "ignore", cval: float = 0.0) -> np.ndarray:
    """Maximum over the structuring element (grows bright regions); see :func:`erosion`."""
    return _rank(image, footprint, "max", mode, cval)


def opening(image: Any, footprint: Any = None, mode: str = "ignore") -> np.ndarray:
    """``dilation(erosion(f))``: removes bright specks smaller than the footprint.

    As in OpenCV the same (unreflected) footprint is used twice, so for an asymmetric footprint the
    result need not be <= f (the textbook opening dilates with the reflected element).
    """
    return dilation(erosion(image, footprint, mode), footprint, mode)


def closing(image: Any, footprint: Any = None, mode: str = "ignore") -> np.ndarray:
    """``erosion(dilation(f))``: fills dark holes smaller than the footprint."""
    return erosion(dilation(image, footprint, mode), footprint, mode)


def _subtract(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a - b`` saturated to the dtype (as OpenCV): bool -> ``a & ~b``, unsigned never wraps."""
    if a.dtype == bool:
        return a & ~b
    if np.issubdtype(a.dtype, np.integer):
        info = np.iinfo(a.dtype)
        return np.clip(a.astype(np.int64) - b, info.min, info.max).astype(a.dtype)
    return a - b


def morphological_gradient(image: Any, footprint: Any = None, mode: str = "ignore") -> np.ndarray:
    """``dilation - erosion`` (``cv2.MORPH_GRADIENT``): a thick edge map."""
    return _subtract(dilation(image, footprint, mode), erosion(image, footprint, mode))


def white_tophat(image: Any, footprint: Any = None, mode: str = "ignore") -> np.ndarray:
    """``f - opening(f)`` (``cv2.MORPH_TOPHAT``, saturated): small bright details."""
    img = as_image(image)
    return _subtract(img, opening(img, footprint, mode))


def black_tophat(image: Any, footprint: Any = None, mode: str = "ignore") -> np.ndarray:
    """``closing(f) - f`` (``cv2.MORPH_BLACKHAT``, saturated): small dark details."""
    img = as_image(image)
    return _subtract(closing(img, footprint, mode), img)


def hit_or_miss(image: Any, kernel: Any) -> np.ndarray:
    """Hit-or-miss transform of a binary image with a kernel of 1 (must be foreground), -1 (must be
    background) and 0 (don't care): ``erosion(f, K==1) & erosion(~f, K==-1)``.

    Returns a bool (H, W) array. Outside the image is ignored by both erosions, so it matches either
    requirement (as ``cv2.morphologyEx(MORPH_HITMISS)``).
    """
    img = as_image(image).astype(bool)
    k = np.asarray(kernel)
    if k.ndim != 2 or not np.isin(k, (-1, 0, 1)).all():
        raise ValueError("kernel must be a 2-D array of -1, 0 and 1")
    hit = np.ones(img.shape, dtype=bool)
    if (k == 1).any():
        hit &= erosion(img, k == 1)
    if (k == -1).any():
        hit &= erosion(~img, k == -1)
    return hit
