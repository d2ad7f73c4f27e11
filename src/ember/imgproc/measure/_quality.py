"""Image-quality and edge-evaluation measures used by the experiments (claims C137-C153)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image

__all__ = ["boundary", "edge_f_measure", "ks_distance", "psnr", "rise_width"]


def psnr(image: Any, reference: Any, data_range: float = 255.0, mask: Any = None) -> float:
    """Peak signal-to-noise ratio ``10 log10(range^2 / MSE)`` in dB (over ``mask`` when given).

    Same formula as ``skimage.metrics.peak_signal_noise_ratio``; identical images give ``inf``.
    """
    a = as_image(image, ndim=(2, 3)).astype(np.float64)
    b = as_image(reference, "reference", ndim=(2, 3)).astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"image shape {a.shape} != reference shape {b.shape}")
    d = (a - b) if mask is None else (a - b)[np.asarray(mask, dtype=bool)]
    mse = float(np.mean(d * d))
    return float("inf") if mse == 0 else float(10 * np.log10(data_range ** 2 / mse))


def boundary(mask: Any) -> np.ndarray:
    """Inner 4-connected boundary of a binary mask: foreground pixels with a background 4-neighbour."""
    m = as_image(mask, "mask").astype(bool)
    p = np.pad(m, 1, mode="edge")
    inner = p[:-2, 1:-1] & p[2:, 1:-1] & p[1:-1, :-2] & p[1:-1, 2:]
    return m & ~inner


def _grow(m: np.ndarray, tol: int) -> np.ndarray:
    p = np.pad(m, tol)
    out = np.zeros_like(m)
    h, w = m.shape
    for dy in range(2 * tol + 1):
        for dx in range(2 * tol + 1):
            out |= p[dy:dy + h, dx:dx + w]
    return out


def edge_f_measure(pred: Any, truth: Any, tol: int = 1) -> dict[str, float]:
    """Precision, recall and F-measure of an edge map with a ``tol``-pixel (Chebyshev) matching band.

    Also returns ``thickness`` = #predicted pixels / #true boundary pixels (about 1 for thin edges).
    """
    p = as_image(pred, "pred").astype(bool)
    t = as_image(truth, "truth").astype(bool)
    precision = float((p & _grow(t, tol)).sum() / max(p.sum(), 1))
    recall = float((t & _grow(p, tol)).sum() / max(t.sum(), 1))
    f = 2 * precision * recall / max(precision + recall, 1e-12)
    return {"precision": precision, "recall": recall, "f": f,
            "thickness": float(p.sum() / max(t.sum(), 1))}


def ks_distance(a: Any, b: Any) -> float:
    """Kolmogorov-Smirnov distance ``max_x |F_a(x) - F_b(x)|`` between two samples' empirical CDFs."""
    x, y = np.sort(np.ravel(a)), np.sort(np.ravel(b))
    grid = np.concatenate([x, y])
    fa = np.searchsorted(x, grid, side="right") / x.size
    fb = np.searchsorted(y, grid, side="right") / y.size
    return float(np.abs(fa - fb).max())


def rise_width(profile: Any, low: float = 0.1, high: float = 0.9) -> float:
    """Width (in samples, linearly interpolated) over which a monotone rising edge profile goes from
    ``low`` to ``high`` of its range (the 10-90 % rise distance)."""
    p = np.asarray(profile, dtype=np.float64)
    q = (p - p.min()) / max(p.max() - p.min(), 1e-300)
    idx = np.arange(q.size)
    return float(np.interp(high, q, idx) - np.interp(low, q, idx))
