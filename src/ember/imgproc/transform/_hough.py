"""Hough transforms for lines and circles: every edge pixel votes for all curves through it; curves are
peaks of the accumulator (TOPICS.md §1.21). Lines use ``rho = x cos(theta) + y sin(theta)``, x = column,
y = row (scikit-image's convention; OpenCV reports the same line as (-rho, theta + pi) when theta < 0).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image

__all__ = ["circle_perimeter_offsets", "hough_circle", "hough_circle_peaks", "hough_line",
           "hough_line_peaks"]


def _c_round(v: np.ndarray) -> np.ndarray:
    """C ``round``: halves away from zero (ORACLES.md §2.3)."""
    return np.where(v >= 0, np.floor(v + 0.5), np.ceil(v - 0.5))


def hough_line(image: Any, theta: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Line accumulator ``H[rho + offset, j] = #{edge pixels with round(x cos t_j + y sin t_j) = rho}``.

    Args:
        image: (H, W) edge map (nonzero = edge).
        theta: angles in radians; default 180 values ``linspace(-pi/2, pi/2, 180, endpoint=False)``.

    Returns:
        ``(H, theta, distances)``: accumulator (2 * offset + 1, n_theta) uint64 with
        ``offset = ceil(hypot(H, W))``, and ``distances = -offset..offset``. Equals
        ``skimage.transform.hough_line`` exactly.
    """
    img = as_image(image)
    th = (np.linspace(-np.pi / 2, np.pi / 2, 180, endpoint=False) if theta is None
          else np.asarray(theta, dtype=np.float64).ravel())
    offset = int(np.ceil(np.sqrt(img.shape[0] ** 2 + img.shape[1] ** 2)))
    n_rho = 2 * offset + 1
    y, x = np.nonzero(img)
    idx = _c_round(np.cos(th)[None, :] * x[:, None] + np.sin(th)[None, :] * y[:, None]).astype(np.int64)
    idx += offset
    flat = (idx * th.size + np.arange(th.size)[None, :]).ravel()
    acc = np.bincount(flat, minlength=n_rho * th.size).reshape(n_rho, th.size).astype(np.uint64)
    return acc, th, np.linspace(-offset, offset, n_rho)


def _suppress_peaks(acc: np.ndarray, threshold: float, num_peaks: float, dy: int, dx: int,
                    wrap_x: bool) -> list[tuple[int, int]]:
    """Greedy non-maximum suppression: take the global max, zero a (2dy+1, 2dx+1) window, repeat."""
    a = acc.astype(np.float64).copy()
    peaks: list[tuple[int, int]] = []
    rows, cols = a.shape
    while len(peaks) < num_peaks:
        i, j = np.unravel_index(int(np.argmax(a)), a.shape)
        if a[i, j] <= threshold:
            break
        peaks.append((int(i), int(j)))
        r = np.arange(i - dy, i + dy + 1)
        c = np.arange(j - dx, j + dx + 1)
        rr, cc = np.meshgrid(r, c, indexing="ij")
        if wrap_x:  # theta wraps: (rho, -pi/2) is the same line as (-rho, pi/2)
            low, high = cc < 0, cc >= cols
            rr = np.where(low | high, rows - 1 - rr, rr)
            cc = np.where(low, cc + cols, np.where(high, cc - cols, cc))
        ok = (rr >= 0) & (rr < rows) & (cc >= 0) & (cc < cols)
        a[rr[ok], cc[ok]] = -np.inf
    return peaks


def hough_line_peaks(hspace: np.ndarray, angles: np.ndarray, dists: np.ndarray, min_distance: int = 9,
                     min_angle: int = 10, threshold: float | None = None,
                     num_peaks: float = np.inf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Strongest peaks of a line accumulator, separated by ``min_distance`` rho bins and ``min_angle``
    theta bins (wrapping in theta). Returns ``(votes, angles, dists)`` sorted by votes.

    Notes:
        A greedy max-and-suppress loop; ``skimage.transform.hough_line_peaks`` labels plateaus first,
        so the two agree on well-separated peaks (tested) but may differ on ties.
    """
    h = np.asarray(hspace)
    thr = 0.5 * h.max() if threshold is None else threshold
    peaks = _suppress_peaks(h, thr, num_peaks, int(min_distance), int(min_angle), wrap_x=True)
    if not peaks:
        return np.array([], dtype=h.dtype), np.array([]), np.array([])
    ri, ci = np.array(peaks).T
    return h[ri, ci], np.asarray(angles)[ci], np.asarray(dists)[ri]


def circle_perimeter_offsets(radius: int) -> tuple[np.ndarray, np.ndarray]:
    """Bresenham circle (row, col) offsets, 8 per step and duplicates kept (``skimage.draw.circle_perimeter``)."""
    r = int(radius)
    x, y, d = 0, r, 3 - 2 * r
    rr: list[int] = []
    cc: list[int] = []
    while y >= x:
        rr.extend([y, -y, y, -y, x, -x, x, -x])
        cc.extend([x, x, -x, -x, y, y, -y, -y])
        if d < 0:
            d += 4 * x + 6
        else:
            d += 4 * (x - y) + 10
            y -= 1
        x += 1
    return np.array(rr), np.array(cc)


def hough_circle(image: Any, radius: Any, normalize: bool = True) -> np.ndarray:
    """Circle accumulators ``(n_radii, H, W)``: each edge pixel votes for all centres at distance r.

    With ``normalize`` each vote weighs 1 / (number of perimeter points). Equals
    ``skimage.transform.hough_circle(image, radius, normalize, full_output=False)``.
    """
    img = as_image(image)
    radii = np.atleast_1d(np.asarray(radius)).astype(int)
    if (radii < 1).any():
        raise ValueError(f"radius values must be >= 1, got {radii}")
    y, x = np.nonzero(img)
    h, w = img.shape
    out = np.zeros((radii.size, h, w))
    for k, r in enumerate(radii):
        dr, dc = circle_perimeter_offsets(r)
        ty = (y[:, None] + dr[None, :]).ravel()
        tx = (x[:, None] + dc[None, :]).ravel()
        ok = (ty >= 0) & (ty < h) & (tx >= 0) & (tx < w)
        weight = 1.0 / dr.size if normalize else 1.0
        out[k] = np.bincount(ty[ok] * w + tx[ok], minlength=h * w).reshape(h, w) * weight
    return out


def hough_circle_peaks(hspaces: np.ndarray, radii: Any, min_xdistance: int = 1, min_ydistance: int = 1,
                       threshold: float | None = None, total_num_peaks: float = np.inf
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Best circles over all radii: ``(accums, cx, cy, radii)`` sorted by accumulator value.

    Greedy suppression inside each radius plane, then a global sort; a later peak closer than the
    min distances to an earlier one (any radius) is dropped.
    """
    hs = np.asarray(hspaces, dtype=np.float64)
    rad = np.atleast_1d(radii)
    cands = []
    for k in range(hs.shape[0]):
        thr = 0.5 * hs[k].max() if threshold is None else threshold
        for i, j in _suppress_peaks(hs[k], thr, np.inf, min_ydistance, min_xdistance, False):
            cands.append((hs[k, i, j], j, i, rad[k]))
    cands.sort(key=lambda t: -t[0])
    kept: list[tuple[float, int, int, int]] = []
    for c in cands:
        if len(kept) >= total_num_peaks:
            break
        if all(abs(c[1] - k[1]) > min_xdistance or abs(c[2] - k[2]) > min_ydistance for k in kept):
            kept.append(c)
    arr = np.array(kept, dtype=np.float64).reshape(-1, 4)
    return arr[:, 0], arr[:, 1].astype(int), arr[:, 2].astype(int), arr[:, 3].astype(int)
