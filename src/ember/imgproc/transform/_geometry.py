"""Geometric transforms: resize, affine warp, rotation, flips, crop, pyramids (TOPICS.md §1.21)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_mode, pair, restore_dtype
from ..filters import correlate1d
from ._interp import METHODS, sample, weight_matrix

__all__ = ["crop", "flip", "pyr_down", "pyramid", "resize", "rotate", "rotation_matrix",
           "warp_affine"]


def _out_dtype(result: np.ndarray, like: np.ndarray) -> np.ndarray:
    if like.dtype == np.float32:
        return result.astype(np.float32)
    return restore_dtype(result, like)


def resize(image: Any, output_shape: tuple[int, int], interpolation: str = "bilinear",
           align_corners: bool = False, cubic_a: float = -0.75) -> np.ndarray:
    """Resize (H, W[, C]) to ``output_shape`` = (H_out, W_out) by separable interpolation.

    Grids (src = position in the input for output index d, scale = n_in / n_out):
      * ``"nearest"``: ``floor(d * scale)`` (``cv2.INTER_NEAREST`` = torch ``"nearest"``);
      * ``"nearest-exact"``: ``floor((d + 0.5) * scale)`` (torch ``"nearest-exact"``);
      * ``"bilinear"``/``"bicubic"``: half-pixel centres ``(d + 0.5) * scale - 0.5`` (= ``cv2.resize``
        INTER_LINEAR / INTER_CUBIC and torch ``align_corners=False``); ``align_corners=True`` uses
        ``d * (n_in - 1) / (n_out - 1)`` (torch). Bilinear clamps src at 0; cubic clamps the taps.
      * ``"area"``: exact box overlap average (= ``cv2.INTER_AREA`` when shrinking, torch ``"area"`` for
        integer factors).

    Args:
        cubic_a: Keys parameter (-0.75 OpenCV/torch; -0.5 Keys/PIL, TOPICS.md E66).

    Returns:
        resized array; uint8 input is rounded and clipped (OpenCV's fixed point: +-1 level), float32
        stays float32, other types give float64. No antialiasing (skimage's default on shrink).
    """
    img = as_image(image, ndim=(2, 3))
    ho, wo = pair(output_shape, "output_shape")
    if interpolation not in METHODS:
        raise ValueError(f"interpolation must be one of {METHODS}, got {interpolation!r}")
    wy = weight_matrix(ho, img.shape[0], interpolation, align_corners, cubic_a)
    wx = weight_matrix(wo, img.shape[1], interpolation, align_corners, cubic_a)
    out = _apply_axis(_apply_axis(img.astype(np.float64), wy, 0), wx, 1)
    return _out_dtype(out, img)


def _apply_axis(f: np.ndarray, w: np.ndarray, axis: int) -> np.ndarray:
    """``w @ f`` along ``axis`` using the few nonzero taps per output row (gathers, not a dense matmul)."""
    nnz = (w != 0).sum(1)
    if nnz.max() > 8:  # wide (area) kernels: dense product
        return np.moveaxis(np.tensordot(w, np.moveaxis(f, axis, 0), axes=1), 0, axis)
    k = int(nnz.max())
    idx = np.argsort(w == 0, axis=1, kind="stable")[:, :k]  # columns of the nonzeros first
    wt = np.take_along_axis(w, idx, 1)
    g = np.moveaxis(f, axis, 0)
    extra = (None,) * (g.ndim - 1)
    out = sum(wt[(slice(None), j) + extra] * g[idx[:, j]] for j in range(k))
    return np.moveaxis(out, 0, axis)


def rotation_matrix(center: tuple[float, float], angle: float, scale: float = 1.0) -> np.ndarray:
    """2x3 matrix of ``cv2.getRotationMatrix2D(center=(x, y), angle_degrees_ccw, scale)``."""
    a = np.deg2rad(angle)
    al, be = scale * np.cos(a), scale * np.sin(a)
    cx, cy = center
    return np.array([[al, be, (1 - al) * cx - be * cy], [-be, al, be * cx + (1 - al) * cy]])


_ORDER = {"nearest": 0, "bilinear": 1, "bicubic": 3}


def warp_affine(image: Any, M: Any, output_shape: tuple[int, int] | None = None,
                interpolation: str = "bilinear", mode: str = "constant", cval: float = 0.0,
                inverse_map: bool = False) -> np.ndarray:
    """Affine warp with OpenCV's convention: ``M`` (2x3) maps source (x=col, y=row) to destination.

    Each output pixel (x, y) samples the input at ``M^-1 [x, y, 1]`` (``inverse_map=True``: M itself
    is that destination->source map, ``cv2.WARP_INVERSE_MAP``).

    Args:
        image: (H, W[, C]). output_shape: (H_out, W_out); default the input's.
        interpolation: "nearest", "bilinear" or "bicubic". mode, cval: border handling.

    Notes:
        Bilinear equals ``scipy.ndimage.affine_transform(order=1, mode="grid-constant")`` in float64.
        ``cv2.warpAffine`` quantises coordinates to 1/32 pixel, so it agrees only to ~1e-2 relative.
    """
    img = as_image(image, ndim=(2, 3))
    m = np.asarray(M, dtype=np.float64)
    if m.shape != (2, 3):
        raise ValueError(f"M must have shape (2, 3), got {m.shape}")
    if interpolation not in _ORDER:
        raise ValueError(f"interpolation must be one of {tuple(_ORDER)}, got {interpolation!r}")
    ho, wo = img.shape[:2] if output_shape is None else pair(output_shape, "output_shape")
    if not inverse_map:
        full = np.vstack([m, [0.0, 0.0, 1.0]])
        m = np.linalg.inv(full)[:2]
    y, x = np.mgrid[0:ho, 0:wo].astype(np.float64)
    sx = m[0, 0] * x + m[0, 1] * y + m[0, 2]
    sy = m[1, 0] * x + m[1, 1] * y + m[1, 2]
    out = sample(img, sy, sx, _ORDER[interpolation], check_mode(mode), cval)
    return _out_dtype(out, img)


def rotate(image: Any, angle: float, center: tuple[float, float] | None = None, scale: float = 1.0,
           interpolation: str = "bilinear", mode: str = "constant", cval: float = 0.0) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees about ``center`` (x, y); default the image centre
    ((W-1)/2, (H-1)/2). Same size output. Uses :func:`rotation_matrix` + :func:`warp_affine`."""
    img = as_image(image, ndim=(2, 3))
    if center is None:
        center = ((img.shape[1] - 1) / 2.0, (img.shape[0] - 1) / 2.0)
    return warp_affine(img, rotation_matrix(center, angle, scale), None, interpolation, mode, cval)


def flip(image: Any, axis: int | None = None) -> np.ndarray:
    """Flip rows (axis 0, ``cv2.flip(x, 0)``), columns (axis 1, ``flipCode=1``) or both (None, ``-1``)."""
    img = as_image(image, ndim=(2, 3))
    if axis not in (0, 1, None):
        raise ValueError(f"axis must be 0, 1 or None, got {axis!r}")
    return img[::-1, ::-1].copy() if axis is None else np.flip(img, axis).copy()


def crop(image: Any, top: int, left: int, height: int, width: int) -> np.ndarray:
    """``image[top:top+height, left:left+width]`` with bounds checked (no silent truncation)."""
    img = as_image(image, ndim=(2, 3))
    h, w = img.shape[:2]
    if min(top, left) < 0 or height < 1 or width < 1 or top + height > h or left + width > w:
        raise ValueError(f"crop box (top={top}, left={left}, height={height}, width={width}) "
                         f"does not fit inside an image of size {h}x{w}")
    return img[top:top + height, left:left + width].copy()


_PYR = np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16.0


def pyr_down(image: Any) -> np.ndarray:
    """``cv2.pyrDown``: 5x5 binomial blur (REFLECT_101) then keep even rows/columns -> ((H+1)//2, (W+1)//2)."""
    img = as_image(image, ndim=(2, 3))
    f = correlate1d(correlate1d(img.astype(np.float64), _PYR, 0, "mirror"), _PYR, 1, "mirror")
    return _out_dtype(f[::2, ::2], img)


def pyramid(image: Any, max_layer: int = 3, min_size: int = 8) -> list[np.ndarray]:
    """Gaussian pyramid ``[f, pyr_down(f), ...]`` up to ``max_layer`` downsamplings or ``min_size``."""
    layers = [as_image(image, ndim=(2, 3))]
    while len(layers) <= max_layer and min(layers[-1].shape[:2]) // 2 >= min_size:
        layers.append(pyr_down(layers[-1]))
    return layers
