"""Smoothing filters: box (mean), Gaussian, median, bilateral (TOPICS.md §1.21, E27)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_mode, check_odd, check_positive, pad, pair, to_float
from ._correlate import correlate1d, sliding_windows

__all__ = ["bilateral", "box_filter", "gaussian", "gaussian_kernel", "median", "uniform_filter"]

# OpenCV's fixed kernels for sigma <= 0 and ksize <= 9 (getGaussianKernel; ORACLES.md §4 lists
# up to 7; OpenCV 5.0 also fixes 9 = [4, 13, 30, 51, 60, 51, 30, 13, 4] / 256, checked in the tests)
_CV_SMALL = {1: [1.0], 3: [0.25, 0.5, 0.25], 5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
             7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
             9: [x / 256 for x in (4, 13, 30, 51, 60, 51, 30, 13, 4)]}


def gaussian_kernel(sigma: float, ksize: int | None = None, truncate: float = 4.0) -> np.ndarray:
    """Normalised 1-D Gaussian ``g[i] = exp(-x_i^2 / (2 sigma^2)) / sum``, x centred on the middle tap.

    Args:
        sigma: standard deviation in pixels (>= 0; 0 gives the identity kernel [1] when ``ksize``
            is None). With ``ksize`` given and ``sigma <= 0`` OpenCV's rule is used:
            ``sigma = 0.3 * ((ksize - 1) / 2 - 1) + 0.8`` and, for ksize <= 9, its fixed kernels
            (``getGaussianKernel(5, 0)`` is [1, 4, 6, 4, 1] / 16).
        ksize: odd kernel length (OpenCV convention) or None for SciPy's radius
            ``int(truncate * sigma + 0.5)``.
        truncate: radius in standard deviations when ``ksize`` is None. Default: 4.0 (SciPy).

    Returns:
        (k,) float64 kernel summing to 1.
    """
    if ksize is not None:
        k = check_odd(ksize, "ksize")
        s = float(sigma)
        if s <= 0:
            if k in _CV_SMALL:
                return np.array(_CV_SMALL[k])
            s = 0.3 * ((k - 1) * 0.5 - 1) + 0.8
        x = np.arange(k) - (k - 1) / 2
    else:
        s = check_positive(sigma, "sigma", allow_zero=True)
        if s == 0:
            return np.ones(1)
        r = int(check_positive(truncate, "truncate") * s + 0.5)
        x = np.arange(-r, r + 1, dtype=np.float64)
    g = np.exp(-0.5 / (s * s) * x * x)
    return g / g.sum()


def gaussian(image: Any, sigma: float | tuple[float, float] = 1.0, mode: str = "reflect",
             cval: float = 0.0, truncate: float = 4.0,
             ksize: int | tuple[int, int] | None = None) -> np.ndarray:
    """Separable Gaussian blur: two 1-D passes with :func:`gaussian_kernel`.

    Args:
        image: (H, W) or (H, W, C); channels filtered independently.
        sigma: scalar or (sigma_row, sigma_col). Default: 1.0.
        mode, cval: border (SciPy names). Default ``"reflect"`` as ``scipy.ndimage.gaussian_filter``;
            use ``"mirror"`` for OpenCV's ``BORDER_DEFAULT``.
        truncate: SciPy radius rule (ignored when ``ksize`` is given).
        ksize: OpenCV-style odd kernel size (int or (k_row, k_col)).

    Returns:
        float array, same shape (no rescaling of integer input).

    Notes:
        ``gaussian(x, s, mode="reflect")`` = ``scipy.ndimage.gaussian_filter(x, s)``;
        ``gaussian(x, s, mode="mirror", ksize=k)`` = ``cv2.GaussianBlur(x, (k, k), s)`` for float input.
        ``skimage.filters.gaussian`` defaults to ``mode="nearest"`` and rescales uint8 to [0, 1].
        The Gaussian is a *weighted* mean with weights ~ exp(-d^2 / 2 sigma^2) (TOPICS.md E27).
    """
    img = as_image(image, ndim=(2, 3))
    sig = (sigma, sigma) if np.isscalar(sigma) else tuple(sigma)
    ks = (ksize, ksize) if ksize is None or np.isscalar(ksize) else tuple(ksize)
    out = to_float(img)
    for axis in (0, 1):
        k = gaussian_kernel(sig[axis], ks[axis], truncate)
        out = correlate1d(out, k, axis=axis, mode=mode, cval=cval)
    return out


def uniform_filter(image: Any, size: int | tuple[int, int] = 3, mode: str = "reflect",
                   cval: float = 0.0) -> np.ndarray:
    """Mean (box) filter: every coefficient is ``1 / (kh * kw)`` (TOPICS.md E27).

    Equals ``scipy.ndimage.uniform_filter`` (any size, centre ``k // 2``) and ``cv2.blur`` with
    ``mode="mirror"`` for odd sizes.
    """
    img = as_image(image, ndim=(2, 3))
    kh, kw = pair(size, "size")
    out = correlate1d(to_float(img), np.full(kh, 1.0 / kh), axis=0, mode=mode, cval=cval)
    return correlate1d(out, np.full(kw, 1.0 / kw), axis=1, mode=mode, cval=cval)


def box_filter(image: Any, ksize: int | tuple[int, int] = 3, normalize: bool = True,
               mode: str = "mirror", cval: float = 0.0) -> np.ndarray:
    """OpenCV's ``boxFilter``: window sum, divided by the area when ``normalize`` (default border REFLECT_101)."""
    out = uniform_filter(image, ksize, mode, cval)
    kh, kw = pair(ksize, "ksize")
    return out if normalize else out * (kh * kw)


def _footprint(size: Any, footprint: Any) -> np.ndarray:
    if footprint is not None:
        fp = np.asarray(footprint, dtype=bool)
        if fp.ndim != 2 or not fp.any():
            raise ValueError(f"footprint must be a non-empty 2-D boolean array, got shape {fp.shape}")
        return fp
    return np.ones(pair(size, "size"), dtype=bool)


def median(image: Any, size: int | tuple[int, int] = 3, footprint: Any = None,
           mode: str = "nearest", cval: float = 0.0) -> np.ndarray:
    """Median over the window (or ``footprint``) centred on each pixel; non-linear.

    Args:
        image: (H, W) array.
        size: window size when ``footprint`` is None. Default: 3.
        footprint: boolean (kh, kw) mask selecting the window elements.
        mode: border. Default ``"nearest"`` (skimage; OpenCV ``medianBlur`` replicates too).

    Returns:
        array of the input dtype (the median of an odd count is an input value).

    Notes:
        Equals ``scipy.ndimage.median_filter(x, size, mode=...)`` and ``cv2.medianBlur`` (odd k, replicate).
        Even counts average the two middle values (``np.median``), where SciPy picks the upper one.
    """
    img = as_image(image)
    fp = _footprint(size, footprint)
    win = sliding_windows(img, fp.shape, mode, cval)
    out = np.empty(img.shape, dtype=np.result_type(img.dtype, np.float64)
                   if fp.sum() % 2 == 0 else img.dtype)
    rows = max(1, (1 << 22) // (img.shape[1] * int(fp.sum())))
    for r0 in range(0, img.shape[0], rows):  # chunks bound the (rows, W, n) buffer
        out[r0:r0 + rows] = np.median(win[r0:r0 + rows][..., fp], axis=-1)
    return out


def bilateral(image: Any, d: int, sigma_color: float, sigma_space: float,
              mode: str = "mirror") -> np.ndarray:
    """Bilateral filter: weights ``exp(-|dp|^2 / 2 sigma_space^2) * exp(-(f(q) - f(p))^2 / 2 sigma_color^2)``.

    Args:
        image: (H, W) array.
        d: window diameter; ``d <= 0`` derives the radius ``round(1.5 * sigma_space)`` (OpenCV).
        sigma_color: range standard deviation (grey levels). sigma_space: spatial standard deviation.
        mode: border. Default ``"mirror"`` (OpenCV BORDER_DEFAULT).

    Notes:
        Like ``cv2.bilateralFilter`` the window is the disc of radius ``d // 2``. OpenCV quantises the
        range weight (uint8: per-level table; float: an interpolated lookup table), so uint8 results
        agree to +-1 level and float results only approximately.
    """
    img = as_image(image)
    sc = check_positive(sigma_color, "sigma_color")
    ss = check_positive(sigma_space, "sigma_space")
    radius = int(np.floor(ss * 1.5 + 0.5)) if d <= 0 else int(d) // 2
    radius = max(radius, 1)
    f = img.astype(np.float64)
    p = pad(f, radius, check_mode(mode))
    num = np.zeros_like(f)
    den = np.zeros_like(f)
    h, w = f.shape
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            r2 = dy * dy + dx * dx
            if r2 > radius * radius:
                continue
            q = p[radius + dy:radius + dy + h, radius + dx:radius + dx + w]
            wgt = np.exp(-r2 / (2 * ss * ss)) * np.exp(-((q - f) ** 2) / (2 * sc * sc))
            num += wgt * q
            den += wgt
    out = num / den
    if np.issubdtype(img.dtype, np.integer):
        return np.clip(np.floor(out + 0.5), 0, np.iinfo(img.dtype).max).astype(img.dtype)
    return out.astype(to_float(img).dtype)
