"""Thresholding: fixed (OpenCV's five types), Otsu, adaptive mean / Gaussian (TOPICS.md §1.21)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_odd
from ._smooth import gaussian, uniform_filter

__all__ = ["adaptive_threshold", "threshold", "threshold_otsu"]

_TYPES = ("binary", "binary_inv", "trunc", "tozero", "tozero_inv")


def threshold(image: Any, thresh: float, maxval: float = 255, type: str = "binary") -> np.ndarray:
    """Global threshold with OpenCV's types (strict ``>``, as ``cv2.threshold``).

    binary: ``maxval if f > t else 0``; binary_inv: the reverse; trunc: ``min(f, t)``;
    tozero: ``f if f > t else 0``; tozero_inv: ``0 if f > t else f``. Output has the input dtype.
    """
    img = as_image(image, ndim=(2, 3))
    if type not in _TYPES:
        raise ValueError(f"type must be one of {_TYPES}, got {type!r}")
    above = img > thresh
    zero = np.zeros_like(img)
    if type == "binary":
        return np.where(above, np.asarray(maxval).astype(img.dtype), zero)
    if type == "binary_inv":
        return np.where(above, zero, np.asarray(maxval).astype(img.dtype))
    if type == "trunc":
        return np.where(above, np.asarray(thresh).astype(img.dtype), img)
    return np.where(above, img, zero) if type == "tozero" else np.where(above, zero, img)


def _histogram_for_otsu(img: np.ndarray, nbins: int) -> tuple[np.ndarray, np.ndarray]:
    if np.issubdtype(img.dtype, np.integer):
        lo = int(img.min())
        counts = np.bincount(img.ravel().astype(np.int64) - lo)
        return counts, np.arange(lo, lo + counts.size)
    counts, edges = np.histogram(img, bins=nbins, range=(float(img.min()), float(img.max())))
    return counts, (edges[:-1] + edges[1:]) / 2.0


def threshold_otsu(image: Any, nbins: int = 256) -> float:
    """Otsu's threshold: the bin centre maximising the between-class variance ``w1 w2 (m1 - m2)^2``.

    Integer images use one bin per grey level (as skimage); floats ``nbins`` bins over [min, max].
    Pixels ``> t`` are foreground. Equals ``skimage.filters.threshold_otsu``.
    """
    img = as_image(image)
    flat = img.ravel()
    if np.all(flat == flat[0]):
        return flat[0]
    counts, centers = _histogram_for_otsu(img, nbins)
    counts = counts.astype(np.float64)
    w1 = np.cumsum(counts)
    w2 = np.cumsum(counts[::-1])[::-1]
    m1 = np.cumsum(counts * centers) / w1
    m2 = (np.cumsum((counts * centers)[::-1]) / w2[::-1])[::-1]
    var12 = w1[:-1] * w2[1:] * (m1[:-1] - m2[1:]) ** 2
    return centers[int(np.argmax(var12))]


def adaptive_threshold(image: Any, max_value: float = 255, method: str = "mean",
                       type: str = "binary", block_size: int = 11, C: float = 2) -> np.ndarray:
    """Local threshold ``T(x, y) = mean_or_gaussian(block around (x, y)) - C`` (``cv2.adaptiveThreshold``).

    Args:
        image: (H, W) uint8 (other dtypes use the float local mean).
        method: "mean" (box) or "gaussian" (sigma from OpenCV's rule for ``block_size``).
        type: "binary" (``max_value`` where ``f > T``) or "binary_inv".
        block_size: odd window size >= 3. C: constant subtracted from the local mean.

    Notes:
        Borders replicate (OpenCV ``BORDER_REPLICATE``). For uint8 OpenCV rounds the local mean to an
        integer and compares ``f - mean > -ceil(C)``; this is mirrored. The Gaussian mean of OpenCV's
        uint8 path is fixed-point, so "gaussian" agrees with OpenCV up to pixels whose value lies
        within a rounding step of the threshold.
    """
    img = as_image(image)
    bs = check_odd(block_size, "block_size")
    if bs < 3:
        raise ValueError(f"block_size must be an odd integer >= 3, got {block_size}")
    if method not in ("mean", "gaussian"):
        raise ValueError(f"method must be 'mean' or 'gaussian', got {method!r}")
    if type not in ("binary", "binary_inv"):
        raise ValueError(f"type must be 'binary' or 'binary_inv', got {type!r}")
    f = img.astype(np.float64)
    mean = (uniform_filter(f, bs, mode="nearest") if method == "mean"
            else gaussian(f, 0, mode="nearest", ksize=bs))
    if img.dtype == np.uint8:
        mean = np.floor(mean + 0.5)
        keep = (f - mean > -np.ceil(C)) if type == "binary" else (f - mean <= -np.floor(C))
    else:
        keep = (f > mean - C) if type == "binary" else (f <= mean - C)
    return np.where(keep, max_value, 0).astype(img.dtype)


