"""Validation of detection predictions / ground truths (torchmetrics' list-of-dicts layout).

preds: one dict per image with "boxes" (N, 4), "scores" (N,), "labels" (N,).
target: one dict per image with "boxes" (M, 4), "labels" (M,) and optionally "difficult" (M,)
(VOC: neither TP nor FP), "iscrowd" (M,) (COCO ignore regions) and "area" (M,) (COCO area used
for the small/medium/large split; default: box area).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ...metrics._validation import check_boxes, check_finite, to_numpy
from ..ops.boxes import box_convert

__all__ = ["ImageDetections", "parse_inputs"]


@dataclass
class ImageDetections:
    """One image: predictions and ground truths as NumPy arrays, boxes in xyxy."""

    dt_boxes: np.ndarray
    dt_scores: np.ndarray
    dt_labels: np.ndarray
    gt_boxes: np.ndarray
    gt_labels: np.ndarray
    gt_difficult: np.ndarray
    gt_iscrowd: np.ndarray
    gt_area: np.ndarray


def _field(d: dict, key: str, n: int, where: str, default: Any = None) -> np.ndarray:
    if key not in d:
        if default is None:
            raise ValueError(f"{where}: missing key {key!r}")
        return np.full(n, default)
    arr = to_numpy(d[key], f"{where}[{key!r}]")
    if arr.shape != (n,):
        raise ValueError(f"{where}[{key!r}]: expected shape ({n},), got {arr.shape}")
    return arr


def _boxes(d: dict, where: str, box_format: str) -> np.ndarray:
    if "boxes" not in d:
        raise ValueError(f"{where}: missing key 'boxes'")
    raw = to_numpy(d["boxes"], f"{where}['boxes']")
    if raw.size == 0:  # an image without boxes may come as [] or shape (0,)
        raw = raw.reshape(0, 4).astype(np.float64)
    if raw.ndim != 2 or raw.shape[1] != 4:
        raise ValueError(f"{where}['boxes']: expected shape (N, 4), got {raw.shape}")
    return check_boxes(box_convert(raw, box_format, "xyxy"), f"{where}['boxes']")


def parse_inputs(preds: Sequence[dict], target: Sequence[dict],
                 box_format: str = "xyxy") -> list[ImageDetections]:
    """Check and convert ``preds``/``target`` (same length, one entry per image)."""
    if not isinstance(preds, (list, tuple)) or not isinstance(target, (list, tuple)):
        raise TypeError(f"preds and target: expected lists of dicts, got {type(preds).__name__} "
                        f"and {type(target).__name__}")
    if len(preds) != len(target):
        raise ValueError(f"preds and target: expected one entry per image each, got {len(preds)} "
                         f"and {len(target)}")
    out = []
    for i, (p, t) in enumerate(zip(preds, target)):
        db, gb = _boxes(p, f"preds[{i}]", box_format), _boxes(t, f"target[{i}]", box_format)
        scores = _field(p, "scores", len(db), f"preds[{i}]").astype(np.float64)
        check_finite(scores, f"preds[{i}]['scores']")
        gt_area = (gb[:, 2] - gb[:, 0]) * (gb[:, 3] - gb[:, 1])
        out.append(ImageDetections(
            db, scores, _field(p, "labels", len(db), f"preds[{i}]"), gb,
            _field(t, "labels", len(gb), f"target[{i}]"),
            _field(t, "difficult", len(gb), f"target[{i}]", False).astype(bool),
            _field(t, "iscrowd", len(gb), f"target[{i}]", False).astype(bool),
            _field(t, "area", len(gb), f"target[{i}]", 0.0).astype(np.float64)
            if "area" in t else gt_area))
    return out
