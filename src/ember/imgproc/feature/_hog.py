"""Histogram of oriented gradients (TOPICS.md §1.22, E50), following scikit-image's recipe exactly.

Steps: optional sqrt (gamma) normalisation; centred differences ``[-1, 0, 1]`` with the outer ring
set to 0; magnitude ``hypot(gy, gx)`` and angle ``atan2(gy, gx)`` mod 180 (unsigned) or 360 (signed);
per cell, the magnitude summed into hard orientation bins and divided by the cell area; blocks of
``cells_per_block`` cells (stride one cell) normalised (L1, L1-sqrt, L2 or L2-Hys); concatenated.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, pair

__all__ = ["hog", "hog_cell_histograms", "hog_gradients", "hog_length", "hog_normalize_blocks"]

_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys", None)


def hog_gradients(image: Any) -> tuple[np.ndarray, np.ndarray]:
    """(g_row, g_col) centred differences with zero outer rows / columns; colour -> the channel with the
    largest magnitude per pixel (skimage's rule)."""
    f = np.atleast_3d(as_image(image, ndim=(2, 3)).astype(np.float64))
    g_row = np.zeros_like(f)
    g_col = np.zeros_like(f)
    g_row[1:-1] = f[2:] - f[:-2]
    g_col[:, 1:-1] = f[:, 2:] - f[:, :-2]
    if f.shape[2] == 1:
        return g_row[..., 0], g_col[..., 0]
    best = np.hypot(g_row, g_col).argmax(axis=2)[..., None]
    return np.take_along_axis(g_row, best, 2)[..., 0], np.take_along_axis(g_col, best, 2)[..., 0]


def _bilinear_votes(mag: np.ndarray, ori: np.ndarray, orientations: int, span: float,
                    cell: np.ndarray) -> np.ndarray:
    """Each pixel splits its magnitude between the two nearest bin centres ((i + 0.5) * span / n),
    circularly (Dalal-Triggs' orientation interpolation; TOPICS.md E50)."""
    t = ori / (span / orientations) - 0.5
    b0 = np.floor(t)
    frac = t - b0
    b0 = b0.astype(int) % orientations
    b1 = (b0 + 1) % orientations
    n = int(cell.max()) + 1
    hist = np.bincount((cell * orientations + b0).ravel(), (mag * (1 - frac)).ravel(), n * orientations)
    hist += np.bincount((cell * orientations + b1).ravel(), (mag * frac).ravel(), n * orientations)
    return hist


def hog_cell_histograms(g_row: np.ndarray, g_col: np.ndarray, orientations: int = 9,
                        pixels_per_cell: tuple[int, int] = (8, 8), signed: bool = False,
                        vote: str = "hard") -> np.ndarray:
    """(n_cells_row, n_cells_col, orientations): per-cell magnitude sums in hard bins / cell area.

    Bin i covers ``[i * span / n, (i + 1) * span / n)`` with span 180 (unsigned) or 360 (signed); no
    bilinear voting with the default ``vote="hard"``. To reproduce skimage to round-off the bin edges
    are float32 and each cell is summed in float32, pixel by pixel in row-major order, as its Cython
    kernel does. ``vote="bilinear"`` splits each vote between the two nearest bin centres (E50).
    """
    if vote not in ("hard", "bilinear"):
        raise ValueError(f"vote must be 'hard' or 'bilinear', got {vote!r}")
    span = 360.0 if signed else 180.0
    mag = np.hypot(g_col, g_row)
    ori = np.arctan2(g_row, g_col) * (span / np.pi / (2.0 if signed else 1.0)) % span
    cr, cc = pixels_per_cell
    ncr, ncc = g_row.shape[0] // cr, g_row.shape[1] // cc
    if vote == "bilinear":
        cell = (np.arange(ncr * cr) // cr)[:, None] * ncc + (np.arange(ncc * cc) // cc)[None, :]
        hist = _bilinear_votes(mag[:ncr * cr, :ncc * cc], ori[:ncr * cr, :ncc * cc], orientations,
                               span, cell)
        return hist.reshape(ncr, ncc, orientations) / (cr * cc)
    edges = np.float32(span / orientations * np.arange(orientations)).astype(np.float64)
    b = (ori[..., None] >= edges).sum(-1) - 1
    b = b[:ncr * cr, :ncc * cc].reshape(ncr, cr, ncc, cc)
    m = mag[:ncr * cr, :ncc * cc].reshape(ncr, cr, ncc, cc)
    onehot = np.arange(orientations)
    total = np.zeros((ncr, ncc, orientations), dtype=np.float32)
    for a in range(cr):  # float32 running sum in skimage's order; vectorised over cells and bins
        for c in range(cc):
            vote = np.where(b[:, a, :, c, None] == onehot, m[:, a, :, c, None], 0.0)
            total = (total.astype(np.float64) + vote).astype(np.float32)
    return (total / np.float32(cr * cc)).astype(np.float64)


def hog_normalize_blocks(cells: np.ndarray, cells_per_block: tuple[int, int] = (3, 3),
                         block_norm: str | None = "L2-Hys", eps: float = 1e-5) -> np.ndarray:
    """(n_blocks_row, n_blocks_col, b_row, b_col, orientations) normalised blocks (stride 1 cell).

    L2-Hys: ``v / sqrt(|v|^2 + eps^2)``, clip at 0.2, renormalise. ``block_norm=None`` skips
    normalisation (used by claim C151).
    """
    if block_norm not in _NORMS:
        raise ValueError(f"block_norm must be one of {_NORMS}, got {block_norm!r}")
    br, bc = cells_per_block
    if cells.shape[0] < br or cells.shape[1] < bc:
        raise ValueError(f"need at least {cells_per_block} cells for one block, got {cells.shape[:2]}")
    win = np.lib.stride_tricks.sliding_window_view(cells, (br, bc), axis=(0, 1))
    blocks = np.moveaxis(win, -1, 2)
    blocks = np.moveaxis(blocks, -1, 2)  # (nbr, nbc, br, bc, n_orient)
    axes = (2, 3, 4)
    if block_norm is None:
        return blocks.copy()
    if block_norm in ("L1", "L1-sqrt"):
        out = blocks / (np.abs(blocks).sum(axis=axes, keepdims=True) + eps)
        return np.sqrt(out) if block_norm == "L1-sqrt" else out
    out = blocks / np.sqrt((blocks ** 2).sum(axis=axes, keepdims=True) + eps ** 2)
    if block_norm == "L2-Hys":
        out = np.minimum(out, 0.2)
        out = out / np.sqrt((out ** 2).sum(axis=axes, keepdims=True) + eps ** 2)
    return out


def hog_length(image_shape: tuple[int, int], orientations: int = 9, pixels_per_cell: Any = (8, 8),
               cells_per_block: Any = (3, 3)) -> int:
    """Descriptor length ``blocks_r * blocks_c * b_r * b_c * orientations`` (TOPICS.md §1.22)."""
    cr, cc = pair(pixels_per_cell, "pixels_per_cell")
    br, bc = pair(cells_per_block, "cells_per_block")
    nbr = image_shape[0] // cr - br + 1
    nbc = image_shape[1] // cc - bc + 1
    return max(nbr, 0) * max(nbc, 0) * br * bc * orientations


def hog(image: Any, orientations: int = 9, pixels_per_cell: Any = (8, 8), cells_per_block: Any = (3, 3),
        block_norm: str | None = "L2-Hys", transform_sqrt: bool = False, feature_vector: bool = True,
        signed: bool = False, vote: str = "hard") -> np.ndarray:
    """HOG descriptor with ``skimage.feature.hog``'s signature and numbers (float64 input: 1e-10).

    Args:
        image: (H, W) or (H, W, C). orientations: number of bins. pixels_per_cell: (rows, cols).
        cells_per_block: default (3, 3) like skimage; Dalal-Triggs / the notes use (2, 2).
        block_norm: "L1", "L1-sqrt", "L2", "L2-Hys" or None. transform_sqrt: gamma = 1/2 first.
        feature_vector: ravel the (n_blocks_row, n_blocks_col, b_row, b_col, orientations) array.
        signed: bins over 0-360 degrees instead of 0-180.
        vote: "hard" (skimage) or "bilinear" (split between the two nearest bins, Dalal-Triggs, E50).

    Notes:
        OpenCV's ``HOGDescriptor`` (absent in OpenCV 5.0) adds Gaussian block weighting, trilinear
        voting and column-major block order, so it agrees only statistically (ORACLES.md §4).
    """
    img = as_image(image, ndim=(2, 3)).astype(np.float64)
    if orientations < 1 or int(orientations) != orientations:
        raise ValueError(f"orientations must be a positive int, got {orientations!r}")
    if transform_sqrt:
        if (img < 0).any():
            raise ValueError("transform_sqrt needs a non-negative image")
        img = np.sqrt(img)
    cells = hog_cell_histograms(*hog_gradients(img), int(orientations),
                                pair(pixels_per_cell, "pixels_per_cell"), signed, vote)
    blocks = hog_normalize_blocks(cells, pair(cells_per_block, "cells_per_block"), block_norm)
    return blocks.ravel() if feature_vector else blocks
