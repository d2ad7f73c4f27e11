"""Frequency-domain filtering: ideal / Butterworth / Gaussian low- and high-pass (TOPICS.md §1.21).

Low frequencies = slowly varying regions (the coarse content); high frequencies = edges, fine detail
and noise. A transfer function H(u, v) of the distance D(u, v) from the zero frequency is applied as
``ifft2(H * fft2(f))`` - a circular convolution (``scipy.ndimage.convolve(mode="wrap")`` with
``ifft2(H)``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_positive, to_float

__all__ = ["frequency_distance", "frequency_filter", "high_frequency_fraction", "transfer_function"]

_KINDS = ("ideal", "butterworth", "gaussian")


def frequency_distance(shape: tuple[int, int]) -> np.ndarray:
    """D(u, v) = sqrt(u^2 + v^2) in frequency-index units, in unshifted FFT layout (``fftfreq * n``)."""
    u = np.fft.fftfreq(shape[0]) * shape[0]
    v = np.fft.fftfreq(shape[1]) * shape[1]
    return np.hypot(u[:, None], v[None, :])


def transfer_function(shape: tuple[int, int], cutoff: float, kind: str = "ideal",
                      high_pass: bool = False, order: float = 2.0) -> np.ndarray:
    """H(u, v) in unshifted layout (``np.fft.fftshift`` it to display with DC in the centre).

    Low-pass forms (high-pass is ``1 - H_lp``):
      ideal: ``D <= D0``; Butterworth: ``1 / (1 + (D / D0)^(2 n))``; Gaussian: ``exp(-D^2 / (2 D0^2))``.

    Args:
        shape: (H, W). cutoff: D0 in frequency-index units (> 0).
        kind: "ideal", "butterworth" or "gaussian". order: Butterworth n.

    Notes:
        The Butterworth form is the textbook (Gonzalez & Woods) one, which is what
        ``skimage.filters.butterworth(squared_butterworth=True, npad=0)`` computes; for an N x N image
        its ``cutoff_frequency_ratio`` r is ``cutoff = r * N`` here (skimage normalises each axis by
        its own length, so non-square images differ).
    """
    d0 = check_positive(cutoff, "cutoff")
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    d = frequency_distance(shape)
    if kind == "ideal":
        h = (d <= d0).astype(np.float64)
    elif kind == "butterworth":
        h = 1.0 / (1.0 + (d / d0) ** (2.0 * check_positive(order, "order")))
    else:
        h = np.exp(-(d * d) / (2.0 * d0 * d0))
    return 1.0 - h if high_pass else h


def frequency_filter(image: Any, cutoff: float, kind: str = "ideal", high_pass: bool = False,
                     order: float = 2.0) -> np.ndarray:
    """``real(ifft2(H * fft2(f)))`` with H from :func:`transfer_function`. (H, W) -> (H, W) float."""
    img = to_float(as_image(image))
    h = transfer_function(img.shape, cutoff, kind, high_pass, order)
    return np.real(np.fft.ifft2(np.fft.fft2(img) * h)).astype(img.dtype, copy=False)


def high_frequency_fraction(image: Any, cutoff: float, remove_mean: bool = True) -> float:
    """Fraction of spectral energy ``sum |F|^2`` at distance ``D > cutoff`` (Parseval: = spatial energy).

    ``remove_mean`` drops the DC term so the fraction describes the variation, not the brightness.
    """
    img = to_float(as_image(image)).astype(np.float64)
    if remove_mean:
        img = img - img.mean()
    power = np.abs(np.fft.fft2(img)) ** 2
    total = power.sum()
    if total == 0:
        return 0.0
    return float(power[frequency_distance(img.shape) > cutoff].sum() / total)
