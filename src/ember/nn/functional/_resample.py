"""Resampling matrices for F.interpolate: one (out, in) matrix per spatial dim (torch's kernels).

Separable interpolation y = M_1 ... M_d x is exactly torch's per-pixel formula (each row of M
holds that output cell's taps; clamped taps add up on the border cell), and as a matmul it is
differentiable twice for free. Coordinates are computed in the input's float precision, as
torch's CPU kernels do (opmath of float32 is float32).
"""
from __future__ import annotations

import numpy as np

_A = -0.75  # torch's bicubic convolution constant (Keys' a; OpenCV uses the same value)


def source_scale(n_in: int, n_out: int, align_corners: bool, scale: float | None, dt: type) -> float:
    """torch's area_pixel_compute_scale: (in-1)/(out-1) with align_corners, else 1/scale or in/out."""
    if align_corners:
        return dt((n_in - 1) / (n_out - 1)) if n_out > 1 else dt(0)
    if scale is not None and scale > 0:
        return dt(1.0 / scale)
    return dt(n_in / n_out)


def source_index(n_in: int, n_out: int, align_corners: bool, scale: float | None, dt: type,
                 cubic: bool) -> np.ndarray:
    """Real source coordinate of each output cell (half-pixel centres unless align_corners)."""
    r = source_scale(n_in, n_out, align_corners, scale, dt)
    dst = np.arange(n_out, dtype=dt)
    if align_corners:
        return r * dst
    src = r * (dst + dt(0.5)) - dt(0.5)
    return src if cubic else np.maximum(src, dt(0))


def nearest_index(n_in: int, n_out: int, scale: float | None, exact: bool) -> np.ndarray:
    """torch's nearest_idx / nearest_exact_idx (float32 scale, floor, clamp to n_in - 1)."""
    dst = np.arange(n_out)
    if not exact and n_out == n_in:
        return dst
    if not exact and n_out == 2 * n_in:
        return dst >> 1
    r = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(n_in / n_out)
    pos = (dst.astype(np.float32) + np.float32(0.5)) * r if exact else dst.astype(np.float32) * r
    return np.minimum(np.floor(pos).astype(np.int64), n_in - 1)


def linear_matrix(n_in: int, n_out: int, align_corners: bool, scale: float | None,
                  dt: type) -> np.ndarray:
    """(n_out, n_in): weights (1 - l) at floor(src) and l at the next cell (clamped to the edge)."""
    src = source_index(n_in, n_out, align_corners, scale, dt, cubic=False)
    i0 = src.astype(np.int64)
    lam = src - i0.astype(dt)
    i1 = np.minimum(i0 + 1, n_in - 1)
    m = np.zeros((n_out, n_in), dtype=dt)
    rows = np.arange(n_out)
    np.add.at(m, (rows, i0), dt(1) - lam)
    np.add.at(m, (rows, i1), lam)
    return m


def _cubic_coeffs(t: np.ndarray, dt: type) -> list:
    a = dt(_A)

    def cc1(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def cc2(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    one = dt(1)
    return [cc2(t + one), cc1(t), cc1(one - t), cc2(one - t + one)]


def cubic_matrix(n_in: int, n_out: int, align_corners: bool, scale: float | None,
                 dt: type) -> np.ndarray:
    """(n_out, n_in): Keys cubic convolution (a = -0.75) on 4 taps, indices clamped to the image."""
    src = source_index(n_in, n_out, align_corners, scale, dt, cubic=True)
    i0 = np.floor(src).astype(np.int64)
    t = src - i0.astype(dt)
    m = np.zeros((n_out, n_in), dtype=dt)
    rows = np.arange(n_out)
    for k, c in enumerate(_cubic_coeffs(t, dt)):
        np.add.at(m, (rows, np.clip(i0 - 1 + k, 0, n_in - 1)), c.astype(dt))
    return m


def antialias_matrix(n_in: int, n_out: int, align_corners: bool, scale: float | None, dt: type,
                     cubic: bool) -> np.ndarray:
    """Downsampling with a widened, normalised filter (torch's antialias=True / PIL's resample):
    support = (2 if linear else 4)/2 * max(scale, 1); bicubic uses a = -0.5 here, as torch."""
    r = float(source_scale(n_in, n_out, align_corners, scale, np.float64))
    support = (2.0 if cubic else 1.0) * (max(r, 1.0))
    inv = 1.0 / r if r >= 1.0 else 1.0
    m = np.zeros((n_out, n_in), dtype=np.float64)
    for i in range(n_out):  # one row per output cell; rows are tiny (support taps)
        centre = r * (i + 0.5)
        lo = max(int(centre - support + 0.5), 0)
        hi = min(int(centre + support + 0.5), n_in)
        x = (np.arange(lo, hi) - centre + 0.5) * inv
        w = _aa_filter(x, cubic)
        tot = w.sum()
        m[i, lo:hi] = w / tot if tot != 0 else w
    return m.astype(dt)


def _aa_filter(x: np.ndarray, cubic: bool) -> np.ndarray:
    ax = np.abs(x)
    if not cubic:
        return np.maximum(1.0 - ax, 0.0)
    a = -0.5
    w1 = ((a + 2) * ax - (a + 3)) * ax * ax + 1
    w2 = ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a
    return np.where(ax < 1, w1, np.where(ax < 2, w2, 0.0))
