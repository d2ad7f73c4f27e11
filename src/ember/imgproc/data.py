"""Generated test images (TOPICS.md §2.0 "IMG"): no downloads, seeded, float64 in [0, 255].

Kinds: ``"shapes"`` (rectangles and discs on a gradient), ``"checker"``, ``"lines"`` (thin lines),
``"texture"`` (periodic pattern), ``"low_contrast"`` (shapes squeezed into [100, 140]),
``"dark"`` (a dark textured half and a bright half). :func:`shape_mask` gives the exact
foreground of ``"shapes"`` (for edge ground truth).
"""
from __future__ import annotations

import numpy as np

__all__ = ["KINDS", "glyph_shapes", "scene", "shape_mask"]

KINDS = ("shapes", "checker", "lines", "texture", "low_contrast", "dark")


def shape_mask(size: int = 128, seed: int = 0) -> np.ndarray:
    """Bool (size, size) union of 3 rectangles and 3 discs placed by ``seed``."""
    g = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    m = np.zeros((size, size), dtype=bool)
    for _ in range(3):
        y0, x0 = g.integers(size // 10, size // 2, 2)
        hh, ww = g.integers(size // 8, size // 3, 2)
        m[y0:y0 + hh, x0:x0 + ww] = True
    for _ in range(3):
        cy, cx = g.uniform(size * 0.25, size * 0.75, 2)
        r = g.uniform(size / 16, size / 7)
        m |= (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
    return m


def scene(kind: str = "shapes", size: int = 128, seed: int = 0) -> np.ndarray:
    """A float64 (size, size) test image in [0, 255]."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    yy, xx = np.mgrid[0:size, 0:size] / max(size - 1, 1)
    g = np.random.default_rng(seed)
    if kind in ("shapes", "low_contrast"):
        img = 60 + 40 * xx + 20 * yy + 120 * shape_mask(size, seed)
        if kind == "low_contrast":
            img = 100 + 40 * (img - img.min()) / (img.max() - img.min())
        return img
    if kind == "checker":
        n = 8
        return 200.0 * ((np.floor(yy * n * 0.999) + np.floor(xx * n * 0.999)) % 2) + 25
    if kind == "lines":
        img = np.full((size, size), 20.0)
        for _ in range(4):
            a, b = g.uniform(-1, 1, 2)
            c = g.uniform(0.3, 0.7)
            dist = np.abs(a * (xx - 0.5) + b * (yy - 0.5) + (c - 0.5) * 0.5) / np.hypot(a, b)
            img[dist * size < 0.6] = 230
        return img
    if kind == "texture":
        return 128 + 60 * np.sin(2 * np.pi * xx * size / 8) * np.cos(2 * np.pi * yy * size / 8)
    tex = 25 + 12 * np.sin(2 * np.pi * xx * size / 6) * np.sin(2 * np.pi * yy * size / 6)
    return np.where(xx < 0.5, tex + g.normal(0, 1.0, (size, size)), 190 + 30 * yy)


def glyph_shapes(n_per_class: int = 50, size: int = 32, noise: float = 20.0, seed: int = 0,
                 shift: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    """4-class shape images (circle, square, triangle, cross) with random shift (+-``shift`` px),
    size and Gaussian noise.

    Returns (X (n, size, size) float64 in ~[0, 255], y (n,) int). Used by claim C150.
    """
    g = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    imgs, labels = [], []
    for cls in range(4):
        for _ in range(n_per_class):
            cy, cx = size / 2 + g.uniform(-shift, shift, 2)
            r = g.uniform(size * 0.22, size * 0.32)
            if cls == 0:
                m = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            elif cls == 1:
                m = (np.abs(yy - cy) <= r * 0.85) & (np.abs(xx - cx) <= r * 0.85)
            elif cls == 2:
                m = (yy - cy <= r * 0.8) & (yy - cy >= -r) & (np.abs(xx - cx) <= (yy - cy + r) * 0.6)
            else:
                m = ((np.abs(yy - cy) <= r * 0.25) & (np.abs(xx - cx) <= r)) | \
                    ((np.abs(xx - cx) <= r * 0.25) & (np.abs(yy - cy) <= r))
            imgs.append(40 + 160 * m + g.normal(0, noise, (size, size)))
            labels.append(cls)
    return np.array(imgs), np.array(labels)
