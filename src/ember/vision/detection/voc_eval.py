"""PASCAL VOC detection AP, the devkit rules of ``voc_eval.py`` (py-faster-rcnn / detectron2).

Per class: detections of all images are ranked by score; each is compared with the image's ground
truths of that class; with ovmax = max IoU (+1 pixel areas) and jmax its ground truth:
ovmax > 0.5 (strict) and jmax not "difficult" -> TP if jmax is not yet matched, else FP (duplicate);
jmax difficult -> neither TP nor FP; ovmax <= 0.5 -> FP. Recall divides by the number of
non-difficult ground truths. AP is the VOC2010+ all-point area or the VOC2007 11-point mean
(``ember.metrics.voc_ap``); mAP is the mean over classes with at least one ground truth.

Notes:
    The devkit ranks with ``np.argsort(-conf)`` (unstable); ember uses a stable sort, so tied scores
    keep the input order (images in order, detections in order). A detection whose best-overlapping
    ground truth is already matched is FP even if another ground truth overlaps it by > 0.5 (that
    is the devkit's rule, unlike COCO's matching).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ...metrics.curves import voc_ap
from ..ops.boxes import pairwise_inter_union
from ._inputs import ImageDetections, parse_inputs

__all__ = ["voc_evaluate", "voc_class_tp_fp"]


def voc_class_tp_fp(images: Sequence[ImageDetections], label: Any, iou_threshold: float = 0.5,
                    inclusive: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Ranked (scores, tp, fp) flags of one class's detections and its number of positives."""
    scores, image_of, index_of = [], [], []
    for i, im in enumerate(images):
        sel = np.nonzero(im.dt_labels == label)[0]
        scores.append(im.dt_scores[sel])
        image_of.append(np.full(len(sel), i))
        index_of.append(sel)
    scores, image_of, index_of = (np.concatenate(x) for x in (scores, image_of, index_of))
    order = np.argsort(-scores, kind="stable")
    offset = 1.0 if inclusive else 0.0
    overlaps = {}  # image -> (IoU matrix (D_i, G_i) over that image's class detections, gt index)
    for i, im in enumerate(images):
        gsel = np.nonzero(im.gt_labels == label)[0]
        dsel = index_of[image_of == i]
        inter, union = pairwise_inter_union(im.dt_boxes[dsel], im.gt_boxes[gsel], offset)
        iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        overlaps[i] = (dict(zip(dsel.tolist(), range(len(dsel)))), iou, gsel,
                       np.zeros(len(gsel), bool))
    npos = int(sum((~im.gt_difficult[im.gt_labels == label]).sum() for im in images))
    tp, fp = np.zeros(len(order)), np.zeros(len(order))
    for d, k in enumerate(order):
        row_of, iou, gsel, matched = overlaps[image_of[k]]
        ious = iou[row_of[index_of[k]]] if len(gsel) else np.zeros(0)
        if len(ious) == 0 or not ious.max() > iou_threshold:
            fp[d] = 1.0
            continue
        j = int(np.argmax(ious))
        if images[image_of[k]].gt_difficult[gsel[j]]:
            continue
        if matched[j]:
            fp[d] = 1.0
        else:
            tp[d], matched[j] = 1.0, True
    return scores[order], tp, fp, npos


def voc_evaluate(preds: Sequence[dict], target: Sequence[dict], *, iou_threshold: float = 0.5,
                 use_07_metric: bool = False, inclusive: bool = True,
                 box_format: str = "xyxy") -> dict[str, Any]:
    """VOC mAP of a detection set.

    Args:
        preds, target: per-image dicts (see ``ember.vision.detection._inputs``); target may hold
            "difficult" flags.
        iou_threshold: a detection matches when IoU > threshold (strict). Default: 0.5.
        use_07_metric: VOC2007 11-point AP (True) or VOC2010+ all-point AP (False).
        inclusive: +1 pixel areas (devkit, integer pixel boxes) or continuous areas.

    Returns:
        dict with "map" (float, nan without ground truths), "ap" {label: AP} and "recall" /
        "precision" {label: (n_detections,) arrays in ranked order} for the PR curves.
    """
    images = parse_inputs(preds, target, box_format)
    labels = np.unique(np.concatenate([im.gt_labels for im in images] + [np.zeros(0)]))
    ap, recall, precision = {}, {}, {}
    for label in labels.tolist():
        _, tp, fp, npos = voc_class_tp_fp(images, label, iou_threshold, inclusive)
        if npos == 0:  # only difficult objects: the devkit divides by zero; ember skips the class
            continue
        tp, fp = np.cumsum(tp), np.cumsum(fp)
        rec = tp / float(npos)
        prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
        ap[label] = voc_ap(rec, prec, use_07_metric)
        recall[label], precision[label] = rec, prec
    return {"map": float(np.mean(list(ap.values()))) if ap else float("nan"), "ap": ap,
            "recall": recall, "precision": precision}
