"""Diffusion-type inpainting: harmonic (heat-equation) fill and an onion-peel, Telea-like fill.

Both propagate known values smoothly into the hole; they reconstruct smooth, low-frequency content
well and blur texture (compare exemplar-based inpainting, claim C149). The learned approaches of
the notes - scene completion from a photo collection (Hays & Efros) and context encoders - are
documented in docs/imgproc.md.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, check_positive, pad

__all__ = ["inpaint_diffusion", "inpaint_onion"]


def _inputs(image: Any, mask: Any) -> tuple[np.ndarray, np.ndarray]:
    img = as_image(image).astype(np.float64)
    m = as_image(mask, "mask").astype(bool)
    if m.shape != img.shape:
        raise ValueError(f"mask shape {m.shape} must equal image shape {img.shape}")
    if m.all():
        raise ValueError("mask covers the whole image: nothing to propagate from")
    return img, m


def inpaint_diffusion(image: Any, mask: Any, max_iter: int = 2000, tol: float = 1e-4) -> np.ndarray:
    """Harmonic inpainting: iterate ``u = mean of the 4 neighbours`` inside ``mask`` (Jacobi on
    Laplace's equation with the known pixels as boundary values) until the update is below ``tol``.

    Args:
        image: (H, W). mask: bool (H, W), True = unknown. max_iter, tol: stopping rule.

    Returns:
        float64 (H, W); known pixels are unchanged.
    """
    img, m = _inputs(image, mask)
    u = img.copy()
    u[m] = img[~m].mean()
    for _ in range(int(max_iter)):
        p = pad(u, 1, "nearest")
        avg = 0.25 * (p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:])
        change = np.abs(avg[m] - u[m]).max()
        u[m] = avg[m]
        if change < tol:
            break
    return u


def inpaint_onion(image: Any, mask: Any, radius: int = 3) -> np.ndarray:
    """Fill the hole from its boundary inwards (fast-marching order, like Telea's method): each layer of
    unknown pixels touching the known region gets the ``1 / d^2``-weighted mean of the known pixels
    within ``radius``.

    Notes:
        Telea (2004) also weights by the level-set direction and the gradient; this keeps the
        distance weight only (``cv2.inpaint(..., INPAINT_TELEA)`` is the full method).
    """
    img, m = _inputs(image, mask)
    r = int(check_positive(radius, "radius"))
    u = np.where(m, 0.0, img)
    known = ~m
    h, w = img.shape
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    wts = np.where(dy ** 2 + dx ** 2 > 0, 1.0 / np.maximum(dy ** 2 + dx ** 2, 1), 0.0)
    while not known.all():
        pk = np.pad(known, 1)
        ring = ~known & (pk[:-2, 1:-1] | pk[2:, 1:-1] | pk[1:-1, :-2] | pk[1:-1, 2:] |
                         pk[:-2, :-2] | pk[:-2, 2:] | pk[2:, :-2] | pk[2:, 2:])
        pu, pkn = np.pad(u, r), np.pad(known, r).astype(np.float64)
        num = np.zeros((h, w))
        den = np.zeros((h, w))
        for (a, b), wt in np.ndenumerate(wts):
            if wt:
                num += wt * pu[a:a + h, b:b + w] * pkn[a:a + h, b:b + w]
                den += wt * pkn[a:a + h, b:b + w]
        u[ring] = num[ring] / den[ring]
        known = known | ring
    return u
