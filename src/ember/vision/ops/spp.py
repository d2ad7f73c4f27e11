"""Spatial pyramid pooling (SPP-Net, He et al. 2014): a fixed-length vector from any H x W."""
from __future__ import annotations

from typing import Sequence

import numpy as np

import ember
from ember import Tensor

__all__ = ["spatial_pyramid_pool", "SpatialPyramidPooling"]


def _bins(n: int, k: int) -> list[tuple[int, int]]:
    """Adaptive-pooling bin edges: [floor(i n / k), ceil((i + 1) n / k)) (torch's rule)."""
    return [(i * n // k, -(-(i + 1) * n // k)) for i in range(k)]


def spatial_pyramid_pool(input: Tensor, levels: Sequence[int] = (1, 2, 4),
                         mode: str = "max") -> Tensor:
    """Pool (N, C, H, W) into k x k bins for every k in ``levels`` and concatenate.

    Output: (N, C * sum(k * k)). Bins follow adaptive pooling, so any H, W >= max(levels) works.
    """
    if mode not in ("max", "avg"):
        raise ValueError(f"spatial_pyramid_pool: mode must be 'max' or 'avg', got {mode!r}")
    if input.ndim != 4:
        raise ValueError(f"spatial_pyramid_pool: input must be (N, C, H, W), got {tuple(input.shape)}")
    N, C, H, W = input.shape
    if H < max(levels) or W < max(levels):
        raise ValueError(f"spatial_pyramid_pool: input {H}x{W} is smaller than the finest level "
                         f"{max(levels)}")
    feats = []
    for k in levels:
        cells = []
        for h0, h1 in _bins(H, k):
            for w0, w1 in _bins(W, k):
                win = input[:, :, h0:h1, w0:w1]
                cells.append(win.amax((2, 3)) if mode == "max" else win.mean((2, 3)))
        feats.append(ember.stack(cells, -1).reshape(N, C * k * k))  # (N, C*k*k)
    return ember.cat(feats, 1)


class SpatialPyramidPooling(ember.nn.Module):
    """Module form of :func:`spatial_pyramid_pool`; ``output_features(C)`` gives its width."""

    def __init__(self, levels: Sequence[int] = (1, 2, 4), mode: str = "max") -> None:
        super().__init__()
        self.levels, self.mode = tuple(levels), mode

    def output_features(self, channels: int) -> int:
        return channels * int(np.sum([k * k for k in self.levels]))

    def forward(self, input: Tensor) -> Tensor:
        return spatial_pyramid_pool(input, self.levels, self.mode)

    def extra_repr(self) -> str:
        return f"levels={self.levels}, mode={self.mode!r}"
