"""Local contrast: CLAHE (OpenCV's algorithm) and the notes' local-statistics enhancement (E71)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_odd, check_positive, pad, pair
from ..filters import uniform_filter

__all__ = ["clahe", "equalize_local", "local_stats_enhance"]


def _clip_histograms(hist: np.ndarray, limit: int) -> np.ndarray:
    """OpenCV: clip at ``limit``, spread the excess uniformly, then the residual every ``256 // r`` bins."""
    excess = np.maximum(hist - limit, 0).sum(axis=-1)
    hist = np.minimum(hist, limit)
    batch = excess // 256
    residual = excess - batch * 256
    hist = hist + batch[..., None]
    idx = np.arange(256)
    step = np.maximum(256 // np.maximum(residual, 1), 1)
    gets = (idx[None, None, :] % step[..., None] == 0) & (idx[None, None, :] // step[..., None] < residual[..., None])
    return hist + gets


def clahe(image: Any, clip_limit: float = 40.0, tile_grid_size: tuple[int, int] = (8, 8)) -> np.ndarray:
    """Contrast-limited adaptive histogram equalisation of a uint8 image (``cv2.createCLAHE().apply``).

    Steps (OpenCV's): pad to a multiple of the tile grid (REFLECT_101), per-tile 256-bin histogram,
    clip at ``max(1, int(clip_limit * tile_area / 256))`` and redistribute the excess, LUT
    ``round(cumsum * 255 / tile_area)``, then blend the four nearest tiles' LUTs bilinearly.

    Args:
        image: (H, W) uint8. clip_limit: OpenCV's relative clip (<= 0 disables clipping).
        tile_grid_size: (tiles_x, tiles_y) as OpenCV (columns first).

    Returns:
        (H, W) uint8, equal to OpenCV to +-1 level (float32 interpolation there).
    """
    img = as_image(image)
    if img.dtype != np.uint8:
        raise TypeError(f"image must be uint8, got dtype {img.dtype}")
    tx, ty = pair(tile_grid_size, "tile_grid_size")
    h, w = img.shape
    src = img
    if h % ty or w % tx:
        src = pad(img, ((0, (ty - h % ty) % ty), (0, (tx - w % tx) % tx)), "mirror")
    th, tw = src.shape[0] // ty, src.shape[1] // tx
    area = th * tw
    tiles = src.reshape(ty, th, tx, tw).transpose(0, 2, 1, 3).reshape(ty, tx, area)
    offs = (np.arange(ty * tx) * 256).reshape(ty, tx, 1)
    hist = np.bincount((tiles.astype(np.int64) + offs).ravel(), minlength=ty * tx * 256)
    hist = hist.reshape(ty, tx, 256)
    if clip_limit > 0:
        hist = _clip_histograms(hist, max(int(clip_limit * area / 256), 1))
    luts = np.clip(np.rint(np.cumsum(hist, axis=-1) * np.float32(255.0 / area)), 0, 255)

    def axis_weights(n: int, tile: int, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t = np.arange(n) * (1.0 / tile) - 0.5
        t1 = np.floor(t).astype(int)
        frac = t - t1
        return np.maximum(t1, 0), np.minimum(t1 + 1, count - 1), frac

    y1, y2, ya = axis_weights(h, th, ty)
    x1, x2, xa = axis_weights(w, tw, tx)
    v = img.astype(np.int64)
    yy1, yy2, ya = y1[:, None], y2[:, None], ya[:, None]
    top = luts[yy1, x1[None, :], v] * (1 - xa) + luts[yy1, x2[None, :], v] * xa
    bot = luts[yy2, x1[None, :], v] * (1 - xa) + luts[yy2, x2[None, :], v] * xa
    return np.clip(np.rint(top * (1 - ya) + bot * ya), 0, 255).astype(np.uint8)


def local_stats_enhance(image: Any, E: float = 4.0, k0: float = 0.4, k1: float = 0.02,
                        k2: float = 0.4, s: int = 1, mode: str = "reflect") -> np.ndarray:
    """Gonzalez & Woods local-statistics enhancement (TOPICS.md §1.21, E71).

    With global mean M_G and std sigma_G, and local mean M_L and std sigma_L over the (2s+1)^2 window:
    ``g = E * f`` where ``M_L <= k0 M_G`` and ``k1 sigma_G <= sigma_L <= k2 sigma_G``, else ``g = f``.

    Args:
        image: (H, W). E: gain. k0: mean threshold factor. k1, k2: std band factors. s: window half-width.
        mode: border for the local statistics.

    Returns:
        float64 (H, W), unclipped (clip to the display range yourself).

    Notes:
        The notes name no values; E = 4, k0 = 0.4, k1 = 0.02, k2 = 0.4, s = 1 are G&W's example (std).
        sigma is the population standard deviation of the window.
    """
    f = as_image(image).astype(np.float64)
    check_positive(E, "E")
    if not (0 <= k1 <= k2):
        raise ValueError(f"need 0 <= k1 <= k2, got k1={k1}, k2={k2}")
    if int(s) != s or s < 0:
        raise ValueError(f"s must be a non-negative int, got {s!r}")
    size = 2 * int(s) + 1
    m_l = uniform_filter(f, size, mode=mode)
    var_l = np.maximum(uniform_filter(f * f, size, mode=mode) - m_l * m_l, 0.0)
    sd_l = np.sqrt(var_l)
    m_g, sd_g = f.mean(), f.std()
    cond = (m_l <= k0 * m_g) & (sd_l >= k1 * sd_g) & (sd_l <= k2 * sd_g)
    return np.where(cond, E * f, f)


def equalize_local(image: Any, size: int = 15) -> np.ndarray:
    """Neighbourhood histogram equalisation (TOPICS.md §1.21 (a)): the rank of each pixel in its window.

    ``g(x, y) = round(255 * #{q in W(x,y): f(q) <= f(x,y)} / |W|)`` with a reflected border; uint8 in/out.
    """
    img = as_image(image)
    if img.dtype != np.uint8:
        raise TypeError(f"image must be uint8, got dtype {img.dtype}")
    k = check_odd(size, "size")
    p = pad(img, k // 2, "reflect")
    count = np.zeros(img.shape, dtype=np.int64)
    h, w = img.shape
    for dy in range(k):
        for dx in range(k):
            count += p[dy:dy + h, dx:dx + w] <= img
    return np.floor(255.0 * count / (k * k) + 0.5).astype(np.uint8)
