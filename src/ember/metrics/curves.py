"""ROC and precision-recall curves, AUC and the four different "average precision"s (TOPICS 1.20).

On one ranked list the four APs differ (ORACLES.md §3), so each is a named function:

* ``average_precision_score`` — sklearn's uninterpolated step sum, AP = sum_n (R_n - R_{n-1}) P_n
  over the distinct score thresholds.
* ``voc_ap(rec, prec)`` — PASCAL VOC 2010+ all-point AP: area under the monotone precision
  envelope p_interp(r) = max_{r' >= r} p(r').
* ``voc_ap(rec, prec, use_07_metric=True)`` — VOC2007 11-point AP: mean of p_interp at
  r in {0, 0.1, ..., 1}.
* ``coco_ap(rec, prec)`` — COCO 101-point AP: mean of the envelope at r in {0, 0.01, ..., 1},
  each read at the first detection whose recall reaches r (0 beyond the maximum recall).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._validation import check_1d, check_finite, check_same_length, check_sample_weight, to_numpy

__all__ = ["auc", "roc_curve", "roc_auc_score", "precision_recall_curve",
           "average_precision_score", "voc_ap", "coco_ap", "coco_precision_at_recalls",
           "interpolated_average_precision", "COCO_REC_THRESHOLDS"]

COCO_REC_THRESHOLDS = np.linspace(0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True)


def _pos_label(yt: np.ndarray, pos_label: Any) -> Any:
    if pos_label is not None:
        return pos_label
    classes = np.unique(yt)
    if not (classes.dtype.kind in "biuf" and set(classes.tolist()) <= {0, 1, -1}
            and not ({0, -1} <= set(classes.tolist()))):
        raise ValueError(f"y_true takes value in {classes.tolist()} and pos_label is not "
                         "specified: either make y_true take value in {0, 1} or {-1, 1} or pass "
                         "pos_label explicitly.")
    return 1


def _binary_clf_curve(y_true: Any, y_score: Any, pos_label: Any = None, sample_weight: Any = None):
    """(fps, tps, thresholds) at each distinct score, scores decreasing (sklearn's helper)."""
    yt, ys = check_1d(y_true, "y_true"), check_1d(y_score, "y_score", np.float64)
    check_same_length(y_true=yt, y_score=ys)
    check_finite(ys, "y_score")
    if len(np.unique(yt)) > 2 and pos_label is None:
        raise ValueError("multiclass format is not supported: y_true has more than two labels")
    yt = (yt == _pos_label(yt, pos_label)).astype(np.float64)
    w = check_sample_weight(sample_weight, len(yt))
    if w is not None:
        yt, ys, w = yt[w != 0], ys[w != 0], w[w != 0]
    order = np.argsort(-ys, kind="stable")
    ys, yt = ys[order], yt[order]
    w = 1.0 if w is None else w[order]
    idx = np.r_[np.nonzero(np.diff(ys))[0], len(yt) - 1] if len(yt) else np.zeros(0, np.int64)
    tps = np.cumsum(yt * w)[idx]
    fps = np.cumsum((1 - yt) * w)[idx] if np.ndim(w) else 1 + idx - tps
    return fps, tps, ys[idx]


def roc_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None,
              drop_intermediate: bool = True):
    """Receiver operating characteristic: (fpr, tpr, thresholds), thresholds decreasing.

    Returns:
        fpr, tpr: shape (n_thresholds + 1,), starting at (0, 0); thresholds[0] = inf.
        ``drop_intermediate`` removes collinear points (the area is unchanged).
    """
    fps, tps, thr = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thr = fps[keep], tps[keep], thr[keep]
    fps, tps, thr = np.r_[0.0, fps], np.r_[0.0, tps], np.r_[np.inf, thr]
    fpr = fps / fps[-1] if fps[-1] > 0 else np.full(fps.shape, np.nan)
    tpr = tps / tps[-1] if tps[-1] > 0 else np.full(tps.shape, np.nan)
    return fpr, tpr, thr


def auc(x: Any, y: Any) -> float:
    """Area under a curve by the trapezoidal rule; x must be monotonic (either direction)."""
    x, y = check_1d(x, "x", np.float64), check_1d(y, "y", np.float64)
    check_same_length(x=x, y=y)
    if len(x) < 2:
        raise ValueError(f"x: at least 2 points are needed to compute area under curve, got {len(x)}")
    dx = np.diff(x)
    direction = 1.0
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
        direction = -1.0
    return float(direction * np.trapezoid(y, x))


def _binary_roc_auc(y_true, y_score, sample_weight=None, max_fpr=None) -> float:
    if len(np.unique(y_true)) != 2:
        return float("nan")
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight)
    if max_fpr is None or max_fpr == 1:
        return auc(fpr, tpr)
    if not 0 < max_fpr <= 1:
        raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
    stop = np.searchsorted(fpr, max_fpr, "right")
    tpr = np.append(tpr[:stop], np.interp(max_fpr, fpr[stop - 1:stop + 1], tpr[stop - 1:stop + 1]))
    fpr = np.append(fpr[:stop], max_fpr)
    min_area, max_area = 0.5 * max_fpr ** 2, max_fpr  # McClish correction
    return 0.5 * (1 + (auc(fpr, tpr) - min_area) / (max_area - min_area))


def _average_binary(fn: Callable, yt: np.ndarray, ys: np.ndarray, average: str | None, w):
    """Apply a binary metric per column of indicator/score matrices and average (sklearn)."""
    if average not in (None, "micro", "macro", "weighted"):
        raise ValueError(f"average: expected None, 'micro', 'macro' or 'weighted', got {average!r}")
    if average == "micro":
        return float(fn(yt.ravel(), ys.ravel(), None if w is None else np.repeat(w, yt.shape[1])))
    scores = np.array([fn(yt[:, c], ys[:, c], w) for c in range(yt.shape[1])])
    if average is None:
        return scores
    weights = None
    if average == "weighted":
        weights = yt.sum(axis=0) if w is None else w @ yt
        if weights.sum() == 0:
            return 0.0
    return float(np.average(scores, weights=weights))


def _one_hot(yt: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return (yt[:, None] == classes[None, :]).astype(np.int64)  # (n_samples, n_classes)


def _ovo_auc(yt: np.ndarray, ys: np.ndarray, classes: np.ndarray, average: str) -> float:
    scores, prevalence = [], []
    for a in range(len(classes)):
        for b in range(a + 1, len(classes)):
            mask = (yt == classes[a]) | (yt == classes[b])
            is_a = yt[mask] == classes[a]
            s = (_binary_roc_auc(is_a, ys[mask, a]) + _binary_roc_auc(~is_a, ys[mask, b])) / 2
            scores.append(s)
            prevalence.append(mask.mean())
    return float(np.average(scores, weights=prevalence if average == "weighted" else None))


def roc_auc_score(y_true: Any, y_score: Any, *, average: str | None = "macro",
                  sample_weight: Any = None, max_fpr: float | None = None,
                  multi_class: str = "raise", labels: Any = None):
    """Area under the ROC curve = P(score of a random positive > random negative), ties count 1/2.

    Args:
        y_true: (n_samples,) binary or multiclass labels, or (n_samples, n_labels) indicator.
        y_score: (n_samples,) scores of the positive (larger) label, or (n_samples, n_classes).
        average, sample_weight, max_fpr (McClish-standardized partial AUC, binary only),
        multi_class ("ovr" or "ovo" for multiclass y_true), labels: as in sklearn.
    """
    yt, ys = to_numpy(y_true, "y_true"), to_numpy(y_score, "y_score", np.float64)
    check_same_length(y_true=yt, y_score=ys)
    w = check_sample_weight(sample_weight, len(yt))
    if yt.ndim == 2:  # multilabel indicator
        return _average_binary(lambda t, s, ww: _binary_roc_auc(t, s, ww, max_fpr), yt, ys,
                               average, w)
    classes = np.unique(yt) if labels is None else check_1d(labels, "labels")
    if len(classes) > 2 or (ys.ndim == 2 and ys.shape[1] > 2):
        if max_fpr not in (None, 1.0):
            raise ValueError("max_fpr: partial AUC is not available for multiclass y_true")
        if multi_class not in ("ovr", "ovo"):
            raise ValueError(f"multi_class must be in ('ovo', 'ovr'), got {multi_class!r}")
        if ys.ndim != 2 or ys.shape[1] != len(classes):
            raise ValueError(f"y_score: expected shape ({len(yt)}, {len(classes)}), got {ys.shape}")
        if multi_class == "ovo":
            return _ovo_auc(yt, ys, classes, average)
        return _average_binary(_binary_roc_auc, _one_hot(yt, classes), ys, average, w)
    if len(classes) < 2:
        raise ValueError("Only one class is present in y_true. ROC AUC score is not defined in "
                         "that case.")
    ys = ys[:, -1] if ys.ndim == 2 else ys
    return _binary_roc_auc(yt == classes[-1], ys, w, max_fpr)


def precision_recall_curve(y_true: Any, y_score: Any, *, pos_label: Any = None,
                           sample_weight: Any = None, drop_intermediate: bool = False):
    """Precision and recall at each distinct threshold, sklearn's layout.

    Returns:
        precision, recall: shape (n_thresholds + 1,), recall decreasing, ending with the point
        (precision=1, recall=0) that sklearn appends; thresholds: (n_thresholds,) increasing.
    """
    fps, tps, thr = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thr = fps[keep], tps[keep], thr[keep]
    ps = tps + fps
    precision = np.where(ps != 0, tps / np.where(ps != 0, ps, 1), 0.0)
    recall = np.ones_like(tps) if tps[-1] == 0 else tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thr[::-1]


def _step_ap(y_true, y_score, sample_weight=None, pos_label=1) -> float:
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label,
                                                  sample_weight=sample_weight)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def average_precision_score(y_true: Any, y_score: Any, *, average: str | None = "macro",
                            pos_label: Any = 1, sample_weight: Any = None):
    """sklearn's AP = sum_n (R_n - R_{n-1}) * P_n over distinct thresholds (no interpolation).

    Args:
        y_true: (n_samples,) binary labels, (n_samples,) multiclass labels with (n_samples,
            n_classes) scores, or an (n_samples, n_labels) indicator.
        average: None, "micro", "macro" or "weighted" for multi-column input.
    """
    yt, ys = to_numpy(y_true, "y_true"), to_numpy(y_score, "y_score", np.float64)
    check_same_length(y_true=yt, y_score=ys)
    w = check_sample_weight(sample_weight, len(yt))
    if yt.ndim == 1 and ys.ndim == 2 and ys.shape[1] > 1:
        classes = np.unique(yt)
        if ys.shape[1] != len(classes):
            raise ValueError(f"y_score: expected shape ({len(yt)}, {len(classes)}), got {ys.shape}")
        yt = _one_hot(yt, classes)
    if yt.ndim == 2:
        return _average_binary(_step_ap, yt, ys, average, w)
    present = np.unique(yt)
    if len(present) == 2 and pos_label not in present:
        raise ValueError(f"pos_label={pos_label!r} is not a valid label. It should be one of "
                         f"{present.tolist()}")
    return _step_ap(yt, ys, w, pos_label)


def voc_ap(rec: Any, prec: Any, use_07_metric: bool = False) -> float:
    """PASCAL VOC AP from per-detection recall/precision (ranked order), devkit ``voc_ap``.

    Args:
        rec, prec: (n_detections,) cumulative recall and precision in ranked order.
        use_07_metric: True = VOC2007 11-point mean of max precision at recall >= t for
            t in np.arange(0, 1.1, 0.1); False = VOC2010+ area under the precision envelope.
    """
    rec, prec = check_1d(rec, "rec", np.float64), check_1d(prec, "prec", np.float64)
    check_same_length(rec=rec, prec=prec)
    if use_07_metric:
        ap = 0.0
        for t in np.arange(0.0, 1.1, 0.1):  # the devkit's float grid (0.30000000000000004, ...)
            p = np.max(prec[rec >= t]) if np.any(rec >= t) else 0.0
            ap += p / 11.0
        return float(ap)
    mrec, mpre = np.r_[0.0, rec, 1.0], np.r_[0.0, prec, 0.0]
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]  # precision envelope
    i = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def coco_precision_at_recalls(rec: Any, prec: Any, rec_thresholds: Any = None) -> np.ndarray:
    """Envelope precision at each recall threshold, pycocotools' ``accumulate`` rule.

    Reads the monotone envelope at ``searchsorted(rec, r, side="left")``; thresholds beyond the
    largest recall get precision 0. Returns shape (n_thresholds,).
    """
    rec, prec = check_1d(rec, "rec", np.float64), check_1d(prec, "prec", np.float64)
    thr = COCO_REC_THRESHOLDS if rec_thresholds is None else check_1d(rec_thresholds,
                                                                      "rec_thresholds", np.float64)
    envelope = np.maximum.accumulate(prec[::-1])[::-1] if len(prec) else prec
    inds = np.searchsorted(rec, thr, side="left")
    q = np.zeros(len(thr))
    ok = inds < len(rec)
    q[ok] = envelope[inds[ok]]
    return q


def coco_ap(rec: Any, prec: Any, rec_thresholds: Any = None) -> float:
    """COCO 101-point AP: mean of ``coco_precision_at_recalls`` (thresholds 0, 0.01, ..., 1)."""
    return float(np.mean(coco_precision_at_recalls(rec, prec, rec_thresholds)))


def interpolated_average_precision(y_true: Any, y_score: Any, *, method: str = "all_point",
                                   n_positives: int | None = None) -> float:
    """AP of one ranked list by a named rule: "step", "all_point", "11_point" or "101_point".

    Args:
        y_true: (n,) 1 for a true positive detection, 0 for a false positive.
        y_score: (n,) confidences; ranked by a stable descending sort.
        method: "step" (sklearn, ties grouped), "all_point" (VOC2010+), "11_point" (VOC2007),
            "101_point" (COCO).
        n_positives: number of ground truths (recall denominator); default sum(y_true). Use it in
            detection, where missed objects never appear in the ranked list.
    """
    yt = check_1d(y_true, "y_true", np.float64)
    ys = check_1d(y_score, "y_score", np.float64)
    check_same_length(y_true=yt, y_score=ys)
    npos = float(yt.sum()) if n_positives is None else float(n_positives)
    if npos <= 0:
        raise ValueError(f"n_positives: expected at least one positive, got {npos}")
    if method == "step":
        fps, tps, _ = _binary_clf_curve(yt, ys, 1)
        rec = np.r_[0.0, tps / npos]
        prec = tps / np.maximum(tps + fps, 1)
        return float(np.sum(np.diff(rec) * prec))
    order = np.argsort(-ys, kind="mergesort")
    tp = np.cumsum(yt[order])
    fp = np.cumsum(1 - yt[order])
    rec = tp / npos
    if method == "101_point":
        return coco_ap(rec, tp / (tp + fp + np.spacing(1)))
    if method not in ("all_point", "11_point"):
        raise ValueError(f"method: expected 'step', 'all_point', '11_point' or '101_point', "
                         f"got {method!r}")
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    return voc_ap(rec, prec, use_07_metric=method == "11_point")
