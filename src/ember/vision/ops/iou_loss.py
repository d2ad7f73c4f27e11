"""Box-regression losses 1 - GIoU / DIoU / CIoU (torchvision.ops names), differentiable.

Boxes are (N, 4) xyxy, matched pairwise (row i of boxes1 with row i of boxes2).
GIoU = IoU - |C \\ (A u B)| / |C| (C = smallest enclosing box);
DIoU = IoU - rho^2 / c^2 (centre distance over enclosing diagonal);
CIoU = DIoU - alpha v, v = 4/pi^2 (atan(w2/h2) - atan(w1/h1))^2, alpha = v / (1 - IoU + v).
"""
from __future__ import annotations

import math

import ember
from ember import Tensor

__all__ = ["generalized_box_iou_loss", "distance_box_iou_loss", "complete_box_iou_loss"]


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean() if loss.numel() > 0 else loss.sum() * 0.0
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"Invalid Value for arg 'reduction': '{reduction} \n Supported reduction "
                     "modes: 'none', 'mean', 'sum'")


def _parts(b1: Tensor, b2: Tensor, eps: float):
    if b1.shape != b2.shape or b1.shape[-1] != 4:
        raise ValueError(f"box losses need two (N, 4) tensors of equal shape, got "
                         f"{tuple(b1.shape)} and {tuple(b2.shape)}")
    x1, y1, x2, y2 = b1.unbind(-1)
    X1, Y1, X2, Y2 = b2.unbind(-1)
    iw = (ember.minimum(x2, X2) - ember.maximum(x1, X1)).clamp(min=0)
    ih = (ember.minimum(y2, Y2) - ember.maximum(y1, Y1)).clamp(min=0)
    inter = iw * ih
    union = (x2 - x1) * (y2 - y1) + (X2 - X1) * (Y2 - Y1) - inter
    iou = inter / (union + eps)
    cw = ember.maximum(x2, X2) - ember.minimum(x1, X1)
    ch = ember.maximum(y2, Y2) - ember.minimum(y1, Y1)
    return iou, union, cw, ch, (x1, y1, x2, y2, X1, Y1, X2, Y2)


def generalized_box_iou_loss(boxes1: Tensor, boxes2: Tensor, reduction: str = "none",
                             eps: float = 1e-7) -> Tensor:
    iou, union, cw, ch, _ = _parts(boxes1, boxes2, eps)
    area_c = cw * ch
    giou = iou - (area_c - union) / (area_c + eps)
    return _reduce(1 - giou, reduction)


def _diou(boxes1: Tensor, boxes2: Tensor, eps: float):
    iou, _, cw, ch, (x1, y1, x2, y2, X1, Y1, X2, Y2) = _parts(boxes1, boxes2, eps)
    diag = cw ** 2 + ch ** 2 + eps
    rho = ((x1 + x2) / 2 - (X1 + X2) / 2) ** 2 + ((y1 + y2) / 2 - (Y1 + Y2) / 2) ** 2
    return iou, iou - rho / diag, (x1, y1, x2, y2, X1, Y1, X2, Y2)


def distance_box_iou_loss(boxes1: Tensor, boxes2: Tensor, reduction: str = "none",
                          eps: float = 1e-7) -> Tensor:
    _, diou, _ = _diou(boxes1, boxes2, eps)
    return _reduce(1 - diou, reduction)


def complete_box_iou_loss(boxes1: Tensor, boxes2: Tensor, reduction: str = "none",
                          eps: float = 1e-7) -> Tensor:
    iou, diou, (x1, y1, x2, y2, X1, Y1, X2, Y2) = _diou(boxes1, boxes2, eps)
    v = (4 / math.pi ** 2) * (((X2 - X1) / (Y2 - Y1)).atan() - ((x2 - x1) / (y2 - y1)).atan()) ** 2
    with ember.no_grad():
        alpha = v / (1 - iou + v + eps)
    return _reduce(1 - (diou - alpha * v), reduction)
