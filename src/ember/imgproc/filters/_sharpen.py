"""Laplacian and sharpening: Laplacian sharpening, unsharp mask, high-boost (TOPICS.md §1.21)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_positive, img_as_float, to_float
from ._correlate import correlate
from ._smooth import gaussian

__all__ = ["LAPLACE_4", "LAPLACE_8", "high_boost", "laplace", "laplacian_sharpen", "unsharp_mask"]

LAPLACE_4 = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
LAPLACE_8 = np.array([[1.0, 1.0, 1.0], [1.0, -8.0, 1.0], [1.0, 1.0, 1.0]])


def _stencil(neighbours: int) -> np.ndarray:
    if neighbours not in (4, 8):
        raise ValueError(f"neighbours must be 4 or 8, got {neighbours!r}")
    return LAPLACE_4 if neighbours == 4 else LAPLACE_8


def laplace(image: Any, neighbours: int = 4, mode: str = "reflect", cval: float = 0.0) -> np.ndarray:
    """Discrete Laplacian ``d2f/dx2 + d2f/dy2`` with the 4- or 8-neighbour stencil (centre -4 / -8).

    Notes:
        4-neighbour = ``scipy.ndimage.laplace`` = ``cv2.Laplacian(ksize=1)`` (mode ``"mirror"``);
        ``skimage.filters.laplace`` has the opposite sign and ``cv2.Laplacian(ksize=3)`` is
        [[2,0,2],[0,-8,0],[2,0,2]], not the 8-neighbour stencil (ORACLES.md §4). Second derivatives
        amplify noise strongly (claim C144).
    """
    return correlate(image, _stencil(neighbours), mode=mode, cval=cval)


def laplacian_sharpen(image: Any, c: float = 1.0, neighbours: int = 4, mode: str = "reflect",
                      clip: tuple[float, float] | None = None) -> np.ndarray:
    """``g = f - c * lap(f)``: subtracting the (negative-centre) Laplacian boosts high frequencies.

    Args:
        image: (H, W) or (H, W, C). c: strength (>= 0). Default: 1.
        neighbours: 4 or 8. mode: border.
        clip: optional (lo, hi) range to clip the result to (e.g. (0, 255) for 8-bit data).
    """
    check_positive(c, "c", allow_zero=True)
    img = to_float(as_image(image, ndim=(2, 3)))
    out = img - c * laplace(img, neighbours, mode)
    return out if clip is None else np.clip(out, *clip)


def unsharp_mask(image: Any, radius: float = 1.0, amount: float = 1.0,
                 preserve_range: bool = False) -> np.ndarray:
    """Unsharp masking ``g = f + amount * (f - G_radius * f)`` (``skimage.filters.unsharp_mask``).

    Args:
        image: (H, W) or (H, W, C).
        radius: the Gaussian's sigma. amount: gain of the detail layer.
        preserve_range: False (default) converts integers to [0, 1] (skimage's ``img_as_float``) and
            clips the result to [0, 1] ([-1, 1] when the input has negatives); True keeps values unclipped.

    Notes:
        The blur uses ``mode="reflect"`` (as skimage's implementation, not skimage.filters.gaussian's
        default "nearest"). Equal to skimage to float round-off.
    """
    check_positive(radius, "radius")
    img = as_image(image, ndim=(2, 3))
    f = to_float(img) if preserve_range else img_as_float(img)
    out = f + amount * (f - gaussian(f, radius, mode="reflect"))
    if preserve_range:
        return out
    lo = -1.0 if f.min() < 0 else 0.0
    return np.clip(out, lo, 1.0)


def high_boost(image: Any, k: float = 1.0, sigma: float = 1.0, mode: str = "reflect") -> np.ndarray:
    """High-boost filtering ``g = f + k * (f - blur(f))``: k = 1 is unsharp masking, k > 1 high-boost.

    The mask ``f - blur(f)`` is the high-frequency layer; no rescaling, no clipping.
    """
    check_positive(k, "k", allow_zero=True)
    f = to_float(as_image(image, ndim=(2, 3)))
    return f + k * (f - gaussian(f, sigma, mode=mode))
