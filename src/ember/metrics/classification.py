"""Classification metrics with scikit-learn's names, signatures and conventions (TOPICS.md 1.20).

accuracy = (TP + TN) / N, precision = TP / (TP + FP), recall = TP / (TP + FN),
F-beta = (1 + b^2) * TP / ((1 + b^2) * TP + b^2 * FN + FP) (F1 = harmonic mean of P and R).

Labels are compared as values (ints or strings); the label order is the sorted union of
``y_true`` and ``y_pred`` unless ``labels`` is given. Confusion-matrix rows are true labels and
columns are predictions (sklearn's layout; some texts transpose it).
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._validation import check_1d, check_same_length, check_sample_weight, to_numpy

__all__ = ["UndefinedMetricWarning", "accuracy_score", "top_k_accuracy_score", "confusion_matrix",
           "precision_recall_fscore_support", "precision_score", "recall_score", "f1_score",
           "fbeta_score", "log_loss"]

_AVERAGES = (None, "binary", "micro", "macro", "weighted")


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined (e.g. precision with no predicted positives); sklearn's warning."""


def _weighted_mean(values: np.ndarray, weights: np.ndarray | None, normalize: bool) -> float:
    if normalize:
        return float(np.average(values, weights=weights))
    return float(np.sum(values) if weights is None else np.dot(values, weights))


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: bool = True,
                   sample_weight: Any = None) -> float:
    """Fraction (or count, ``normalize=False``) of samples with y_pred == y_true.

    Args:
        y_true: labels, shape (n_samples,), or a multilabel indicator (n_samples, n_labels)
            (then a sample counts only when every label matches: subset accuracy).
        y_pred: predictions, same shape.
        normalize: return the fraction (True) or the (weighted) count.
        sample_weight: optional (n_samples,) weights.
    """
    yt, yp = to_numpy(y_true, "y_true"), to_numpy(y_pred, "y_pred")
    if yt.shape != yp.shape or yt.ndim not in (1, 2):
        raise ValueError(f"y_true and y_pred: expected equal shapes (n_samples,) or (n_samples, "
                         f"n_labels), got {yt.shape} and {yp.shape}")
    hits = yt == yp if yt.ndim == 1 else np.all(yt == yp, axis=1)
    return _weighted_mean(hits, check_sample_weight(sample_weight, len(hits)), normalize)


def top_k_accuracy_score(y_true: Any, y_score: Any, *, k: int = 2, normalize: bool = True,
                         sample_weight: Any = None, labels: Any = None) -> float:
    """Fraction of samples whose true label is among the k highest scores (sklearn semantics).

    Args:
        y_true: (n_samples,) labels. y_score: (n_samples, n_classes) scores, columns ordered as
            ``labels`` (default: sorted unique y_true); (n_samples,) scores for binary problems.
        k: number of top classes that count as a hit. Default: 2 (sklearn's default).

    Notes:
        Ties are broken like sklearn: a stable ascending argsort reversed, so among equal scores the
        higher class index ranks first.
    """
    yt = check_1d(y_true, "y_true")
    ys = to_numpy(y_score, "y_score", np.float64)
    check_same_length(y_true=yt, y_score=ys)
    classes = np.unique(yt) if labels is None else check_1d(labels, "labels")
    if labels is not None and (len(np.unique(classes)) != len(classes)
                               or not np.array_equal(np.sort(classes), classes)):
        raise ValueError(f"labels: expected unique, sorted labels, got {classes.tolist()}")
    n_classes = ys.shape[1] if ys.ndim == 2 else 2
    if len(classes) != n_classes:
        raise ValueError(f"y_score: has {n_classes} classes but y_true/labels give {len(classes)}")
    if not np.isin(yt, classes).all():
        raise ValueError("y_true: contains labels not in parameter 'labels'")
    encoded = np.searchsorted(classes, yt)
    if ys.ndim == 1:
        threshold = 0.5 if ys.min() >= 0 and ys.max() <= 1 else 0.0
        hits = ((ys > threshold).astype(np.int64) == encoded) if k == 1 else np.ones(len(yt), bool)
    else:
        top = np.argsort(ys, axis=1, kind="mergesort")[:, ::-1][:, :k]  # (n_samples, k)
        hits = (top == encoded[:, None]).any(axis=1)
    return _weighted_mean(hits, check_sample_weight(sample_weight, len(hits)), normalize)


def _labels_of(yt: np.ndarray, yp: np.ndarray, labels: Any) -> np.ndarray:
    if labels is not None:
        lab = check_1d(labels, "labels")
        if lab.size == 0:
            raise ValueError("labels: expected at least one label, got an empty list")
        return lab
    return np.union1d(yt, yp)


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None, sample_weight: Any = None,
                     normalize: str | None = None) -> np.ndarray:
    """C[i, j] = (weighted) number of samples with true label i predicted as label j.

    Args:
        labels: label order of the rows/columns (default: sorted union); samples whose true or
            predicted label is not listed are ignored.
        normalize: None, "true" (rows sum to 1), "pred" (columns sum to 1) or "all".

    Shape:
        returns (n_labels, n_labels); int64 counts unless weighted or normalized (float64).
    """
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"normalize: expected one of 'true', 'pred', 'all', None; got {normalize!r}")
    yt, yp = check_1d(y_true, "y_true"), check_1d(y_pred, "y_pred")
    check_same_length(y_true=yt, y_pred=yp)
    w = check_sample_weight(sample_weight, len(yt))
    lab = _labels_of(yt, yp, labels)
    order = np.argsort(lab, kind="stable")
    sorted_lab = lab[order]
    ti = np.clip(np.searchsorted(sorted_lab, yt), 0, len(lab) - 1)
    pi = np.clip(np.searchsorted(sorted_lab, yp), 0, len(lab) - 1)
    keep = (sorted_lab[ti] == yt) & (sorted_lab[pi] == yp)
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    n = len(lab)
    weights = np.ones(len(yt), np.int64) if w is None else w
    cm = np.bincount(inv[ti[keep]] * n + inv[pi[keep]], weights=weights[keep], minlength=n * n)
    cm = cm.reshape(n, n).astype(np.int64 if w is None else np.float64)
    if normalize is None:
        return cm
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        else:
            cm = cm / cm.sum()
    return np.nan_to_num(cm)


def _divide(num: np.ndarray, den: np.ndarray, zero_division: Any, what: str) -> np.ndarray:
    mask = den == 0
    out = num / np.where(mask, 1.0, den)
    if mask.any():
        out[mask] = 0.0 if isinstance(zero_division, str) else float(zero_division)
        if isinstance(zero_division, str):
            warnings.warn(f"{what} is ill-defined and being set to 0.0 in labels with no "
                          "samples; use `zero_division` to control this", UndefinedMetricWarning,
                          stacklevel=3)
    return out


def _nanaverage(a: np.ndarray, weights: np.ndarray | None) -> float:
    mask = np.isnan(a)
    if a.size == 0 or mask.all():
        return float("nan")
    if weights is None:
        return float(np.mean(a[~mask]))
    w = weights[~mask]
    return float(np.average(a[~mask], weights=w) if w.sum() != 0 else np.mean(a[~mask]))


def _counts(yt, yp, lab, w):
    """Per label: true positives, predicted count, true count (weighted), each shape (n_labels,)."""
    weights = np.ones(len(yt)) if w is None else w
    t = yt[None, :] == lab[:, None]  # (n_labels, n_samples)
    p = yp[None, :] == lab[:, None]
    return (t & p) @ weights, p @ weights, t @ weights


def _check_average(yt, yp, labels, average, pos_label):
    if average not in _AVERAGES:
        raise ValueError(f"average: expected one of {_AVERAGES}, got {average!r}")
    present = np.union1d(yt, yp)
    if average != "binary":
        return _labels_of(yt, yp, labels)
    if len(present) > 2:
        raise ValueError("Target is multiclass but average='binary'. Please choose another "
                         "average setting, one of [None, 'micro', 'macro', 'weighted'].")
    if pos_label not in present and len(present) >= 2:
        raise ValueError(f"pos_label={pos_label!r} is not a valid label. It should be one of "
                         f"{present.tolist()}")
    return np.asarray([pos_label])


def precision_recall_fscore_support(y_true: Any, y_pred: Any, *, beta: float = 1.0,
                                    labels: Any = None, pos_label: Any = 1,
                                    average: str | None = None, sample_weight: Any = None,
                                    zero_division: Any = "warn"):
    """Precision, recall, F-beta and support per label, or averaged (sklearn semantics).

    Args:
        beta: weight of recall in the F-score (beta > 1 favours recall). Default: 1.0.
        labels: labels to report (default: sorted union of y_true and y_pred).
        pos_label: the positive class when ``average="binary"``.
        average: None (per label), "binary", "micro" (global counts), "macro" (unweighted mean
            over labels) or "weighted" (mean weighted by support).
        zero_division: value for 0/0 ("warn" = 0.0 with an UndefinedMetricWarning, 0, 1 or nan;
            nan entries are left out of the averages).

    Returns:
        (precision, recall, fbeta, support): arrays of shape (n_labels,) when ``average`` is None,
        else floats and support None.

    Notes:
        F is computed from counts, (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP), so it is defined
        (and 0) when TP = 0 but FP or FN is not; only TP = FP = FN = 0 is a zero division.
        Multilabel indicator input (n_samples, n_labels) is supported, with average="samples"
        (per-sample scores averaged over samples) as in sklearn.
    """
    if not (isinstance(zero_division, str) and zero_division == "warn") and not (
            isinstance(zero_division, (int, float)) and (zero_division in (0, 1)
                                                          or np.isnan(zero_division))):
        raise ValueError(f"zero_division: expected 'warn', 0, 1 or nan, got {zero_division!r}")
    if beta < 0:
        raise ValueError(f"beta: expected a non-negative number, got {beta}")
    if np.ndim(y_true) == 2 or np.ndim(y_pred) == 2:
        yt, yp, w, cols = _multilabel_inputs(y_true, y_pred, labels, average, sample_weight)
        tp, pred_sum, true_sum = _multilabel_counts(yt, yp, w, average)
        if average == "samples":
            average = "samples_mean"
    else:
        yt, yp = check_1d(y_true, "y_true"), check_1d(y_pred, "y_pred")
        check_same_length(y_true=yt, y_pred=yp)
        w = check_sample_weight(sample_weight, len(yt))
        lab = _check_average(yt, yp, labels, average, pos_label)
        tp, pred_sum, true_sum = _counts(yt, yp, lab, w)
    if average == "micro":
        tp, pred_sum, true_sum = tp.sum(keepdims=True), pred_sum.sum(keepdims=True), true_sum.sum(
            keepdims=True)
    precision = _divide(tp, pred_sum, zero_division, "Precision")
    recall = _divide(tp, true_sum, zero_division, "Recall")
    if np.isposinf(beta):
        f = recall
    elif beta == 0:
        f = precision
    else:
        b2 = beta ** 2
        f = _divide((1 + b2) * tp, b2 * true_sum + pred_sum, zero_division, "F-score")
    if average is None:
        support = true_sum if w is not None else true_sum.astype(np.int64)
        return precision, recall, f, support
    weights = true_sum if average == "weighted" else (w if average == "samples_mean" else None)
    return _nanaverage(precision, weights), _nanaverage(recall, weights), _nanaverage(f, weights), None


def _multilabel_inputs(y_true: Any, y_pred: Any, labels: Any, average: Any, sample_weight: Any):
    """Validate multilabel indicator matrices (n_samples, n_labels) of 0/1."""
    yt, yp = np.asarray(y_true), np.asarray(y_pred)
    if yt.ndim != 2 or yp.shape != yt.shape:
        raise ValueError(f"multilabel y_true and y_pred must both be (n_samples, n_labels) "
                         f"indicator matrices, got shapes {yt.shape} and {yp.shape}")
    for name, a in (("y_true", yt), ("y_pred", yp)):
        if not np.isin(a, (0, 1)).all():
            raise ValueError(f"{name}: multilabel indicators must contain only 0 and 1")
    if average not in (None, "micro", "macro", "weighted", "samples", "binary"):
        raise ValueError(f"average: expected one of None, 'micro', 'macro', 'weighted', 'samples', "
                         f"got {average!r}")
    if average == "binary":
        raise ValueError("Target is multilabel-indicator but average='binary'. Please choose "
                         "another average setting, one of [None, 'micro', 'macro', 'weighted', "
                         "'samples'].")
    cols = np.arange(yt.shape[1]) if labels is None else np.asarray(labels, dtype=np.int64)
    w = check_sample_weight(sample_weight, len(yt))
    return yt[:, cols].astype(bool), yp[:, cols].astype(bool), w, cols


def _multilabel_counts(yt: np.ndarray, yp: np.ndarray, w: Any, average: Any):
    """Per label (columns) or, for average="samples", per sample (rows): tp, predicted, true."""
    weights = np.ones(len(yt)) if w is None else w
    if average == "samples":
        return (yt & yp).sum(1).astype(float), yp.sum(1).astype(float), yt.sum(1).astype(float)
    return (yt & yp).T @ weights, yp.T @ weights, yt.T @ weights


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                    sample_weight=None, zero_division="warn"):
    """TP / (TP + FP); see precision_recall_fscore_support for the arguments."""
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label,
                                           average=average, sample_weight=sample_weight,
                                           zero_division=zero_division)[0]


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                 sample_weight=None, zero_division="warn"):
    """TP / (TP + FN); see precision_recall_fscore_support for the arguments."""
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label,
                                           average=average, sample_weight=sample_weight,
                                           zero_division=zero_division)[1]


def fbeta_score(y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary",
                sample_weight=None, zero_division="warn"):
    """(1 + b^2) P R / (b^2 P + R); see precision_recall_fscore_support for the arguments."""
    return precision_recall_fscore_support(y_true, y_pred, beta=beta, labels=labels,
                                           pos_label=pos_label, average=average,
                                           sample_weight=sample_weight,
                                           zero_division=zero_division)[2]


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
             zero_division="warn"):
    """2 P R / (P + R), the harmonic mean of precision and recall (fbeta_score with beta = 1)."""
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label,
                       average=average, sample_weight=sample_weight, zero_division=zero_division)


def log_loss(y_true: Any, y_proba: Any, *, normalize: bool = True, sample_weight: Any = None,
             labels: Any = None) -> float:
    """Cross-entropy -mean_i sum_c 1[y_i = c] * log(p_ic), probabilities clipped to [eps, 1-eps].

    Args:
        y_true: (n_samples,) labels. y_proba: (n_samples, n_classes) probabilities with columns in
            sorted label order, or (n_samples,) probability of the positive (larger) label.
        labels: all class labels (needed when y_true misses some classes).

    Notes:
        eps is the machine epsilon of y_proba's dtype, as in sklearn >= 1.5. Rows that do not sum
        to 1 are used as given (sklearn only warns).
    """
    yt = check_1d(y_true, "y_true")
    p = to_numpy(y_proba, "y_proba")
    p = p.astype(np.float64) if p.dtype.kind != "f" else p
    check_same_length(y_true=yt, y_proba=p)
    if p.size and (p.max() > 1 or p.min() < 0):
        raise ValueError(f"y_proba: expected probabilities in [0, 1], got range [{p.min()}, {p.max()}]")
    classes = np.unique(yt) if labels is None else np.unique(check_1d(labels, "labels"))
    if len(classes) < 2:
        raise ValueError(f"y_true contains only one label ({classes.tolist()}). Please provide "
                         "the list of all expected class labels through the labels argument.")
    if not np.isin(yt, classes).all():
        raise ValueError("y_true: contains labels not in parameter 'labels'")
    if p.ndim == 1:
        p = p[:, None]
    if p.shape[1] == 1:
        p = np.concatenate([1 - p, p], axis=1)
    if p.shape[1] != len(classes):
        raise ValueError(f"y_proba: has {p.shape[1]} columns but there are {len(classes)} classes")
    eps = np.finfo(p.dtype).eps
    p = np.clip(p, eps, 1 - eps)
    loss = -np.log(p[np.arange(len(yt)), np.searchsorted(classes, yt)])
    return _weighted_mean(loss, check_sample_weight(sample_weight, len(yt)), normalize)
