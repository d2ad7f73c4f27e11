"""Point transforms: gamma and log (skimage.exposure.adjust_gamma / adjust_log), contrast stretch."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image

__all__ = ["adjust_gamma", "adjust_log", "rescale_intensity"]


def _scale(img: np.ndarray) -> float:
    if np.issubdtype(img.dtype, np.integer):
        return float(np.iinfo(img.dtype).max)
    return 1.0


def adjust_gamma(image: Any, gamma: float = 1.0, gain: float = 1.0) -> np.ndarray:
    """``O = gain * scale * (I / scale)^gamma`` with scale = dtype max (1 for floats); dtype kept.

    uint8 goes through a 256-entry table rounded half to even; other integer types truncate when
    cast back (both as ``skimage.exposure.adjust_gamma``). gamma < 1 brightens, > 1 darkens; used as the
    "gamma / colour normalisation" first step of HOG (TOPICS.md §1.21-1.22).
    """
    img = as_image(image, ndim=(2, 3))
    if gamma < 0:
        raise ValueError(f"gamma must be non-negative, got {gamma}")
    if (img < 0).any():
        raise ValueError("adjust_gamma needs a non-negative image")
    s = _scale(img)
    if img.dtype == np.uint8:
        lut = (np.linspace(0, 1, 256) ** gamma) * 255 * gain
        return np.minimum(np.rint(lut), 255).astype(np.uint8)[img]
    return (((img / s) ** gamma) * s * gain).astype(img.dtype)


def adjust_log(image: Any, gain: float = 1.0, inv: bool = False) -> np.ndarray:
    """``O = gain * scale * log2(1 + I / scale)`` (``inv``: ``gain * scale * (2^(I/scale) - 1)``); dtype kept."""
    img = as_image(image, ndim=(2, 3))
    if (img < 0).any():
        raise ValueError("adjust_log needs a non-negative image")
    s = _scale(img)
    out = (2 ** (img / s) - 1) * s * gain if inv else np.log2(1 + img / s) * s * gain
    return out.astype(img.dtype)


def rescale_intensity(image: Any, out_range: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """Linear stretch of [min, max] onto ``out_range`` (float64; a constant image maps to out_range[0])."""
    f = as_image(image, ndim=(2, 3)).astype(np.float64)
    lo, hi = f.min(), f.max()
    if hi == lo:
        return np.full_like(f, out_range[0])
    return out_range[0] + (f - lo) * (out_range[1] - out_range[0]) / (hi - lo)
