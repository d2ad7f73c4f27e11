"""SIFT: orientation assignment, 4x4x8 = 128-d descriptors and ratio-test matching (TOPICS.md §1.22).

:class:`SIFT` follows ``skimage.feature.SIFT``'s interface (``detect_and_extract`` then ``keypoints``,
``sigmas``, ``orientations``, ``descriptors``); :func:`match_descriptors` mirrors skimage's.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image, img_as_float
from ._sift_detect import dog_extrema, gaussian_scale_space

__all__ = ["SIFT", "match_descriptors"]


def _patch_gradients(img: np.ndarray, y: float, x: float, radius: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Offsets (dy, dx) inside the image and the gradient (magnitude, angle) there."""
    yi, xi = round(y), round(x)
    dy, dx = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    r, c = yi + dy, xi + dx
    ok = (r > 0) & (r < img.shape[0] - 1) & (c > 0) & (c < img.shape[1] - 1)
    r, c = r[ok], c[ok]
    gy = img[r + 1, c] - img[r - 1, c]
    gx = img[r, c + 1] - img[r, c - 1]
    return (r - y), (c - x), np.hypot(gx, gy), np.arctan2(gy, gx)


def _orientations(img: np.ndarray, y: float, x: float, sigma: float, n_bins: int = 36,
                  peak_ratio: float = 0.8) -> list[float]:
    """Dominant gradient directions: 36-bin histogram weighted by magnitude and a Gaussian of
    1.5 sigma, smoothed, peaks >= 0.8 max refined by a parabola."""
    ry, rx, mag, ang = _patch_gradients(img, y, x, round(3 * 1.5 * sigma))
    w = np.exp(-(ry ** 2 + rx ** 2) / (2 * (1.5 * sigma) ** 2))
    b = np.floor(n_bins * (ang % (2 * np.pi)) / (2 * np.pi)).astype(int) % n_bins
    hist = np.bincount(b, weights=w * mag, minlength=n_bins)
    for _ in range(2):  # two passes of a circular [1, 1, 1] / 3 smoothing
        hist = (np.roll(hist, 1) + hist + np.roll(hist, -1)) / 3.0
    left, right = np.roll(hist, 1), np.roll(hist, -1)
    peaks = np.flatnonzero((hist > left) & (hist > right) & (hist >= peak_ratio * hist.max()))
    out = []
    for p in peaks:
        denom = left[p] - 2 * hist[p] + right[p]
        shift = 0.5 * (left[p] - right[p]) / denom if denom != 0 else 0.0
        out.append(((p + 0.5 + shift) * 2 * np.pi / n_bins) % (2 * np.pi))
    return out


def _descriptor(img: np.ndarray, y: float, x: float, sigma: float, theta: float, d: int = 4,
                n: int = 8) -> np.ndarray:
    """128-d descriptor: gradients in a rotated 4x4 grid of cells of width 3 sigma, trilinear votes into
    8 orientation bins, Gaussian weight (sigma = d / 2 cells), normalise, clip 0.2, renormalise."""
    width = 3.0 * sigma
    radius = round(width * np.sqrt(2) * (d + 1) * 0.5)
    ry, rx, mag, ang = _patch_gradients(img, y, x, radius)
    cos_t, sin_t = np.cos(theta), np.sin(theta)
    cx = (rx * cos_t + ry * sin_t) / width + d / 2 - 0.5
    cy = (-rx * sin_t + ry * cos_t) / width + d / 2 - 0.5
    co = ((ang - theta) % (2 * np.pi)) * n / (2 * np.pi)
    ok = (cx > -1) & (cx < d) & (cy > -1) & (cy < d)
    cx, cy, co, mag = cx[ok], cy[ok], co[ok], mag[ok]
    ry_rot, rx_rot = cy - (d / 2 - 0.5), cx - (d / 2 - 0.5)
    mag = mag * np.exp(-(rx_rot ** 2 + ry_rot ** 2) / (2 * (d / 2) ** 2))
    hist = np.zeros((d + 2, d + 2, n))
    y0, x0, o0 = np.floor(cy).astype(int), np.floor(cx).astype(int), np.floor(co).astype(int)
    fy, fx, fo = cy - y0, cx - x0, co - o0
    for a in (0, 1):
        wy = fy if a else 1 - fy
        for b in (0, 1):
            wx = fx if b else 1 - fx
            for c in (0, 1):
                wo = fo if c else 1 - fo
                np.add.at(hist, (y0 + a + 1, x0 + b + 1, (o0 + c) % n), mag * wy * wx * wo)
    v = hist[1:-1, 1:-1].ravel()
    v = v / max(np.linalg.norm(v), 1e-12)
    v = np.minimum(v, 0.2)
    return v / max(np.linalg.norm(v), 1e-12)


class SIFT:
    """Scale-invariant feature transform (Lowe 2004), skimage-like interface.

    Args:
        n_octaves: octaves (capped by the image size). n_scales: scales per octave (3).
        sigma: blur of the first scale (1.6). contrast_threshold: 0.04 (divided by n_scales, OpenCV).
        edge_threshold: r = 10. upsample: double the image first (True).
        n_features: keep the strongest-contrast keypoints (0 = all).

    Attributes:
        keypoints_: (N, 2) float (row, col) in input pixels. sigmas_: (N,) scales in input pixels.
        orientations_: (N,) radians, angle of ``atan2(d/drow, d/dcol)``. descriptors_: (N, 128) float32.

    Notes:
        A compact re-implementation: no 0-255 descriptor quantisation, a simpler histogram smoothing
        than OpenCV; compared with OpenCV / skimage statistically (keypoint repeatability, matching).
    """

    def __init__(self, n_octaves: int = 8, n_scales: int = 3, sigma: float = 1.6,
                 contrast_threshold: float = 0.04, edge_threshold: float = 10.0,
                 upsample: bool = True, n_features: int = 0) -> None:
        self.n_octaves = n_octaves
        self.n_scales = n_scales
        self.sigma = sigma
        self.contrast_threshold = contrast_threshold
        self.edge_threshold = edge_threshold
        self.upsample = upsample
        self.n_features = n_features

    def detect_and_extract(self, image: Any) -> SIFT:
        """Run detection, orientation assignment and description; returns self."""
        img = img_as_float(as_image(image)).astype(np.float64)
        if min(img.shape) < 8:
            raise ValueError(f"SIFT needs an image of at least 8x8, got {img.shape}")
        n_oct = max(1, min(self.n_octaves, int(np.log2(min(img.shape))) - 2 + int(self.upsample)))
        octaves = gaussian_scale_space(img, n_oct, self.n_scales, self.sigma, self.upsample)
        first = 0.5 if self.upsample else 1.0
        rows: list[tuple[float, float, float, float, float]] = []
        descs: list[np.ndarray] = []
        for o, octave in enumerate(octaves):
            kps = dog_extrema(octave, self.n_scales, self.contrast_threshold, self.edge_threshold)
            for s, y, x, contrast in kps:
                layer = octave[int(np.clip(round(s), 0, octave.shape[0] - 1))]
                sig = self.sigma * 2.0 ** (s / self.n_scales)
                to_img = first * 2.0 ** o
                for theta in _orientations(layer, y, x, sig):
                    rows.append((y * to_img, x * to_img, sig * to_img, theta, contrast))
                    descs.append(_descriptor(layer, y, x, sig, theta))
        arr = np.array(rows).reshape(-1, 5)
        desc = np.array(descs, dtype=np.float32).reshape(-1, 128)
        order = np.argsort(-arr[:, 4], kind="stable")
        if self.n_features:
            order = order[:self.n_features]
        self.keypoints_ = arr[order, :2]
        self.sigmas_ = arr[order, 2]
        self.orientations_ = arr[order, 3]
        self.descriptors_ = desc[order]
        return self


def match_descriptors(d1: Any, d2: Any, max_ratio: float = 1.0, cross_check: bool = True) -> np.ndarray:
    """Nearest-neighbour matches ``(K, 2)`` of index pairs by Euclidean distance.

    ``max_ratio < 1`` applies Lowe's ratio test (best / second-best distance); ``cross_check`` keeps
    mutual nearest neighbours only. Same rules as ``skimage.feature.match_descriptors``.
    """
    a, b = np.asarray(d1, dtype=np.float64), np.asarray(d2, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"descriptors must be (N, D) and (M, D), got {a.shape} and {b.shape}")
    if len(a) == 0 or len(b) == 0:
        return np.zeros((0, 2), dtype=int)
    dist = np.sqrt(np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None] - 2 * a @ b.T, 0))
    i1 = np.arange(len(a))
    i2 = dist.argmin(1)
    keep = np.ones(len(a), dtype=bool)
    if cross_check:
        keep &= dist.argmin(0)[i2] == i1
    if max_ratio < 1.0 and dist.shape[1] > 1:
        best = dist[i1, i2]
        d2nd = dist.copy()
        d2nd[i1, i2] = np.inf
        second = d2nd.min(1)
        keep &= best < max_ratio * second
    return np.stack([i1[keep], i2[keep]], 1)
