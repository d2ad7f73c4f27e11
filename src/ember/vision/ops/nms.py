"""Non-maximum suppression: hard NMS (torchvision), per-class NMS and soft-NMS (TOPICS.md 1.16).

Greedy NMS: sort by score; keep the best box; drop every remaining box whose IoU with it is
**greater than** ``iou_threshold`` (IoU equal to the threshold survives, as in torchvision and
OpenCV); repeat. Soft-NMS (Bodla et al. 2017) decays instead of dropping:
linear s_i <- s_i * (1 - IoU) when IoU > Nt; Gaussian s_i <- s_i * exp(-IoU^2 / sigma)
(sigma divides IoU^2 directly, no 2 sigma^2, in both the paper's code and OpenCV).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ...metrics._validation import check_boxes, check_finite, to_numpy
from .boxes import pairwise_inter_union

__all__ = ["nms", "batched_nms", "soft_nms"]


def _check_scores(scores: Any, n: int, name: str = "scores") -> np.ndarray:
    s = to_numpy(scores, name)
    if s.shape != (n,):
        raise ValueError(f"{name}: expected shape ({n},) to match boxes, got {s.shape}")
    s = s.astype(np.float64) if s.dtype.kind != "f" else s
    check_finite(s, name)
    return s


def _iou_one_to_many(boxes: np.ndarray, i: int, rest: np.ndarray, offset: float) -> np.ndarray:
    inter, union = pairwise_inter_union(boxes[i:i + 1], boxes[rest], offset)
    return np.divide(inter[0], union[0], out=np.zeros(len(rest)), where=union[0] > 0)


def nms(boxes: Any, scores: Any, iou_threshold: float) -> np.ndarray:
    """Indices of the boxes kept by greedy NMS, sorted by decreasing score.

    Args:
        boxes: (N, 4) boxes (x1, y1, x2, y2). scores: (N,) scores (finite).
        iou_threshold: boxes with IoU > iou_threshold to a kept box are discarded.

    Returns:
        int64 array (K,).

    Notes:
        Ties in score are broken by the lower index (stable sort; torchvision leaves the order
        of equal scores unspecified, OpenCV's ``NMSBoxes`` also takes the lower index).
    """
    b = check_boxes(boxes)
    s = _check_scores(scores, len(b))
    order = np.argsort(-s, kind="stable")
    x1, y1, x2, y2 = (np.ascontiguousarray(b[order, c]) for c in range(4))
    area = (x2 - x1) * (y2 - y1)
    alive = np.arange(len(order))  # positions (in score order) not yet kept or suppressed
    keep = []
    while alive.size:
        i, rest = alive[0], alive[1:]
        keep.append(order[i])
        iw = np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest])
        ih = np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest])
        inter = np.clip(iw, 0, None) * np.clip(ih, 0, None)
        union = area[i] + area[rest] - inter
        iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)  # 0/0 -> 0
        alive = rest[~(iou > iou_threshold)]
    return np.asarray(keep, dtype=np.int64)

def batched_nms(boxes: Any, scores: Any, idxs: Any, iou_threshold: float) -> np.ndarray:
    """NMS run independently per category ``idxs``; kept indices sorted by decreasing score.

    Shape: boxes (N, 4), scores (N,), idxs (N,) integer categories -> (K,) int64.

    Notes:
        Loops over categories (torchvision's "vanilla" path); its coordinate-offset trick gives
        the same result up to floating-point round-off, so it is not used.
    """
    b = check_boxes(boxes)
    s = _check_scores(scores, len(b))
    cat = to_numpy(idxs, "idxs")
    if cat.shape != (len(b),):
        raise ValueError(f"idxs: expected shape ({len(b)},) to match boxes, got {cat.shape}")
    keep = [np.nonzero(cat == c)[0][nms(b[cat == c], s[cat == c], iou_threshold)]
            for c in np.unique(cat)]
    keep = np.concatenate(keep) if keep else np.zeros(0, np.int64)
    return keep[np.argsort(-s[keep], kind="stable")].astype(np.int64)


def soft_nms(boxes: Any, scores: Any, iou_threshold: float = 0.3, sigma: float = 0.5,
             score_threshold: float = 0.001, method: str = "gaussian", variant: str = "paper",
             top_k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Soft-NMS: repeatedly keep the highest current score and decay the others by their IoU.

    Args:
        boxes: (N, 4) (x1, y1, x2, y2). scores: (N,).
        iou_threshold: Nt; linear decay and hard suppression apply only when IoU > Nt.
        sigma: Gaussian width, weight exp(-IoU^2 / sigma).
        score_threshold: boxes whose (decayed) score falls below it are dropped and never kept.
        method: "gaussian", "linear" or "hard" (plain NMS at Nt).
        variant: "paper" = Bodla et al.'s reference code (inclusive "+1" pixel areas, defaults
            Nt = 0.3, sigma = 0.5, threshold 0.001); "opencv" = ``cv2.dnn.softNMSBoxes``
            (continuous areas; pass its score/nms thresholds explicitly).
        top_k: stop after keeping this many boxes (OpenCV's ``top_k``; None = no limit).

    Returns:
        (keep, updated_scores): int64 indices in selection order and each kept box's score when it
        was selected, both (K,).

    Notes:
        The reference Cython keeps boxes whose initial score is below the threshold when they never
        overlap a selected box, and returns positions in its internally permuted array; ember
        drops them and returns original indices. Ties: the lower index is selected first (OpenCV).
    """
    if method not in ("gaussian", "linear", "hard"):
        raise ValueError(f"method: expected 'gaussian', 'linear' or 'hard', got {method!r}")
    if variant not in ("paper", "opencv"):
        raise ValueError(f"variant: expected 'paper' or 'opencv', got {variant!r}")
    if sigma <= 0:
        raise ValueError(f"sigma: expected a positive number, got {sigma}")
    b = check_boxes(boxes)
    s = _check_scores(scores, len(b)).astype(np.float64)
    offset = 1.0 if variant == "paper" else 0.0
    alive = s >= score_threshold
    keep, kept_scores = [], []
    while alive.any() and (top_k is None or len(keep) < top_k):
        cand = np.nonzero(alive)[0]
        i = cand[np.argmax(s[cand])]  # first maximum = lowest index among ties
        keep.append(i)
        kept_scores.append(s[i])
        alive[i] = False
        rest = np.nonzero(alive)[0]
        iou = _iou_one_to_many(b, i, rest, offset)
        if method == "gaussian":
            weight = np.exp(-(iou * iou) / sigma)
        elif method == "linear":
            weight = np.where(iou > iou_threshold, 1.0 - iou, 1.0)
        else:
            weight = np.where(iou > iou_threshold, 0.0, 1.0)
            alive[rest[iou > iou_threshold]] = False
        s[rest] *= weight
        alive[rest] &= s[rest] >= score_threshold
    return np.asarray(keep, dtype=np.int64), np.asarray(kept_scores, dtype=np.float64)
