"""Restoration with a degradation model: blur ``g = h * f + n`` (circular) and its Wiener inverse.

Enhancement (``exposure``, sharpening) has no degradation model; restoration builds one and inverts
it by filtering (TOPICS.md §1.21 "enhancement vs restoration").
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_positive

__all__ = ["circular_blur", "psf_transfer", "wiener"]

_LAPLACE_REG = np.array([[0.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 0.0]])


def psf_transfer(psf: Any, shape: tuple[int, int]) -> np.ndarray:
    """Transfer function H = fft2 of the PSF zero-padded to ``shape`` and rolled so its centre
    (``k // 2``) sits at index 0 (no phase shift; ``skimage.restoration.uft.ir2tf``)."""
    k = np.asarray(psf, dtype=np.float64)
    if k.ndim != 2 or k.shape[0] > shape[0] or k.shape[1] > shape[1]:
        raise ValueError(f"psf must be 2-D and fit in the image {shape}, got shape {k.shape}")
    padded = np.zeros(shape)
    padded[:k.shape[0], :k.shape[1]] = k
    padded = np.roll(padded, (-(k.shape[0] // 2), -(k.shape[1] // 2)), axis=(0, 1))
    return np.fft.fft2(padded)


def circular_blur(image: Any, psf: Any) -> np.ndarray:
    """Degradation model ``g = h * f`` as a circular convolution (periodic borders)."""
    f = as_image(image).astype(np.float64)
    return np.real(np.fft.ifft2(np.fft.fft2(f) * psf_transfer(psf, f.shape)))


def wiener(image: Any, psf: Any, balance: float, clip: bool = True) -> np.ndarray:
    """Wiener-Hunt deconvolution ``F = conj(H) G / (|H|^2 + balance |L|^2)``, L = Laplacian regulariser.

    Args:
        image: (H, W) degraded image (values ~[-1, 1] when ``clip``). psf: (kh, kw) point spread function.
        balance: regularisation weight (the noise-to-signal trade-off, > 0).
        clip: clip the result to [-1, 1] as skimage does.

    Returns:
        float64 (H, W); equals ``skimage.restoration.wiener(image, psf, balance, clip=clip)``.
        ``balance -> 0`` tends to the (noise-amplifying) inverse filter.
    """
    g = as_image(image).astype(np.float64)
    b = check_positive(balance, "balance")
    h = psf_transfer(psf, g.shape)
    reg = np.real(psf_transfer(_LAPLACE_REG, g.shape))
    filt = np.conj(h) / (np.abs(h) ** 2 + b * reg ** 2)
    out = np.real(np.fft.ifft2(filt * np.fft.fft2(g)))
    return np.clip(out, -1.0, 1.0) if clip else out
