"""Anchor generation: sizes x aspect ratios per feature-map level, tiled over the stride grid.

torchvision's ``AnchorGenerator`` on NumPy: for scale s and aspect ratio a (= h / w), the cell
anchor is (-w/2, -h/2, w/2, h/2) with h = s * sqrt(a), w = s / sqrt(a), rounded (half to even,
like torch.round); anchors at grid cell (i, j) are shifted by (j * stride_w, i * stride_h).
Faster R-CNN's RPN uses 3 sizes x 3 ratios = 9 anchors per position (TOPICS.md 1.16).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["AnchorGenerator"]


class AnchorGenerator:
    """Anchors for one or more feature maps.

    Args:
        sizes: per level, a tuple of anchor sizes (sqrt of area); a flat tuple means one size per
            level. Default: ((128, 256, 512),).
        aspect_ratios: per level, a tuple of h/w ratios (one tuple is repeated for every level).
            Default: ((0.5, 1.0, 2.0),).

    Attributes:
        cell_anchors: list of (A_l, 4) float32 arrays, A_l = len(sizes[l]) * len(aspect_ratios[l]),
            ordered ratio-major (all sizes of the first ratio first).

    Notes:
        torchvision's ``forward(image_list, feature_maps)`` takes tensors; here ``__call__`` takes
        the image size and the feature-map sizes and returns the anchors of one image.
    """

    def __init__(self, sizes: Sequence = ((128, 256, 512),),
                 aspect_ratios: Sequence = ((0.5, 1.0, 2.0),)) -> None:
        if not isinstance(sizes[0], (list, tuple)):
            sizes = tuple((s,) for s in sizes)
        if not isinstance(aspect_ratios[0], (list, tuple)):
            aspect_ratios = (aspect_ratios,) * len(sizes)
        if len(sizes) != len(aspect_ratios):
            raise ValueError(f"sizes and aspect_ratios: expected one entry per feature map, got "
                             f"{len(sizes)} and {len(aspect_ratios)}")
        self.sizes, self.aspect_ratios = tuple(sizes), tuple(aspect_ratios)
        self.cell_anchors = [self.generate_anchors(s, a) for s, a in zip(sizes, aspect_ratios)]

    @staticmethod
    def generate_anchors(scales: Sequence[float], aspect_ratios: Sequence[float],
                         dtype=np.float32) -> np.ndarray:
        """Zero-centred anchors (A, 4), A = len(aspect_ratios) * len(scales), rounded."""
        scales = np.asarray(scales, dtype=dtype)
        ratios = np.asarray(aspect_ratios, dtype=dtype)
        if np.any(scales <= 0) or np.any(ratios <= 0):
            raise ValueError(f"scales and aspect_ratios: expected positive values, got "
                             f"{scales.tolist()} and {ratios.tolist()}")
        h_ratios = np.sqrt(ratios)
        w_ratios = 1 / h_ratios
        ws = (w_ratios[:, None] * scales[None, :]).reshape(-1)  # (A,) ratio-major
        hs = (h_ratios[:, None] * scales[None, :]).reshape(-1)
        return np.round(np.stack([-ws, -hs, ws, hs], axis=1) / 2)

    def num_anchors_per_location(self) -> list[int]:
        """A_l for every level."""
        return [len(s) * len(a) for s, a in zip(self.sizes, self.aspect_ratios)]

    def grid_anchors(self, grid_sizes: Sequence[Sequence[int]],
                     strides: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Per level, anchors (H_l * W_l * A_l, 4): position-major, then the A_l cell anchors."""
        if len(grid_sizes) != len(self.cell_anchors) or len(strides) != len(self.cell_anchors):
            raise ValueError(f"grid_sizes/strides: expected {len(self.cell_anchors)} levels (one per "
                             f"sizes entry), got {len(grid_sizes)} and {len(strides)}")
        out = []
        for (gh, gw), (sh, sw), base in zip(grid_sizes, strides, self.cell_anchors):
            shift_y, shift_x = np.meshgrid(np.arange(gh) * sh, np.arange(gw) * sw, indexing="ij")
            shifts = np.stack([shift_x.ravel(), shift_y.ravel()] * 2, axis=1)  # (H*W, 4)
            out.append((shifts[:, None, :] + base[None, :, :]).reshape(-1, 4).astype(base.dtype))
        return out

    def __call__(self, image_size: Sequence[int],
                 feature_map_sizes: Sequence[Sequence[int]]) -> np.ndarray:
        """All anchors of one image (sum_l H_l W_l A_l, 4); stride = image_size // feature size."""
        strides = [(image_size[0] // g[0], image_size[1] // g[1]) for g in feature_map_sizes]
        return np.concatenate(self.grid_anchors(feature_map_sizes, strides))
