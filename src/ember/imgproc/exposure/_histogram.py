"""Histograms, global equalisation (the notes' rule and OpenCV's) and histogram matching.

TOPICS.md §1.21 and E72: ``s_k = round((L - 1) * CDF(r_k))`` then map r_k -> s_k; matching picks,
for each s_k, the q minimising ``|G(z_q) - s_k|`` (smallest q on ties) through a monotone lookup.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image

__all__ = ["cumulative_distribution", "equalize_hist", "equalize_hist_float", "histogram",
           "match_histograms"]


def _uint8(image: Any, name: str = "image") -> np.ndarray:
    img = as_image(image, name, ndim=(2, 3))
    if img.dtype != np.uint8:
        raise TypeError(f"{name} must be uint8 (grey levels 0..255), got dtype {img.dtype}")
    return img


def histogram(image: Any, nbins: int = 256, normalize: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Grey-level histogram ``(counts, bin_centers)``.

    Integer images get one bin per level from min to max (``skimage.exposure.histogram``); floats
    ``nbins`` equal bins over [min, max]. ``normalize`` returns the PDF ``p_r(r_k) = n_k / N``.
    """
    img = as_image(image, ndim=(2, 3))
    if np.issubdtype(img.dtype, np.integer):
        lo = int(img.min())
        counts = np.bincount(img.ravel().astype(np.int64) - lo)
        centers = np.arange(lo, lo + counts.size)
    else:
        counts, edges = np.histogram(img, bins=nbins, range=(float(img.min()), float(img.max())))
        centers = (edges[:-1] + edges[1:]) / 2
    return (counts / counts.sum() if normalize else counts), centers


def cumulative_distribution(image: Any, nbins: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """``(cdf, bin_centers)`` with ``cdf = cumsum(counts) / N`` (``skimage.exposure.cumulative_distribution``)."""
    counts, centers = histogram(image, nbins)
    cdf = np.cumsum(counts) / counts.sum()
    return cdf, centers


def _equalize_lut(counts: np.ndarray, rule: str) -> np.ndarray:
    n = counts.sum()
    cdf = np.cumsum(counts)
    if rule == "notes":
        return np.floor(255.0 * cdf / n + 0.5).astype(np.uint8)
    first = int(np.flatnonzero(counts)[0])
    if counts[first] == n:  # constant image: OpenCV maps everything to that level
        return np.full(256, first, dtype=np.uint8)
    scale = np.float32(255.0) / np.float32(n - counts[first])  # float32 as OpenCV
    lut = np.rint((cdf - counts[first]).astype(np.float32) * scale)
    lut[:first] = 0
    return np.clip(lut, 0, 255).astype(np.uint8)


def equalize_hist(image: Any, rule: str = "opencv") -> np.ndarray:
    """Global histogram equalisation of a uint8 image through a 256-entry lookup table.

    Args:
        image: (H, W) uint8.
        rule: ``"notes"`` (Gonzalez & Woods, TOPICS.md §1.21): ``s_k = round(255 * cdf(r_k) / N)``;
            ``"opencv"`` (``cv2.equalizeHist``): ``s_k = round(255 * (cdf(r_k) - cdf_min) / (N - cdf_min))``,
            which stretches the darkest occupied level to 0.

    Returns:
        (H, W) uint8.

    Notes:
        The two rules differ by up to several levels on low-contrast images (ORACLES.md §4).
        Rounding: "notes" rounds halves up; "opencv" mirrors OpenCV's float32 ``cvRound`` (half to even).
    """
    img = _uint8(image)
    if rule not in ("notes", "opencv"):
        raise ValueError(f"rule must be 'notes' or 'opencv', got {rule!r}")
    counts = np.bincount(img.ravel(), minlength=256)
    return _equalize_lut(counts, rule)[img]


def equalize_hist_float(image: Any, nbins: int = 256) -> np.ndarray:
    """skimage's variant: float output ``cdf(f)`` in [0, 1] (linear interpolation, no cdf_min, no rounding)."""
    img = as_image(image, ndim=(2, 3))
    cdf, centers = cumulative_distribution(img, nbins)
    return np.interp(img.ravel(), centers, cdf).reshape(img.shape)


def _notes_matching_lut(src_counts: np.ndarray, ref_counts: np.ndarray) -> np.ndarray:
    s = np.floor(255.0 * np.cumsum(src_counts) / src_counts.sum() + 0.5)
    g = np.floor(255.0 * np.cumsum(ref_counts) / ref_counts.sum() + 0.5)
    # G is non-decreasing: the closest G(z_q) to s_k is at the insertion point or just before it
    hi = np.clip(np.searchsorted(g, s, side="left"), 0, 255)
    lo = np.clip(hi - 1, 0, 255)
    lo_first = np.searchsorted(g, g[lo], side="left")  # smallest q sharing that G value
    pick_lo = np.abs(g[lo] - s) <= np.abs(g[hi] - s)
    return np.where(pick_lo, lo_first, hi).astype(np.uint8)


def match_histograms(image: Any, reference: Any, rule: str = "notes") -> np.ndarray:
    """Histogram specification: map ``image`` so its histogram approximates ``reference``'s.

    Args:
        image, reference: arrays of any shape (the notes' rule needs uint8).
        rule: ``"notes"``: s_k = T(r_k) = round(255 cdf_r(k)), G(z_q) = round(255 cdf_z(q)), map k to the
            q minimising |G(z_q) - s_k| (smallest q on ties; TOPICS.md E72) -> uint8 output.
            ``"skimage"``: quantile interpolation of ``skimage.exposure.match_histograms`` -> float64.

    Notes:
        The two rules differ by at most about one grey level on a few percent of pixels (ORACLES.md §4).
    """
    img = as_image(image, ndim=(2, 3))
    ref = as_image(reference, "reference", ndim=(2, 3))
    if rule == "notes":
        img, ref = _uint8(img), _uint8(ref, "reference")
        lut = _notes_matching_lut(np.bincount(img.ravel(), minlength=256),
                                  np.bincount(ref.ravel(), minlength=256))
        return lut[img]
    if rule != "skimage":
        raise ValueError(f"rule must be 'notes' or 'skimage', got {rule!r}")
    _src_vals, src_idx, src_counts = np.unique(img.ravel(), return_inverse=True, return_counts=True)
    ref_vals, ref_counts = np.unique(ref.ravel(), return_counts=True)
    src_q = np.cumsum(src_counts) / img.size
    ref_q = np.cumsum(ref_counts) / ref.size
    interp = np.interp(src_q, ref_q, ref_vals.astype(np.float64))
    return interp[src_idx].reshape(img.shape)
