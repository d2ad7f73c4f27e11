"""Box utilities with torchvision.ops semantics, on NumPy arrays (TOPICS.md 1.16, 1.20; E01).

Boxes are (x1, y1, x2, y2) with x1 <= x2, y1 <= y2 in continuous coordinates unless stated.

* IoU = |A n B| / |A u B|, with iw = max(0, min(x2a, x2b) - max(x1a, x1b)), same for ih.
* GIoU = IoU - (|C| - |A u B|) / |C|, C the smallest enclosing box (Rezatofighi et al. 2019).
* DIoU = IoU - rho^2 / c^2, rho = distance of the centres, c = diagonal of C (Zheng et al. 2020).
* CIoU = DIoU - alpha * v, v = 4/pi^2 (atan(w_g/h_g) - atan(w/h))^2, alpha = v / (1 - IoU + v).

Notes:
    Where torchvision returns nan for 0/0 (two zero-area boxes), ember returns IoU 0 (as
    pycocotools does). ``box_iou_inclusive`` is the legacy VOC devkit rule (w = x2 - x1 + 1) for
    integer pixel boxes; it is not scale invariant (claim C120).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ...metrics._validation import check_boxes, check_finite, to_numpy

__all__ = ["box_convert", "box_area", "box_iou", "generalized_box_iou", "distance_box_iou",
           "complete_box_iou", "box_area_inclusive", "box_iou_inclusive", "clip_boxes_to_image",
           "remove_small_boxes", "pairwise_inter_union"]

_FORMATS = ("xyxy", "xywh", "cxcywh")


def _to_xyxy(b: np.ndarray, fmt: str) -> np.ndarray:
    if fmt == "xywh":
        return np.stack([b[..., 0], b[..., 1], b[..., 0] + b[..., 2], b[..., 1] + b[..., 3]], -1)
    cx, cy, w, h = np.moveaxis(b, -1, 0)
    return np.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], -1)


def _from_xyxy(b: np.ndarray, fmt: str) -> np.ndarray:
    x1, y1, x2, y2 = np.moveaxis(b, -1, 0)
    if fmt == "xywh":
        return np.stack([x1, y1, x2 - x1, y2 - y1], -1)
    return np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], -1)


def box_convert(boxes: Any, in_fmt: str, out_fmt: str) -> np.ndarray:
    """Convert boxes between 'xyxy' (corners), 'xywh' (corner + size), 'cxcywh' (centre + size).

    Shape: boxes (..., 4) -> (..., 4); integer input is returned as float64.
    """
    for name, fmt in (("in_fmt", in_fmt), ("out_fmt", out_fmt)):
        if fmt not in _FORMATS:
            raise ValueError(f"{name}: expected one of {_FORMATS}, got {fmt!r}")
    b = to_numpy(boxes, "boxes")
    if b.ndim < 1 or b.shape[-1] != 4:
        raise ValueError(f"boxes: expected shape (..., 4), got {b.shape}")
    b = b if b.dtype.kind == "f" else b.astype(np.float64)
    check_finite(b, "boxes")
    if in_fmt == out_fmt:
        return b.copy()
    xyxy = b if in_fmt == "xyxy" else _to_xyxy(b, in_fmt)
    return xyxy if out_fmt == "xyxy" else _from_xyxy(xyxy, out_fmt)


def box_area(boxes: Any) -> np.ndarray:
    """Area (x2 - x1) * (y2 - y1) of each box. Shape: (N, 4) -> (N,)."""
    b = check_boxes(boxes)
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def box_area_inclusive(boxes: Any) -> np.ndarray:
    """Legacy inclusive-pixel area (x2 - x1 + 1) * (y2 - y1 + 1) (VOC devkit). (N, 4) -> (N,)."""
    b = check_boxes(boxes)
    return (b[:, 2] - b[:, 0] + 1) * (b[:, 3] - b[:, 1] + 1)


def pairwise_inter_union(b1: np.ndarray, b2: np.ndarray, offset: float = 0.0):
    """Intersection and union areas of validated boxes, each (N, M); ``offset`` = 1 for +1 pixels."""
    area1 = (b1[:, 2] - b1[:, 0] + offset) * (b1[:, 3] - b1[:, 1] + offset)
    area2 = (b2[:, 2] - b2[:, 0] + offset) * (b2[:, 3] - b2[:, 1] + offset)
    # in-place ops on (N, M) buffers: no (N, M, 2) temporaries (5k x 5k in about a second)
    inter = np.minimum(b1[:, None, 2], b2[None, :, 2])
    inter -= np.maximum(b1[:, None, 0], b2[None, :, 0])
    ih = np.minimum(b1[:, None, 3], b2[None, :, 3])
    ih -= np.maximum(b1[:, None, 1], b2[None, :, 1])
    if offset:
        inter += offset
        ih += offset
    np.clip(inter, 0, None, out=inter)
    np.clip(ih, 0, None, out=ih)
    inter *= ih
    union = np.add(area1[:, None], area2[None, :], out=ih)
    union -= inter
    return inter, union


def _safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape, dtype=np.result_type(
        num, den, np.float32)), where=den > 0)


def box_iou(boxes1: Any, boxes2: Any) -> np.ndarray:
    """Pairwise IoU. Shape: boxes1 (N, 4), boxes2 (M, 4) -> (N, M), values in [0, 1]."""
    b1, b2 = check_boxes(boxes1, "boxes1"), check_boxes(boxes2, "boxes2")
    inter, union = pairwise_inter_union(b1, b2)
    return _safe_div(inter, union)


def box_iou_inclusive(boxes1: Any, boxes2: Any) -> np.ndarray:
    """Pairwise IoU with the VOC devkit's +1 pixel widths and heights. (N, 4), (M, 4) -> (N, M)."""
    b1, b2 = check_boxes(boxes1, "boxes1"), check_boxes(boxes2, "boxes2")
    inter, union = pairwise_inter_union(b1, b2, offset=1.0)
    return _safe_div(inter, union)


def _enclosing(b1: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """Width and height of the smallest box enclosing each pair, (N, M, 2)."""
    lt = np.minimum(b1[:, None, :2], b2[None, :, :2])
    rb = np.maximum(b1[:, None, 2:], b2[None, :, 2:])
    return np.clip(rb - lt, 0, None)


def generalized_box_iou(boxes1: Any, boxes2: Any) -> np.ndarray:
    """Pairwise GIoU = IoU - (|C| - |A u B|) / |C|, in [-1, 1]. (N, 4), (M, 4) -> (N, M)."""
    b1, b2 = check_boxes(boxes1, "boxes1"), check_boxes(boxes2, "boxes2")
    inter, union = pairwise_inter_union(b1, b2)
    wh = _enclosing(b1, b2)
    area_c = wh[..., 0] * wh[..., 1]
    return _safe_div(inter, union) - _safe_div(area_c - union, area_c)


def _diou_iou(b1: np.ndarray, b2: np.ndarray, eps: float):
    inter, union = pairwise_inter_union(b1, b2)
    iou = _safe_div(inter, union)
    wh = _enclosing(b1, b2)
    diag2 = wh[..., 0] ** 2 + wh[..., 1] ** 2 + eps
    c1 = (b1[:, :2] + b1[:, 2:]) / 2  # (N, 2) centres
    c2 = (b2[:, :2] + b2[:, 2:]) / 2
    rho2 = ((c1[:, None, :] - c2[None, :, :]) ** 2).sum(-1)
    return iou - rho2 / diag2, iou


def distance_box_iou(boxes1: Any, boxes2: Any, eps: float = 1e-7) -> np.ndarray:
    """Pairwise DIoU = IoU - (centre distance)^2 / (enclosing diagonal^2 + eps). -> (N, M)."""
    b1, b2 = check_boxes(boxes1, "boxes1"), check_boxes(boxes2, "boxes2")
    return _diou_iou(b1, b2, eps)[0]


def complete_box_iou(boxes1: Any, boxes2: Any, eps: float = 1e-7) -> np.ndarray:
    """Pairwise CIoU = DIoU - alpha * v (aspect-ratio consistency term). -> (N, M).

    v = 4/pi^2 * (atan(w1/h1) - atan(w2/h2))^2, alpha = v / (1 - IoU + v + eps).
    """
    b1, b2 = check_boxes(boxes1, "boxes1"), check_boxes(boxes2, "boxes2")
    diou, iou = _diou_iou(b1, b2, eps)
    w1, h1 = b1[:, 2] - b1[:, 0], b1[:, 3] - b1[:, 1]
    w2, h2 = b2[:, 2] - b2[:, 0], b2[:, 3] - b2[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        v = (4 / np.pi ** 2) * (np.arctan(w1 / h1)[:, None] - np.arctan(w2 / h2)[None, :]) ** 2
    alpha = v / (1 - iou + v + eps)
    return diou - alpha * v


def clip_boxes_to_image(boxes: Any, size: tuple[int, int]) -> np.ndarray:
    """Clip x to [0, width] and y to [0, height]; ``size`` is (height, width) as in torchvision."""
    b = check_boxes(boxes, validate_order=False).copy()
    height, width = size
    b[:, 0::2] = np.clip(b[:, 0::2], 0, width)
    b[:, 1::2] = np.clip(b[:, 1::2], 0, height)
    return b


def remove_small_boxes(boxes: Any, min_size: float) -> np.ndarray:
    """Indices of boxes whose width and height are both >= min_size. (N, 4) -> (K,) int64."""
    b = check_boxes(boxes, validate_order=False)
    ws, hs = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    return np.nonzero((ws >= min_size) & (hs >= min_size))[0].astype(np.int64)
