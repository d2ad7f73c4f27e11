"""Local binary patterns (TOPICS.md §1.22, E15): bit p = 1 when neighbour p >= centre.

Neighbour p sits at angle 2 pi p / P counter-clockwise from the right neighbour, radius R, sampled
bilinearly with zeros outside the image (``skimage.feature.local_binary_pattern``). ``"classic"`` is the
notes' 3x3 operator with integer diagonal neighbours. The notes' rule "neighbour < centre" is the
bitwise complement; plain LBP is grey-scale (monotonic) invariant but NOT rotation invariant - use
``"ror"`` or ``"uniform"`` for that (claim C152).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image

__all__ = ["lbp_histogram", "local_binary_pattern"]

_METHODS = ("default", "classic", "ror", "uniform", "nri_uniform")


def _neighbour_values(f: np.ndarray, P: int, R: float, classic: bool) -> np.ndarray:
    """(P, H, W) neighbour samples with skimage's exact bilinear arithmetic (constant-0 border)."""
    ang = 2 * np.pi * np.arange(P, dtype=np.float64) / P
    rp, cp = np.round(-R * np.sin(ang), 5), np.round(R * np.cos(ang), 5)
    if classic:
        rp, cp = np.sign(np.round(rp, 3)), np.sign(np.round(cp, 3))
    h, w = f.shape
    rows, cols = np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64)
    pad = int(np.ceil(R)) + 1
    p = np.pad(f, pad)
    out = np.empty((P, h, w))
    for i in range(P):
        # separable coordinates: per-row / per-column terms reproduce skimage's per-pixel arithmetic,
        # and floor(k + rp) = k + floor(rp) turns the four gathers into shifted slices
        r, c = rows + rp[i], cols + cp[i]
        dr, dc = (r - np.floor(r))[:, None], (c - np.floor(c))[None, :]
        fr, cr_, fc, cc_ = (int(np.floor(rp[i])), int(np.ceil(rp[i])), int(np.floor(cp[i])),
                            int(np.ceil(cp[i])))
        g = lambda a, b: p[pad + a:pad + a + h, pad + b:pad + b + w]
        top = (1 - dc) * g(fr, fc) + dc * g(fr, cc_)
        bottom = (1 - dc) * g(cr_, fc) + dc * g(cr_, cc_)
        out[i] = (1 - dr) * top + dr * bottom
    return out


def local_binary_pattern(image: Any, P: int = 8, R: float = 1.0, method: str = "default") -> np.ndarray:
    """LBP code image (H, W) float64.

    Methods:
      * ``"default"``: ``sum_p bit_p 2^p`` (0 .. 2^P - 1);
      * ``"classic"``: same with the 8 integer 3x3 neighbours (P = 8, R = 1 only);
      * ``"ror"``: minimum over the P circular bit rotations (rotation invariant);
      * ``"uniform"``: riu2 - number of ones if at most 2 bit transitions, else P + 1 (P + 2 values);
      * ``"nri_uniform"``: non-rotation-invariant uniform codes (P (P - 1) + 3 values).

    Equals skimage for every method but ``"classic"`` (which skimage does not offer).
    """
    f = as_image(image).astype(np.float64)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if int(P) != P or P < 1 or R <= 0:
        raise ValueError(f"need an int P >= 1 and R > 0, got P={P!r}, R={R!r}")
    if method == "classic" and (P != 8 or R != 1):
        raise ValueError(f"'classic' LBP is the 3x3 operator: P=8, R=1, got P={P}, R={R}")
    P = int(P)
    bits = _neighbour_values(f, P, R, method == "classic") >= f[None]  # (P, H, W) bool
    code = np.zeros(f.shape, dtype=np.int64)
    for i in range(P):
        code |= bits[i].astype(np.int64) << i
    if method in ("default", "classic"):
        return code.astype(np.float64)
    if method == "ror":
        best = code.copy()
        rot = code.copy()
        for _ in range(P - 1):
            rot = (rot >> 1) | ((rot & 1) << (P - 1))
            np.minimum(best, rot, out=best)
        return best.astype(np.float64)
    changes = (bits[1:] != bits[:-1]).sum(0)
    n_ones = bits.sum(0)
    if method == "uniform":
        return np.where(changes <= 2, n_ones, P + 1).astype(np.float64)
    first_one = np.where(bits.any(0), bits.argmax(0), -1)
    first_zero = np.where((~bits).any(0), (~bits).argmax(0), -1)
    rot_index = np.where(first_one == 0, n_ones - first_zero, P - first_one)
    uni = np.where(n_ones == 0, 0, np.where(n_ones == P, P * (P - 1) + 1, 1 + (n_ones - 1) * P + rot_index))
    return np.where(changes <= 2, uni, P * (P - 1) + 2).astype(np.float64)


def lbp_histogram(codes: np.ndarray, n_bins: int, normalize: bool = True) -> np.ndarray:
    """Histogram of integer LBP codes 0..n_bins-1 (the texture descriptor)."""
    c = np.asarray(codes).astype(np.int64).ravel()
    if c.min() < 0 or c.max() >= n_bins:
        raise ValueError(f"codes must lie in [0, {n_bins}), got range [{c.min()}, {c.max()}]")
    h = np.bincount(c, minlength=n_bins).astype(np.float64)
    return h / h.sum() if normalize else h
