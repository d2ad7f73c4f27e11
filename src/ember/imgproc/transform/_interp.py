"""1-D interpolation weight matrices and point sampling shared by resize and warps.

Resizing is separable: ``out = Wy @ f @ Wx.T`` where each W (n_out, n_in) holds one interpolation
kernel per output sample. Cubic uses Keys' kernel (``a = -0.75`` as OpenCV / torch; ``a = -0.5`` is
Keys' original and PIL's, TOPICS.md E66).
"""
from __future__ import annotations

import numpy as np

from .._utils import check_mode

__all__ = ["cubic_weights", "map_index", "sample", "weight_matrix"]

METHODS = ("nearest", "nearest-exact", "bilinear", "bicubic", "area")


def cubic_weights(t: np.ndarray, a: float = -0.75) -> np.ndarray:
    """Keys cubic-convolution weights for taps at offsets -1, 0, 1, 2 from floor(x); t = frac(x). -> (..., 4)."""
    w0 = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a
    w1 = ((a + 2) * t - (a + 3)) * t * t + 1
    u = 1 - t
    w2 = ((a + 2) * u - (a + 3)) * u * u + 1
    return np.stack([w0, w1, w2, 1 - w0 - w1 - w2], axis=-1)


def _src_coords(n_out: int, n_in: int, align_corners: bool) -> np.ndarray:
    d = np.arange(n_out, dtype=np.float64)
    if align_corners:
        return d * ((n_in - 1) / (n_out - 1)) if n_out > 1 else np.zeros(1)
    return (d + 0.5) * (n_in / n_out) - 0.5


def _area_matrix(n_out: int, n_in: int) -> np.ndarray:
    s = n_in / n_out
    lo = np.arange(n_out)[:, None] * s
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(j + 1, lo + s) - np.maximum(j, lo), 0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def weight_matrix(n_out: int, n_in: int, method: str, align_corners: bool = False,
                  cubic_a: float = -0.75) -> np.ndarray:
    """(n_out, n_in) interpolation matrix along one axis; rows sum to 1. See :func:`resize` for grids."""
    w = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if method in ("nearest", "nearest-exact"):
        off = 0.5 if method == "nearest-exact" else 0.0
        src = np.floor((np.arange(n_out) + off) * (n_in / n_out)).astype(int)
        w[rows, np.minimum(src, n_in - 1)] = 1.0
        return w
    if method == "area":
        return _area_matrix(n_out, n_in)
    x = _src_coords(n_out, n_in, align_corners)
    if method == "bilinear":
        x = np.maximum(x, 0.0)
        x0 = np.floor(x).astype(int)
        t = x - x0
        x0 = np.minimum(x0, n_in - 1)
        np.add.at(w, (rows, x0), 1 - t)
        np.add.at(w, (rows, np.minimum(x0 + 1, n_in - 1)), t)
        return w
    x0 = np.floor(x).astype(int)
    cw = cubic_weights(x - x0, cubic_a)
    for k in range(4):
        np.add.at(w, (rows, np.clip(x0 - 1 + k, 0, n_in - 1)), cw[:, k])
    return w


def map_index(idx: np.ndarray, n: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Map integer indices into [0, n) by a border mode; returns (index, inside_mask)."""
    inside = (idx >= 0) & (idx < n)
    if mode == "constant":
        return np.clip(idx, 0, n - 1), inside
    if mode == "nearest" or n == 1:
        return np.clip(idx, 0, n - 1), np.ones_like(inside)
    if mode == "wrap":
        return np.mod(idx, n), np.ones_like(inside)
    if mode == "reflect":  # edge repeated: period 2n
        m = np.mod(idx, 2 * n)
        return np.where(m < n, m, 2 * n - 1 - m), np.ones_like(inside)
    m = np.mod(idx, 2 * n - 2)  # mirror: period 2n - 2
    return np.where(m < n, m, 2 * n - 2 - m), np.ones_like(inside)


def sample(image: np.ndarray, rows: np.ndarray, cols: np.ndarray, order: int = 1,
           mode: str = "constant", cval: float = 0.0) -> np.ndarray:
    """Sample ``image`` (H, W[, C]) at float (rows, cols) with nearest (0), bilinear (1) or cubic (3).

    Out-of-image taps follow ``mode``; with ``"constant"`` they read ``cval`` (SciPy's ``grid-constant``).
    """
    m = check_mode(mode)
    h, w = image.shape[:2]
    f = image.astype(np.float64)
    if order == 0:
        taps_r = [(np.floor(rows + 0.5).astype(int), 1.0)]
        taps_c = [(np.floor(cols + 0.5).astype(int), 1.0)]
    elif order == 1:
        r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
        tr, tc = rows - r0, cols - c0
        taps_r = [(r0, 1 - tr), (r0 + 1, tr)]
        taps_c = [(c0, 1 - tc), (c0 + 1, tc)]
    elif order == 3:
        r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
        wr, wc = cubic_weights(rows - r0), cubic_weights(cols - c0)
        taps_r = [(r0 - 1 + k, wr[..., k]) for k in range(4)]
        taps_c = [(c0 - 1 + k, wc[..., k]) for k in range(4)]
    else:
        raise ValueError(f"order must be 0, 1 or 3, got {order!r}")
    extra = (None,) if f.ndim == 3 else ()
    out = 0.0
    for ri, rw in taps_r:
        ri, rin = map_index(ri, h, m)
        for ci, cw in taps_c:
            ci, cin = map_index(ci, w, m)
            val = np.where((rin & cin)[(...,) + extra], f[ri, ci], cval)
            out = out + (np.asarray(rw) * np.asarray(cw))[(...,) + extra] * val
    return out
