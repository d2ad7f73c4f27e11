"""Structuring elements (flat footprints) as uint8 arrays, as ``skimage.morphology``."""
from __future__ import annotations

import numpy as np

__all__ = ["cross", "diamond", "disk", "rectangle", "square"]


def _check(n: int, name: str, minimum: int = 1) -> int:
    if int(n) != n or n < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {n!r}")
    return int(n)


def square(width: int) -> np.ndarray:
    """(width, width) block of ones."""
    w = _check(width, "width")
    return np.ones((w, w), dtype=np.uint8)


def rectangle(nrows: int, ncols: int) -> np.ndarray:
    """(nrows, ncols) block of ones."""
    return np.ones((_check(nrows, "nrows"), _check(ncols, "ncols")), dtype=np.uint8)


def disk(radius: int) -> np.ndarray:
    """Pixels with ``x^2 + y^2 <= r^2``, shape (2r+1, 2r+1) (= ``skimage.morphology.disk``)."""
    r = _check(radius, "radius", 0)
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    return (x * x + y * y <= r * r).astype(np.uint8)


def diamond(radius: int) -> np.ndarray:
    """Pixels with ``|x| + |y| <= r`` (= ``skimage.morphology.diamond``)."""
    r = _check(radius, "radius", 0)
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    return (np.abs(x) + np.abs(y) <= r).astype(np.uint8)


def cross(size: int = 3) -> np.ndarray:
    """Plus-shaped element of odd ``size`` (``cv2.getStructuringElement(MORPH_CROSS, ...)``)."""
    s = _check(size, "size")
    out = np.zeros((s, s), dtype=np.uint8)
    out[s // 2, :] = 1
    out[:, s // 2] = 1
    return out
