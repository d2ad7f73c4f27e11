"""COCO box mAP@[.5:.95], AP50/AP75, AP and AR by area, AR@{1,10,100}: pycocotools' rules.

A transcription of ``COCOeval.evaluate/accumulate/summarize`` for iouType "bbox" (TOPICS 1.20,
E34, E35): per image and category, detections sorted by score (stable) and cut to maxDets[-1];
IoU >= t matches (COCO's >=, VOC's >); each detection takes the best still-free non-ignored ground
truth (ties: the later one), else the best ignored one (crowd regions may match many times);
unmatched detections outside the area range are ignored; per category the precision envelope is
read at the 101 recall thresholds (``ember.metrics.coco_precision_at_recalls``) and averaged over
thresholds and categories with ground truth.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ...metrics.curves import COCO_REC_THRESHOLDS, coco_precision_at_recalls
from ._inputs import ImageDetections, parse_inputs

__all__ = ["coco_evaluate", "COCO_IOU_THRESHOLDS", "COCO_AREA_RANGES"]

COCO_IOU_THRESHOLDS = np.linspace(0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True)
COCO_AREA_RANGES = {"all": (0.0, 1e5 ** 2), "small": (0.0, 32.0 ** 2),
                    "medium": (32.0 ** 2, 96.0 ** 2), "large": (96.0 ** 2, 1e5 ** 2)}


def _coco_iou(dt: np.ndarray, gt: np.ndarray, iscrowd: np.ndarray) -> np.ndarray:
    """pycocotools ``bbIou`` on xywh boxes: (D, G); a crowd gt divides by the detection's area."""
    da, ga = dt[:, 2] * dt[:, 3], gt[:, 2] * gt[:, 3]
    w = np.minimum(dt[:, None, 0] + dt[:, None, 2], gt[None, :, 0] + gt[None, :, 2]) - np.maximum(
        dt[:, None, 0], gt[None, :, 0])
    h = np.minimum(dt[:, None, 1] + dt[:, None, 3], gt[None, :, 1] + gt[None, :, 3]) - np.maximum(
        dt[:, None, 1], gt[None, :, 1])
    inter = np.where((w > 0) & (h > 0), w * h, 0.0)
    union = np.where(iscrowd[None, :], da[:, None], da[:, None] + ga[None, :] - inter)
    return np.divide(inter, union, out=np.zeros_like(inter), where=inter > 0)


def _last_argmax(vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: index of the last maximum and whether the row has any finite candidate."""
    g = vals.shape[1]
    idx = g - 1 - np.argmax(vals[:, ::-1], axis=1)
    return idx, np.isfinite(vals.max(axis=1))


def _match(ious: np.ndarray, gt_ignore: np.ndarray, crowd: np.ndarray, thresholds: np.ndarray):
    """Greedy matching for all thresholds at once: (T, D) matched flags and matched-gt-ignored."""
    t_count, (d_count, g_count) = len(thresholds), ious.shape
    gt_taken = np.zeros((t_count, g_count), bool)
    dt_matched = np.zeros((t_count, d_count), bool)
    dt_ignore = np.zeros((t_count, d_count), bool)
    thr = np.minimum(thresholds, 1 - 1e-10)[:, None]  # (T, 1)
    rows = np.arange(t_count)
    for d in range(d_count):
        ok = (~gt_taken | crowd[None, :]) & (ious[d][None, :] >= thr)  # (T, G)
        best = []
        for group in (~gt_ignore, gt_ignore):
            vals = np.where(ok & group[None, :], ious[d][None, :], -np.inf)
            best.append(_last_argmax(vals))
        (m_reg, has_reg), (m_ign, has_ign) = best
        m = np.where(has_reg, m_reg, m_ign)
        hit = has_reg | has_ign
        gt_taken[rows[hit], m[hit]] = True
        dt_matched[:, d] = hit
        dt_ignore[:, d] = hit & gt_ignore[m]
    return dt_matched, dt_ignore


def _evaluate_image(im: ImageDetections, label: Any, area_ranges, max_det: int, thresholds):
    """Per area range: (scores (D,), matched (T, D), ignored (T, D), gt_ignore (G,)) or None."""
    gsel = np.nonzero(im.gt_labels == label)[0]
    dsel = np.nonzero(im.dt_labels == label)[0]
    if len(gsel) == 0 and len(dsel) == 0:
        return [None] * len(area_ranges)
    dsel = dsel[np.argsort(-im.dt_scores[dsel], kind="mergesort")][:max_det]
    dt = np.c_[im.dt_boxes[dsel, :2], im.dt_boxes[dsel, 2:] - im.dt_boxes[dsel, :2]]  # xywh
    gt = np.c_[im.gt_boxes[gsel, :2], im.gt_boxes[gsel, 2:] - im.gt_boxes[gsel, :2]]
    crowd, g_area, d_area = im.gt_iscrowd[gsel], im.gt_area[gsel], dt[:, 2] * dt[:, 3]
    ious = _coco_iou(dt, gt, crowd)
    scores, out = im.dt_scores[dsel], []
    for lo, hi in area_ranges:
        ignore = crowd | (g_area < lo) | (g_area > hi)
        order = np.argsort(ignore, kind="mergesort")
        matched, dt_ig = (_match(ious[:, order], ignore[order], crowd[order], thresholds)
                          if len(dsel) and len(gsel) else
                          (np.zeros((len(thresholds), len(dsel)), bool),) * 2)
        outside = (d_area < lo) | (d_area > hi)
        dt_ig = dt_ig | (~matched & outside[None, :])
        out.append((scores, matched, dt_ig, ignore[order]))
    return out


def _accumulate(per_image: list, max_dets: Sequence[int], rec_thresholds: np.ndarray, t_count: int):
    """Precision (T, R, M) and recall (T, M) of one category and area range (-1 = no ground truth)."""
    precision = -np.ones((t_count, len(rec_thresholds), len(max_dets)))
    recall = -np.ones((t_count, len(max_dets)))
    evals = [e for e in per_image if e is not None]
    if not evals:
        return precision, recall
    npig = int(sum((~e[3]).sum() for e in evals))
    if npig == 0:
        return precision, recall
    for m, max_det in enumerate(max_dets):
        scores = np.concatenate([e[0][:max_det] for e in evals])
        order = np.argsort(-scores, kind="mergesort")
        matched = np.concatenate([e[1][:, :max_det] for e in evals], axis=1)[:, order]
        ignored = np.concatenate([e[2][:, :max_det] for e in evals], axis=1)[:, order]
        tps = np.cumsum(matched & ~ignored, axis=1).astype(float)
        fps = np.cumsum(~matched & ~ignored, axis=1).astype(float)
        for t in range(t_count):
            rc = tps[t] / npig
            pr = tps[t] / (fps[t] + tps[t] + np.spacing(1))
            recall[t, m] = rc[-1] if len(rc) else 0.0
            precision[t, :, m] = coco_precision_at_recalls(rc, pr, rec_thresholds)
    return precision, recall


def _mean_valid(s: np.ndarray) -> float:
    return float(np.mean(s[s > -1])) if np.any(s > -1) else -1.0


def coco_evaluate(preds: Sequence[dict], target: Sequence[dict], *, iou_thresholds: Any = None,
                  rec_thresholds: Any = None, max_detection_thresholds: Sequence[int] = (1, 10, 100),
                  box_format: str = "xyxy") -> dict[str, Any]:
    """COCO bbox evaluation equal to ``COCOeval(gt, dt, "bbox")`` on the same data.

    Args:
        preds, target: per-image dicts; target may hold "iscrowd" and "area".
        iou_thresholds: default 0.50:0.05:0.95. rec_thresholds: default 0:0.01:1 (101 points).
        max_detection_thresholds: maxDets; AP uses the last, AR reports each. Default (1, 10, 100).

    Returns:
        dict with "map", "map_50", "map_75", "map_small", "map_medium", "map_large",
        "mar_{k}" for each k, "mar_small", "mar_medium", "mar_large" (-1 where undefined, as in
        ``COCOeval.stats``), "map_per_class" {label: AP}, "classes", and the raw "precision"
        (T, R, K, A, M) and "recall" (T, K, A, M) arrays of ``COCOeval.eval``.
    """
    images = parse_inputs(preds, target, box_format)
    iou_thr = COCO_IOU_THRESHOLDS if iou_thresholds is None else np.asarray(iou_thresholds, float)
    rec_thr = COCO_REC_THRESHOLDS if rec_thresholds is None else np.asarray(rec_thresholds, float)
    max_dets = [int(m) for m in sorted(max_detection_thresholds)]
    areas = list(COCO_AREA_RANGES.values())
    classes = np.unique(np.concatenate([im.gt_labels for im in images]
                                       + [im.dt_labels for im in images] + [np.zeros(0)]))
    t_n, r_n, k_n, a_n, m_n = len(iou_thr), len(rec_thr), len(classes), len(areas), len(max_dets)
    precision, recall = -np.ones((t_n, r_n, k_n, a_n, m_n)), -np.ones((t_n, k_n, a_n, m_n))
    for k, label in enumerate(classes.tolist()):
        per_image = [_evaluate_image(im, label, areas, max_dets[-1], iou_thr) for im in images]
        for a in range(a_n):
            p, r = _accumulate([e[a] for e in per_image], max_dets, rec_thr, t_n)
            precision[:, :, k, a, :], recall[:, k, a, :] = p, r
    out: dict[str, Any] = {"map": _mean_valid(precision[:, :, :, 0, -1])}
    for name, t in (("map_50", 0.5), ("map_75", 0.75)):
        hit = np.nonzero(iou_thr == t)[0]
        out[name] = _mean_valid(precision[hit][:, :, :, 0, -1]) if len(hit) else -1.0
    for a, name in enumerate(("small", "medium", "large"), start=1):
        out[f"map_{name}"] = _mean_valid(precision[:, :, :, a, -1])
    for m, md in enumerate(max_dets):
        out[f"mar_{md}"] = _mean_valid(recall[:, :, 0, m])
    for a, name in enumerate(("small", "medium", "large"), start=1):
        out[f"mar_{name}"] = _mean_valid(recall[:, :, a, -1])
    out["map_per_class"] = {lab: _mean_valid(precision[:, :, k, 0, -1])
                            for k, lab in enumerate(classes.tolist())}
    out.update(classes=classes, precision=precision, recall=recall)
    return out
