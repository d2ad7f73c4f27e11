"""Image transforms: 2-D DCT-II, Walsh-Hadamard and the one-level Haar wavelet (TOPICS.md §1.21).

Each is an orthonormal separable transform ``F = A @ f @ B.T``; the inverse is ``A.T @ F @ B``.
Used for transform-domain filtering and coding (a toy DCT quantisation codec is :func:`dct_codec`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_positive

__all__ = ["dct2", "dct_codec", "dct_matrix", "haar2", "hadamard_matrix", "idct2", "ihaar2",
           "iwht2", "wht2"]


def dct_matrix(n: int) -> np.ndarray:
    """Orthonormal DCT-II matrix ``C[k, i] = a_k cos(pi (2 i + 1) k / (2 n))``, a_0 = sqrt(1/n), else sqrt(2/n)."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    c = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2.0 / n)
    c[0] /= np.sqrt(2.0)
    return c


def dct2(image: Any) -> np.ndarray:
    """2-D orthonormal DCT-II (= ``scipy.fft.dctn(x, norm="ortho")``)."""
    f = as_image(image).astype(np.float64)
    return dct_matrix(f.shape[0]) @ f @ dct_matrix(f.shape[1]).T


def idct2(coeffs: Any) -> np.ndarray:
    """Inverse of :func:`dct2`."""
    c = as_image(coeffs, "coeffs").astype(np.float64)
    return dct_matrix(c.shape[0]).T @ c @ dct_matrix(c.shape[1])


def hadamard_matrix(n: int) -> np.ndarray:
    """Orthonormal Sylvester-ordered Hadamard matrix ``H_n / sqrt(n)``; n must be a power of two."""
    if n < 1 or n & (n - 1):
        raise ValueError(f"Walsh-Hadamard size must be a power of two, got {n}")
    h = np.ones((1, 1))
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h / np.sqrt(n)


def wht2(image: Any) -> np.ndarray:
    """2-D Walsh-Hadamard transform (natural / Sylvester order, orthonormal); sides powers of two."""
    f = as_image(image).astype(np.float64)
    return hadamard_matrix(f.shape[0]) @ f @ hadamard_matrix(f.shape[1]).T


def iwht2(coeffs: Any) -> np.ndarray:
    """Inverse of :func:`wht2` (the orthonormal Hadamard matrix is symmetric and its own inverse)."""
    return wht2(coeffs)


def haar2(image: Any) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """One-level orthonormal 2-D Haar wavelet: ``(cA, (cH, cV, cD))``, each (H/2, W/2); even sides.

    ``cA = (a + b + c + d) / 2`` over each 2x2 block [[a, b], [c, d]]; ``cH = (a + b - c - d) / 2``
    (row differences: horizontal edges), ``cV = (a - b + c - d) / 2``, ``cD = (a - b - c + d) / 2``.
    Same values as ``pywt.dwt2(x, "haar")`` up to the sign convention of the detail bands.
    """
    f = as_image(image).astype(np.float64)
    if f.shape[0] % 2 or f.shape[1] % 2:
        raise ValueError(f"haar2 needs even height and width, got shape {f.shape}")
    a, b = f[0::2, 0::2], f[0::2, 1::2]
    c, d = f[1::2, 0::2], f[1::2, 1::2]
    return (a + b + c + d) / 2, ((a + b - c - d) / 2, (a - b + c - d) / 2, (a - b - c + d) / 2)


def ihaar2(ca: np.ndarray, details: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Inverse of :func:`haar2` (perfect reconstruction)."""
    ch, cv, cd = details
    out = np.empty((ca.shape[0] * 2, ca.shape[1] * 2))
    out[0::2, 0::2] = (ca + ch + cv + cd) / 2
    out[0::2, 1::2] = (ca + ch - cv - cd) / 2
    out[1::2, 0::2] = (ca - ch + cv - cd) / 2
    out[1::2, 1::2] = (ca - ch - cv + cd) / 2
    return out


def dct_codec(image: Any, block: int = 8, q: float = 10.0) -> tuple[np.ndarray, float]:
    """Toy lossy codec: blockwise DCT, uniform quantisation with step ``q``, inverse DCT.

    Returns ``(reconstruction, fraction_of_nonzero_coefficients)``; borders not covered by whole
    blocks are kept unchanged. Illustrates transform coding (TOPICS.md §1.21, image compression).
    """
    f = as_image(image).astype(np.float64)
    step = check_positive(q, "q")
    hb, wb = f.shape[0] // block, f.shape[1] // block
    if hb == 0 or wb == 0:
        raise ValueError(f"image {f.shape} is smaller than one {block}x{block} block")
    c = dct_matrix(block)
    tiles = f[:hb * block, :wb * block].reshape(hb, block, wb, block).transpose(0, 2, 1, 3)
    coef = np.round(c @ tiles @ c.T / step)  # (hb, wb, block, block)
    rec = (c.T @ (coef * step) @ c).transpose(0, 2, 1, 3).reshape(hb * block, wb * block)
    out = f.copy()
    out[:hb * block, :wb * block] = rec
    return out, float(np.count_nonzero(coef) / coef.size)
