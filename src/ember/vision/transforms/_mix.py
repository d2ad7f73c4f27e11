"""MixUp (Zhang et al. 2018) and CutMix (Yun et al. 2019) on batches, torchvision v2's definitions.

With the batch rolled by one (partner of sample i is sample i-1) and one-hot labels y:
* MixUp:  x = lam * x + (1 - lam) * roll(x),  y = lam * y + (1 - lam) * roll(y),  lam ~ Beta(a, a).
* CutMix: a box centred at a uniform pixel, half-sides int(0.5 * sqrt(1 - lam) * (W, H)) clipped to
  the image, is pasted from roll(x); the label weight is the kept area 1 - box_area / (H * W).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._container import Transform, _randint, _rng

__all__ = ["MixUp", "CutMix", "mixup", "cutmix", "one_hot"]


def one_hot(labels: Any, num_classes: int) -> np.ndarray:
    y = np.asarray(labels, dtype=np.int64)
    if y.ndim != 1 or (y.size and (y.min() < 0 or y.max() >= num_classes)):
        raise ValueError(f"labels must be a 1-D integer array in [0, {num_classes}), got shape "
                         f"{y.shape}")
    return np.eye(num_classes, dtype=np.float32)[y]


def _arrays(images: Any, labels: Any, num_classes: int) -> tuple:
    x = np.asarray(images.detach().cpu().numpy() if hasattr(images, "detach") else images)
    if x.ndim != 4:
        raise ValueError(f"images must be a batch (B, C, H, W), got shape {x.shape}")
    lab = np.asarray(labels.detach().cpu().numpy() if hasattr(labels, "detach") else labels)
    y = lab.astype(np.float32) if lab.ndim == 2 else one_hot(lab, num_classes)
    if len(y) != len(x):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    return x, y


def _wrap(like: Any, arr: np.ndarray) -> Any:
    from ember import Tensor

    return Tensor._make(np.ascontiguousarray(arr)) if isinstance(like, Tensor) else arr


def mixup(images: Any, labels: Any, lam: float, num_classes: int) -> tuple:
    """MixUp with a given ``lam``; returns (mixed images, soft labels (B, num_classes))."""
    x, y = _arrays(images, labels, num_classes)
    xm = (np.roll(x, 1, axis=0) * (1.0 - lam) + x * lam).astype(x.dtype)
    ym = np.roll(y, 1, axis=0) * (1.0 - lam) + y * lam
    return _wrap(images, xm), _wrap(images, ym.astype(np.float32))


def cutmix_box(lam: float, h: int, w: int, center: tuple[int, int]) -> tuple[int, int, int, int]:
    """(x1, y1, x2, y2) of the pasted box for centre (r_x, r_y)."""
    r_x, r_y = center
    r = 0.5 * math.sqrt(1.0 - lam)
    rw, rh = int(r * w), int(r * h)
    return max(r_x - rw, 0), max(r_y - rh, 0), min(r_x + rw, w), min(r_y + rh, h)


def cutmix(images: Any, labels: Any, box: tuple[int, int, int, int], num_classes: int) -> tuple:
    """CutMix with a given box; the label weight is the fraction of each image kept."""
    x, y = _arrays(images, labels, num_classes)
    h, w = x.shape[-2:]
    x1, y1, x2, y2 = box
    out = x.copy()
    out[..., y1:y2, x1:x2] = np.roll(x, 1, axis=0)[..., y1:y2, x1:x2]
    lam = 1.0 - (x2 - x1) * (y2 - y1) / (w * h)
    ym = np.roll(y, 1, axis=0) * (1.0 - lam) + y * lam
    return _wrap(images, out), _wrap(images, ym.astype(np.float32))


class MixUp(Transform):
    """``MixUp(alpha=1.0, num_classes=...)(images, labels)`` with lam ~ Beta(alpha, alpha)."""

    _repr_attrs = ("alpha", "num_classes")

    def __init__(self, *, alpha: float = 1.0, num_classes: int) -> None:
        if alpha <= 0:
            raise ValueError(f"alpha should be positive, got {alpha}")
        self.alpha, self.num_classes = float(alpha), int(num_classes)

    def forward(self, images: Any, labels: Any) -> tuple:
        lam = float(_rng().beta(self.alpha, self.alpha))
        return mixup(images, labels, lam, self.num_classes)


class CutMix(MixUp):
    """``CutMix(alpha=1.0, num_classes=...)(images, labels)``."""

    def forward(self, images: Any, labels: Any) -> tuple:
        lam = float(_rng().beta(self.alpha, self.alpha))
        h, w = images.shape[-2:]
        box = cutmix_box(lam, h, w, (_randint(0, w), _randint(0, h)))
        return cutmix(images, labels, box, self.num_classes)
