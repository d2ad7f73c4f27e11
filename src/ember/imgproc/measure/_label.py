"""Connected-component labelling by vectorised union-find (hooking + pointer jumping).

Each round hooks the larger root of every foreground edge onto the smaller one
(``np.minimum.at``), then compresses paths by pointer jumping; it stops when every edge joins
equal roots. Roots are minimum flat indices, so sorting them gives raster order of each
component's first pixel - the numbering of ``scipy.ndimage.label`` / ``skimage.measure.label``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image

__all__ = ["component_stats", "label"]


def _edges(fg: np.ndarray, connectivity: int) -> tuple[np.ndarray, np.ndarray]:
    idx = np.arange(fg.size).reshape(fg.shape)
    shifts = [(0, 1), (1, 0)] + ([(1, 1), (1, -1)] if connectivity == 2 else [])
    us, vs = [], []
    h, w = fg.shape
    for dy, dx in shifts:
        a = (slice(0, h - dy), slice(max(0, -dx), w - max(0, dx)))
        b = (slice(dy, h), slice(max(0, -dx) + dx, w - max(0, dx) + dx))
        both = fg[a] & fg[b]
        us.append(idx[a][both])
        vs.append(idx[b][both])
    return np.concatenate(us), np.concatenate(vs)


def label(image: Any, connectivity: int = 2, return_num: bool = False) -> Any:
    """Label the connected foreground (nonzero) regions of a 2-D image.

    Args:
        image: (H, W) array; nonzero pixels are foreground.
        connectivity: 1 (4-neighbours) or 2 (8-neighbours, default as skimage).
        return_num: also return the number of components.

    Returns:
        int32 (H, W) labels, 0 = background, 1..n in raster order of first pixels
        (= ``skimage.measure.label(x, connectivity=...)`` and ``scipy.ndimage.label``).
    """
    img = as_image(image)
    if connectivity not in (1, 2):
        raise ValueError(f"connectivity must be 1 or 2, got {connectivity!r}")
    fg = img != 0
    parent = np.arange(fg.size)
    u, v = _edges(fg, connectivity)
    while u.size:
        pu, pv = parent[u], parent[v]
        diff = pu != pv
        if not diff.any():
            break
        lo, hi = np.minimum(pu[diff], pv[diff]), np.maximum(pu[diff], pv[diff])
        np.minimum.at(parent, hi, lo)
        while True:  # pointer jumping until every node points at a root
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt
    flat_fg = fg.ravel()
    roots = parent[flat_fg]
    uniq, inv = np.unique(roots, return_inverse=True)
    out = np.zeros(fg.size, dtype=np.int32)
    out[flat_fg] = inv + 1
    out = out.reshape(fg.shape)
    return (out, int(uniq.size)) if return_num else out


def component_stats(labels: np.ndarray) -> dict[str, np.ndarray]:
    """Per-label area, bounding box (top, left, height, width) and centroid (row, col), labels 1..n.

    Mirrors ``cv2.connectedComponentsWithStats`` (row-major, background excluded).
    """
    lab = np.asarray(labels)
    n = int(lab.max())
    rr, cc = np.nonzero(lab)
    ll = lab[rr, cc] - 1
    area = np.bincount(ll, minlength=n)
    top = np.full(n, lab.shape[0])
    left = np.full(n, lab.shape[1])
    bottom = np.full(n, -1)
    right = np.full(n, -1)
    np.minimum.at(top, ll, rr)
    np.minimum.at(left, ll, cc)
    np.maximum.at(bottom, ll, rr)
    np.maximum.at(right, ll, cc)
    cy = np.bincount(ll, rr, minlength=n) / np.maximum(area, 1)
    cx = np.bincount(ll, cc, minlength=n) / np.maximum(area, 1)
    return {"area": area, "bbox": np.stack([top, left, bottom - top + 1, right - left + 1], 1),
            "centroid": np.stack([cy, cx], 1)}
