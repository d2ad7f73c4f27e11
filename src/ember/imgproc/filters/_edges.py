"""First-order edge operators (Sobel, Prewitt, Scharr, Roberts) and the Laplacian of Gaussian.

Axis convention: ``axis=0`` differentiates down the rows (responds to horizontal edges, skimage's
``*_h``), ``axis=1`` along the columns (vertical edges, ``*_v``; OpenCV ``dx=1``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_positive, to_float
from ._correlate import correlate, correlate1d
from ._smooth import gaussian_kernel

__all__ = ["gaussian_laplace", "gradient_magnitude", "prewitt", "roberts", "scharr", "sobel"]

_DIFF = np.array([-1.0, 0.0, 1.0])
_SMOOTH = {"sobel": np.array([1.0, 2.0, 1.0]), "prewitt": np.array([1.0, 1.0, 1.0]),
           "scharr": np.array([3.0, 10.0, 3.0])}


def _derivative(image: Any, smooth: np.ndarray, axis: int | None, mode: str, cval: float,
                normalize: bool) -> np.ndarray:
    img = to_float(as_image(image))
    scale = 1.0 / smooth.sum() if normalize else 1.0
    if axis is None:
        g0 = _derivative(img, smooth, 0, mode, cval, normalize)
        g1 = _derivative(img, smooth, 1, mode, cval, normalize)
        return np.sqrt(g0 * g0 + g1 * g1)
    if axis not in (0, 1, -1, -2):
        raise ValueError(f"axis must be 0, 1 or None, got {axis!r}")
    ax = axis % 2
    out = correlate1d(img, _DIFF, axis=ax, mode=mode, cval=cval)
    return correlate1d(out, smooth * scale, axis=1 - ax, mode=mode, cval=cval)


def sobel(image: Any, axis: int | None = None, mode: str = "reflect", cval: float = 0.0,
          normalize: bool = False) -> np.ndarray:
    """Sobel derivative ``[-1, 0, 1]`` (along ``axis``) x ``[1, 2, 1]`` (across); magnitude when axis is None.

    Args:
        image: (H, W). axis: 0, 1 or None (``sqrt(g0^2 + g1^2)``).
        mode, cval: border (``"mirror"`` = OpenCV default).
        normalize: divide the smoothing part by 4 (skimage's kernels).

    Notes:
        ``sobel(x, axis=a)`` = ``scipy.ndimage.sobel(x, axis=a)``; ``axis=1, mode="mirror"`` =
        ``cv2.Sobel(x, cv2.CV_64F, 1, 0, ksize=3)``. ``skimage.filters.sobel`` uses normalised kernels
        and reports ``sqrt((h^2 + v^2) / 2)``.
    """
    return _derivative(image, _SMOOTH["sobel"], axis, mode, cval, normalize)


def prewitt(image: Any, axis: int | None = None, mode: str = "reflect", cval: float = 0.0,
            normalize: bool = False) -> np.ndarray:
    """Prewitt derivative ``[-1, 0, 1]`` x ``[1, 1, 1]`` (``scipy.ndimage.prewitt``; skimage divides by 3)."""
    return _derivative(image, _SMOOTH["prewitt"], axis, mode, cval, normalize)


def scharr(image: Any, axis: int | None = None, mode: str = "reflect", cval: float = 0.0,
           normalize: bool = False) -> np.ndarray:
    """Scharr derivative ``[-1, 0, 1]`` x ``[3, 10, 3]`` (``cv2.Scharr``; skimage divides by 16)."""
    return _derivative(image, _SMOOTH["scharr"], axis, mode, cval, normalize)


ROBERTS_POS = np.array([[1.0, 0.0], [0.0, -1.0]])
ROBERTS_NEG = np.array([[0.0, 1.0], [-1.0, 0.0]])


def roberts(image: Any, direction: str | None = None, mode: str = "reflect",
            cval: float = 0.0) -> np.ndarray:
    """Roberts cross: correlation with [[1,0],[0,-1]] (``"pos"``) and [[0,1],[-1,0]] (``"neg"``).

    Args:
        direction: "pos", "neg" or None for the magnitude ``sqrt(pos^2 + neg^2)``.

    Notes:
        The 2x2 kernel's anchor is its top-left+1 element (``k // 2``, OpenCV's default anchor and
        SciPy ``origin=0``). skimage's ``roberts`` reports ``sqrt((pos^2 + neg^2) / 2)`` and its
        ``roberts_pos_diag`` uses the same kernel.
    """
    if direction not in (None, "pos", "neg"):
        raise ValueError(f"direction must be 'pos', 'neg' or None, got {direction!r}")
    img = as_image(image)
    if direction is not None:
        return correlate(img, ROBERTS_POS if direction == "pos" else ROBERTS_NEG, mode, cval)
    a = correlate(img, ROBERTS_POS, mode, cval)
    b = correlate(img, ROBERTS_NEG, mode, cval)
    return np.sqrt(a * a + b * b)


def _gaussian_d2_kernel(sigma: float, truncate: float) -> np.ndarray:
    """Second derivative of the sampled Gaussian: ``g(x) * (x^2 / s^4 - 1 / s^2)`` (SciPy's kernel)."""
    g = gaussian_kernel(sigma, truncate=truncate)
    x = np.arange(g.size) - g.size // 2
    return g * (x * x / sigma ** 4 - 1.0 / sigma ** 2)


def gaussian_laplace(image: Any, sigma: float, mode: str = "reflect", cval: float = 0.0,
                     truncate: float = 4.0) -> np.ndarray:
    """Laplacian of Gaussian ``d2(G*f)/dx2 + d2(G*f)/dy2`` (= ``scipy.ndimage.gaussian_laplace``).

    Smoothing first tames the Laplacian's noise sensitivity; edges are its zero crossings.
    """
    s = check_positive(sigma, "sigma")
    img = to_float(as_image(image))
    g = gaussian_kernel(s, truncate=truncate)
    d2 = _gaussian_d2_kernel(s, truncate)
    rows = correlate1d(correlate1d(img, d2, 0, mode, cval), g, 1, mode, cval)
    cols = correlate1d(correlate1d(img, g, 0, mode, cval), d2, 1, mode, cval)
    return rows + cols


def gradient_magnitude(g0: np.ndarray, g1: np.ndarray, norm: str = "L2") -> np.ndarray:
    """``sqrt(g0^2 + g1^2)`` (``"L2"``) or ``|g0| + |g1|`` (``"L1"``, OpenCV Canny's default)."""
    if norm == "L2":
        return np.hypot(g0, g1)
    if norm == "L1":
        return np.abs(g0) + np.abs(g1)
    raise ValueError(f"norm must be 'L1' or 'L2', got {norm!r}")
