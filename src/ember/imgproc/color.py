"""Colour conversions used by the algorithms: grey, HSV, YCrCb, CIE Lab (RGB channel order)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ._utils import as_image, img_as_float

__all__ = ["hsv2rgb", "rgb2gray", "rgb2hsv", "rgb2lab", "rgb2ycrcb"]

_GRAY = {"bt709": (0.2125, 0.7154, 0.0721), "bt601": (0.299, 0.587, 0.114)}


def _rgb(image: Any) -> np.ndarray:
    img = as_image(image, ndim=(3,))
    if img.shape[-1] != 3:
        raise ValueError(f"image must be (H, W, 3) RGB, got shape {img.shape}")
    return img


def rgb2gray(image: Any, weights: str = "bt709") -> np.ndarray:
    """Luminance ``Y = wR R + wG G + wB B``: "bt709" (skimage: 0.2125, 0.7154, 0.0721, input scaled to
    [0, 1]) or "bt601" (OpenCV ``COLOR_RGB2GRAY``: 0.299, 0.587, 0.114, input scale kept)."""
    img = _rgb(image)
    if weights not in _GRAY:
        raise ValueError(f"weights must be one of {tuple(_GRAY)}, got {weights!r}")
    f = img_as_float(img) if weights == "bt709" else img.astype(np.float64)
    return f @ np.array(_GRAY[weights])


def rgb2hsv(image: Any) -> np.ndarray:
    """HSV in [0, 1]^3 (hue as a fraction of a turn), as ``skimage.color.rgb2hsv``."""
    f = img_as_float(_rgb(image))
    v = f.max(-1)
    delta = v - f.min(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(v > 0, delta / v, 0.0)
        r, g, b = f[..., 0], f[..., 1], f[..., 2]
        h = np.where(r == v, (g - b) / delta, np.where(g == v, 2.0 + (b - r) / delta, 4.0 + (r - g) / delta))
    h = np.where(delta > 0, (h / 6.0) % 1.0, 0.0)
    return np.stack([h, s, v], -1)


def hsv2rgb(image: Any) -> np.ndarray:
    """Inverse of :func:`rgb2hsv`."""
    f = as_image(image, ndim=(3,)).astype(np.float64)
    h, s, v = f[..., 0], f[..., 1], f[..., 2]
    i = np.floor(h * 6).astype(int) % 6
    fr = h * 6 - np.floor(h * 6)
    p, q, t = v * (1 - s), v * (1 - fr * s), v * (1 - (1 - fr) * s)
    table = np.stack([np.stack(c, -1) for c in
                      [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]], 0)
    return np.take_along_axis(table, i[None, ..., None].repeat(3, -1), 0)[0]


def rgb2ycrcb(image: Any) -> np.ndarray:
    """``cv2.COLOR_RGB2YCrCb`` for float input in [0, 1]: Y = BT.601 luma, Cr = (R - Y) 0.713 + 0.5,
    Cb = (B - Y) 0.564 + 0.5. Channel order (Y, Cr, Cb)."""
    f = img_as_float(_rgb(image))
    y = f @ np.array(_GRAY["bt601"])
    return np.stack([y, (f[..., 0] - y) * 0.713 + 0.5, (f[..., 2] - y) * 0.564 + 0.5], -1)


def rgb2lab(image: Any) -> np.ndarray:
    """CIE L*a*b* (D65, 2 degrees) from sRGB, as ``skimage.color.rgb2lab``."""
    f = img_as_float(_rgb(image))
    lin = np.where(f > 0.04045, ((f + 0.055) / 1.055) ** 2.4, f / 12.92)
    m = np.array([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169],
                  [0.019334, 0.119193, 0.950227]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    fx = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16.0 / 116.0)
    L = 116.0 * fx[..., 1] - 16.0  # = 903.3 Y on the linear piece
    return np.stack([L, 500.0 * (fx[..., 0] - fx[..., 1]), 200.0 * (fx[..., 1] - fx[..., 2])], -1)
