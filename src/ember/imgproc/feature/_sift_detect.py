"""SIFT detection: Gaussian scale space, difference of Gaussians, 3-D extrema, sub-pixel refinement,
contrast and edge rejection (Lowe 2004; TOPICS.md §1.22; the notes give only a link, E77).

Conventions: images scaled to [0, 1]; positions are (row, col) of the input image; scale space starts
from the image upsampled x2 (assumed blur 0.5 -> 1.0) blurred to ``sigma_min`` (1.6).
"""
from __future__ import annotations

import numpy as np

from ..filters import gaussian
from ..transform import resize

__all__ = ["dog_extrema", "gaussian_scale_space"]


def gaussian_scale_space(image: np.ndarray, n_octaves: int, n_scales: int = 3, sigma: float = 1.6,
                         upsample: bool = True, sigma_in: float = 0.5) -> list[np.ndarray]:
    """Per octave an array (n_scales + 3, H_o, W_o) of Gaussian images with blur
    ``sigma * 2^(s / n_scales)`` in octave pixels; the next octave starts from scale n_scales halved."""
    base = resize(image, (image.shape[0] * 2, image.shape[1] * 2), "bilinear") if upsample else image
    have = sigma_in * (2 if upsample else 1)
    base = gaussian(base, np.sqrt(max(sigma ** 2 - have ** 2, 0.01)), mode="mirror")
    k = 2.0 ** (1.0 / n_scales)
    sig = [sigma * k ** s for s in range(n_scales + 3)]
    octaves = []
    for o in range(n_octaves):
        layers = [base]
        for s in range(1, n_scales + 3):
            inc = np.sqrt(sig[s] ** 2 - sig[s - 1] ** 2)
            layers.append(gaussian(layers[-1], inc, mode="mirror"))
        octaves.append(np.stack(layers))
        base = layers[n_scales][::2, ::2]
        if min(base.shape) < 8:
            break
    return octaves


def _is_extremum(dog: np.ndarray, thr: float) -> np.ndarray:
    """(S-2, H-2, W-2) mask of strict maxima / minima over the 26 neighbours with |D| > thr."""
    c = dog[1:-1, 1:-1, 1:-1]
    mx = np.full(c.shape, -np.inf)
    mn = np.full(c.shape, np.inf)
    S, H, W = dog.shape
    for ds in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                if ds == dy == dx == 0:
                    continue
                nb = dog[1 + ds:S - 1 + ds, 1 + dy:H - 1 + dy, 1 + dx:W - 1 + dx]
                mx = np.maximum(mx, nb)
                mn = np.minimum(mn, nb)
    return (np.abs(c) > thr) & ((c > mx) | (c < mn))


def _derivatives(dog: np.ndarray, s: np.ndarray, y: np.ndarray, x: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Central-difference gradient (n, 3) and Hessian (n, 3, 3) in (s, y, x) order."""
    v = lambda a, b, c: dog[s + a, y + b, x + c]
    g = 0.5 * np.stack([v(1, 0, 0) - v(-1, 0, 0), v(0, 1, 0) - v(0, -1, 0), v(0, 0, 1) - v(0, 0, -1)], 1)
    c2 = 2 * v(0, 0, 0)
    dss, dyy, dxx = v(1, 0, 0) + v(-1, 0, 0) - c2, v(0, 1, 0) + v(0, -1, 0) - c2, v(0, 0, 1) + v(0, 0, -1) - c2
    dsy = 0.25 * (v(1, 1, 0) - v(1, -1, 0) - v(-1, 1, 0) + v(-1, -1, 0))
    dsx = 0.25 * (v(1, 0, 1) - v(1, 0, -1) - v(-1, 0, 1) + v(-1, 0, -1))
    dyx = 0.25 * (v(0, 1, 1) - v(0, 1, -1) - v(0, -1, 1) + v(0, -1, -1))
    hess = np.stack([np.stack([dss, dsy, dsx], 1), np.stack([dsy, dyy, dyx], 1),
                     np.stack([dsx, dyx, dxx], 1)], 1)
    return g, hess


def dog_extrema(octave: np.ndarray, n_scales: int, contrast_threshold: float = 0.04,
                edge_threshold: float = 10.0, n_iter: int = 5) -> np.ndarray:
    """Refined DoG keypoints of one octave: (n, 4) rows (s_int + ds, y, x, |D|) in octave coordinates.

    Candidates: |D| > 0.5 * contrast_threshold / n_scales and a 3-D extremum; refinement: up to
    ``n_iter`` Newton steps ``offset = -H^-1 g`` moving to the neighbour pixel while |offset| > 0.5;
    rejected when ``|D + g.offset / 2| < contrast_threshold / n_scales`` (OpenCV's scaling) or when
    ``tr(H_xy)^2 / det(H_xy) >= (r + 1)^2 / r`` with r = ``edge_threshold`` (edge response).
    """
    dog = octave[1:] - octave[:-1]
    S, H, W = dog.shape
    s, y, x = np.nonzero(_is_extremum(dog, 0.5 * contrast_threshold / n_scales))
    s, y, x = s + 1, y + 1, x + 1
    done = np.zeros(s.size, dtype=bool)
    offset = np.zeros((s.size, 3))
    alive = np.ones(s.size, dtype=bool)
    for _ in range(n_iter):
        idx = np.flatnonzero(alive & ~done)
        if idx.size == 0:
            break
        g, h = _derivatives(dog, s[idx], y[idx], x[idx])
        det_ok = np.abs(np.linalg.det(h)) > 1e-12
        off = np.zeros((idx.size, 3))
        off[det_ok] = -np.linalg.solve(h[det_ok], g[det_ok][..., None])[..., 0]
        offset[idx] = off
        small = (np.abs(off) <= 0.5).all(1)
        done[idx[small]] = True
        move = idx[~small]
        step = np.round(offset[move]).astype(int)
        s[move], y[move], x[move] = s[move] + step[:, 0], y[move] + step[:, 1], x[move] + step[:, 2]
        inside = (s[move] >= 1) & (s[move] <= S - 2) & (y[move] >= 1) & (y[move] < H - 1) & \
                 (x[move] >= 1) & (x[move] < W - 1)
        alive[move[~inside]] = False
    keep = np.flatnonzero(alive & done)
    s, y, x, off = s[keep], y[keep], x[keep], offset[keep]
    g, h = _derivatives(dog, s, y, x)
    contrast = dog[s, y, x] + 0.5 * (g * off).sum(1)
    tr = h[:, 1, 1] + h[:, 2, 2]
    det = h[:, 1, 1] * h[:, 2, 2] - h[:, 1, 2] ** 2
    r = edge_threshold
    good = (np.abs(contrast) * n_scales >= contrast_threshold) & (det > 0) & \
           (tr * tr * r < (r + 1) ** 2 * det)
    return np.stack([s + off[:, 0], y + off[:, 1], x + off[:, 2], np.abs(contrast)], 1)[good]
