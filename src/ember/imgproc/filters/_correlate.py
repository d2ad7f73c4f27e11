"""2-D correlation / convolution with every border mode, and the separable 1-D pass.

All filters of ember.imgproc go through :func:`correlate` or :func:`correlate1d`: the image is
padded once with :func:`ember.imgproc._utils.pad`, then the output is a sum over kernel taps of
shifted views (one vectorised pass per tap, no per-pixel Python loop).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_array, as_image, check_mode, pad, to_float

__all__ = ["convolve", "correlate", "correlate1d", "sliding_windows"]


def _kernel(weights: Any, ndim: int) -> np.ndarray:
    w = np.asarray(as_array(weights, "weights"), dtype=np.float64)
    if w.ndim != ndim:
        raise ValueError(f"weights must be {ndim}-D, got shape {w.shape}")
    if w.size == 0:
        raise ValueError(f"weights must be non-empty, got shape {w.shape}")
    return w


def _correlate_centered(img: np.ndarray, w: np.ndarray, center: tuple[int, int], mode: str,
                        cval: float) -> np.ndarray:
    """out[i, j] = sum_{a, b} w[a, b] * img[i + a - center[0], j + b - center[1]] (padded)."""
    kh, kw = w.shape
    h, wd = img.shape[:2]
    widths = [(center[0], kh - 1 - center[0]), (center[1], kw - 1 - center[1])]
    widths += [(0, 0)] * (img.ndim - 2)
    p = pad(img, widths, mode, cval)
    out = np.zeros(img.shape, dtype=np.float64)
    for a in range(kh):
        for b in range(kw):
            if w[a, b] != 0.0:
                out += w[a, b] * p[a:a + h, b:b + wd]
    return out


def _finish(out: np.ndarray, img: np.ndarray) -> np.ndarray:
    return out.astype(to_float(img[:0]).dtype, copy=False)


def correlate(image: Any, weights: Any, mode: str = "reflect", cval: float = 0.0,
              origin: int | tuple[int, int] = 0) -> np.ndarray:
    """Cross-correlation ``out[i,j] = sum_{a,b} w[a,b] * f[i + a - ca, j + b - cb]`` (no kernel flip).

    Args:
        image: (H, W) or (H, W, C) array; channels are filtered independently.
        weights: (kh, kw) kernel, any size (even sizes allowed).
        mode: border mode, SciPy names (see ``ember.imgproc._utils``). Default: ``"reflect"``.
        cval: value outside the image for ``mode="constant"``.
        origin: shift of the kernel centre; the centre is ``k // 2 + origin`` (as ``scipy.ndimage``).

    Returns:
        float array of the image's shape (float32 stays float32, other dtypes give float64).

    Notes:
        Equals ``scipy.ndimage.correlate`` and, with ``mode="mirror"``, ``cv2.filter2D`` (whose default
        anchor ``k // 2`` is ``origin=0`` also for even kernels). ``torch.nn.functional.conv2d`` is the same
        operation with ``mode="constant"``. The notes' NumPy "convolution" sample is a correlation
        with two padding bugs (TOPICS.md E02).
    """
    img = as_image(image, ndim=(2, 3))
    w = _kernel(weights, 2)
    o = (origin, origin) if np.isscalar(origin) else tuple(origin)
    center = tuple(int(k // 2 + oi) for k, oi in zip(w.shape, o))
    if not all(0 <= c < k for c, k in zip(center, w.shape)):
        raise ValueError(f"origin {origin} puts the kernel centre outside a kernel of shape {w.shape}")
    return _finish(_correlate_centered(to_float(img), w, center, check_mode(mode), cval), img)


def convolve(image: Any, weights: Any, mode: str = "reflect", cval: float = 0.0) -> np.ndarray:
    """Convolution ``out[i,j] = sum_{a,b} w[a,b] * f[i - a + ca, j - b + cb]``: correlation with the flipped kernel.

    Args:
        image: (H, W) or (H, W, C) array.
        weights: (kh, kw) kernel.
        mode, cval: border handling as in :func:`correlate`.

    Notes:
        Equals ``scipy.ndimage.convolve`` (even kernels: the centre of the flipped kernel is
        ``(k - 1) // 2``) and ``scipy.signal.convolve2d(..., 'same', boundary='symm')`` with
        ``mode="reflect"``.
    """
    img = as_image(image, ndim=(2, 3))
    w = _kernel(weights, 2)[::-1, ::-1]
    center = ((w.shape[0] - 1) // 2, (w.shape[1] - 1) // 2)
    return _finish(_correlate_centered(to_float(img), w, center, check_mode(mode), cval), img)


def correlate1d(image: Any, weights: Any, axis: int = -1, mode: str = "reflect",
                cval: float = 0.0) -> np.ndarray:
    """1-D correlation along ``axis`` (centre ``len(weights) // 2``), as ``scipy.ndimage.correlate1d``.

    Separable filters (Gaussian, Sobel, box) are two of these passes.
    """
    img = as_image(image, ndim=(1, 2, 3))
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.size == 0:
        raise ValueError("weights must be non-empty")
    ax = axis % img.ndim
    c = w.size // 2
    widths = [(0, 0)] * img.ndim
    widths[ax] = (c, w.size - 1 - c)
    p = pad(to_float(img), widths, mode, cval)
    n = img.shape[ax]
    view = lambda a: p[(slice(None),) * ax + (slice(a, a + n),)]
    out = np.zeros(img.shape, dtype=p.dtype)  # float32 images accumulate in float32 (speed)
    w = w.astype(p.dtype)
    k = w.size
    done = np.zeros(k, dtype=bool)
    tmp = np.empty_like(out)  # in-place arithmetic: no temporaries per tap
    for a in range(k):
        if done[a] or w[a] == 0.0:
            continue
        b = k - 1 - a
        if b != a and w[b] == w[a]:  # symmetric kernels: one multiply for the pair of taps
            np.add(view(a), view(b), out=tmp)
            done[b] = True
        else:
            np.copyto(tmp, view(a))
        tmp *= w[a]
        out += tmp
    return _finish(out, img)


def sliding_windows(image: np.ndarray, size: tuple[int, int], mode: str = "reflect",
                    cval: float = 0.0) -> np.ndarray:
    """View of shape (H, W, kh, kw) of the padded image: window centred (``k // 2``) on each pixel."""
    kh, kw = size
    widths = [(kh // 2, kh - 1 - kh // 2), (kw // 2, kw - 1 - kw // 2)]
    p = pad(image, widths, check_mode(mode), cval)
    return np.lib.stride_tricks.sliding_window_view(p, (kh, kw))
