"""Canny edge detector with its four stages exposed (TOPICS.md §1.21, E64).

1. :func:`canny_smooth` - Gaussian smoothing (noise creates false edges);
2. :func:`canny_gradient` - Sobel gradient, magnitude (L2 or OpenCV's default L1) and direction;
3. :func:`non_max_suppression` - keep a pixel only if it is a maximum along the gradient direction
   (direction quantised to 0/45/90/135 degrees, OpenCV's rule including its tie-breaking);
4. :func:`hysteresis_threshold` - strong (> high) pixels plus weak (> low) pixels connected to a strong
   one through any chain of weak pixels (full hysteresis); ``method="simple"`` is the notes' one-step
   neighbourhood test.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_positive, to_float
from ..filters import gaussian, gradient_magnitude, sobel
from ..measure import label
from ..morphology import dilation

__all__ = ["canny", "canny_gradient", "canny_smooth", "hysteresis_threshold", "non_max_suppression"]

_TAN22 = np.tan(np.deg2rad(22.5))
_TAN67 = np.tan(np.deg2rad(67.5))


def canny_smooth(image: Any, sigma: float = 1.0, mode: str = "nearest") -> np.ndarray:
    """Stage 1: Gaussian blur with standard deviation ``sigma`` (0 = no smoothing, as ``cv2.Canny``).

    Integer and float32 images are processed in float32 (speed); float64 stays float64.
    """
    img = as_image(image)
    img = img.astype(np.float64 if img.dtype == np.float64 else np.float32)
    s = check_positive(sigma, "sigma", allow_zero=True)
    return img if s == 0 else gaussian(img, s, mode=mode)


def canny_gradient(smoothed: Any, norm: str = "L2", mode: str = "nearest"
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage 2: ``(gx, gy, magnitude)`` from unnormalised 3x3 Sobel (x = columns, y = rows, replicate border)."""
    f = to_float(as_image(smoothed))
    gx = sobel(f, axis=1, mode=mode)
    gy = sobel(f, axis=0, mode=mode)
    return gx, gy, gradient_magnitude(gx, gy, norm)


def non_max_suppression(magnitude: Any, gx: Any, gy: Any, low: float = 0.0) -> np.ndarray:
    """Stage 3: magnitude where the pixel is a local maximum across the edge, else 0.

    Direction sectors from ``|gy| / |gx|`` against tan(22.5) and tan(67.5): horizontal gradient ->
    compare left/right, vertical -> up/down, diagonals -> the two diagonal neighbours (by the sign of
    gx * gy). Ties follow OpenCV: strict against the first neighbour, >= against the second
    (strict against both on diagonals). Only pixels with magnitude > ``low`` are candidates (OpenCV
    drops the others before NMS); neighbours outside the image count as 0.
    """
    m = np.asarray(magnitude, dtype=np.float64)
    gx, gy = np.asarray(gx, dtype=np.float64), np.asarray(gy, dtype=np.float64)
    w = m.shape[1]
    p = np.pad(m, 1).ravel()
    rr, cc = np.nonzero(m > low)
    idx = (rr + 1) * (w + 2) + cc + 1  # flat index in the padded image
    ax, ay = np.abs(gx[rr, cc]), np.abs(gy[rr, cc])
    row = w + 2
    same = gx[rr, cc] * gy[rr, cc] >= 0
    # sector -> offsets of (first, second) neighbour in the padded flat array
    off1 = np.where(ay <= ax * _TAN22, -1, np.where(ay > ax * _TAN67, -row, np.where(same, -row - 1, -row + 1)))
    diag = (ay > ax * _TAN22) & (ay <= ax * _TAN67)
    v, n1, n2 = p[idx], p[idx + off1], p[idx - off1]
    keep = (v > n1) & np.where(diag, v > n2, v >= n2)
    out = np.zeros_like(m)
    out[rr[keep], cc[keep]] = v[keep]
    return out


def hysteresis_threshold(image: Any, low: float, high: float, method: str = "full",
                         connectivity: int = 2) -> np.ndarray:
    """Stage 4: bool edges = strong (> high) plus weak (> low) pixels linked to a strong pixel.

    Args:
        method: ``"full"`` keeps every connected weak component containing a strong pixel
            (= ``skimage.filters.apply_hysteresis_threshold`` with the same connectivity);
            ``"simple"`` keeps a weak pixel only if one of its 8 neighbours is strong (TOPICS.md E64).
        connectivity: 1 or 2 (8-neighbours, default) for ``"full"``.
    """
    f = np.asarray(image, dtype=np.float64)
    if low > high:
        raise ValueError(f"low threshold {low} must not exceed high threshold {high}")
    weak, strong = f > low, f > high
    if method == "simple":
        return strong | (weak & dilation(strong, np.ones((3, 3), bool)))
    if method != "full":
        raise ValueError(f"method must be 'full' or 'simple', got {method!r}")
    labels, n = label(weak, connectivity=connectivity, return_num=True)
    good = np.zeros(n + 1, dtype=bool)
    good[labels[strong]] = True
    good[0] = False
    return good[labels]


def canny(image: Any, sigma: float = 1.0, low_threshold: float | None = None,
          high_threshold: float | None = None, L2gradient: bool = True, hysteresis: str = "full",
          mode: str = "nearest") -> np.ndarray:
    """Canny edges: the four stages above. Returns a bool (H, W) edge map.

    Args:
        image: (H, W) grey image. sigma: smoothing (0 skips stage 1, like ``cv2.Canny``).
        low_threshold, high_threshold: on the unnormalised Sobel magnitude; None -> 10 % / 20 % of
            the maximum magnitude. The notes' ratio of about 1:2 to 1:3 is the usual choice.
        L2gradient: sqrt(gx^2 + gy^2) (True) or |gx| + |gy| (OpenCV's default False).
        hysteresis: "full" or "simple" (see :func:`hysteresis_threshold`).

    Notes:
        With ``sigma=0`` this mirrors ``cv2.Canny(u8, low, high, L2gradient=...)`` (quantised NMS); skimage
        interpolates the magnitude along the gradient in NMS, so it agrees statistically
        (edge F-measure, ORACLES.md §4).
    """
    sm = canny_smooth(image, sigma, mode)
    gx, gy, mag = canny_gradient(sm, "L2" if L2gradient else "L1", mode)
    top = float(mag.max())
    lo = 0.1 * top if low_threshold is None else float(low_threshold)
    hi = 0.2 * top if high_threshold is None else float(high_threshold)
    if lo > hi:
        raise ValueError(f"low threshold {lo} must not exceed high threshold {hi}")
    return hysteresis_threshold(non_max_suppression(mag, gx, gy, lo), lo, hi, hysteresis)
