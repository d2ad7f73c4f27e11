"""Stateful metric accumulators for training loops: ``update`` per batch, ``compute``, ``reset``.

The torchmetrics pattern: a metric owns named states, each reduced across batches by "sum" (counts,
sums, confusion matrices) or "cat" (scores kept for AUROC/AP). ``m(batch...)`` updates the running
state and returns the metric of that batch alone; ``compute()`` gives the value over all batches
since the last ``reset()`` and equals the functional metric on the concatenated data.
"""
from __future__ import annotations

import abc
from typing import Any

import numpy as np

from ._validation import check_1d, to_numpy
from .classification import confusion_matrix
from .curves import average_precision_score, roc_auc_score

__all__ = ["Metric", "MeanMetric", "Accuracy", "ConfusionMatrix", "Precision", "Recall",
           "F1Score", "MeanSquaredError", "MeanAbsoluteError", "AUROC", "AveragePrecision"]


class Metric(abc.ABC):
    """Base class: subclasses declare ``_states = {name: (default, "sum" | "cat")}``."""

    _states: dict[str, tuple[Any, str]] = {}

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Restore every state to its default (start of an epoch)."""
        for name, (default, _) in self._states.items():
            setattr(self, name, [] if _ == "cat" else np.array(default, dtype=np.float64))

    @abc.abstractmethod
    def update(self, *args: Any) -> None:
        """Accumulate one batch."""

    @abc.abstractmethod
    def compute(self) -> Any:
        """The metric over everything accumulated since the last reset."""

    def __call__(self, *args: Any) -> Any:
        saved = {n: getattr(self, n) for n in self._states}
        self.reset()
        self.update(*args)
        batch_value = self.compute()
        for name in self._states:  # lists concatenate ("cat"), arrays add ("sum")
            setattr(self, name, saved[name] + getattr(self, name))
        return batch_value

    def _cat(self, name: str) -> np.ndarray:
        parts = getattr(self, name)
        if not parts:
            raise RuntimeError(f"{type(self).__name__}.compute() called before any update()")
        return np.concatenate(parts)


class MeanMetric(Metric):
    """Weighted running mean of values: sum(w * x) / sum(w)."""

    _states = {"total": (0.0, "sum"), "weight": (0.0, "sum")}

    def update(self, value: Any, weight: Any = 1.0) -> None:
        v = to_numpy(value, "value", np.float64)
        w = np.broadcast_to(to_numpy(weight, "weight", np.float64), v.shape)
        self.total = self.total + np.sum(v * w)
        self.weight = self.weight + np.sum(w)

    def compute(self) -> float:
        return float(self.total / self.weight) if self.weight else float("nan")


def _labels_from(preds: Any) -> np.ndarray:
    p = to_numpy(preds, "preds")
    return np.argmax(p, axis=1) if p.ndim == 2 else p


class Accuracy(Metric):
    """Running (top-k) accuracy. ``update(preds, target)``: preds (N,) labels or (N, C) scores.

    Args:
        top_k: a sample is correct when its target is among the k highest scores (needs (N, C)).
    """

    _states = {"correct": (0.0, "sum"), "total": (0.0, "sum")}

    def __init__(self, top_k: int = 1) -> None:
        if not isinstance(top_k, int) or top_k < 1:
            raise ValueError(f"top_k: expected a positive integer, got {top_k!r}")
        self.top_k = top_k
        super().__init__()

    def update(self, preds: Any, target: Any) -> None:
        p, t = to_numpy(preds, "preds"), check_1d(target, "target")
        if len(p) != len(t):
            raise ValueError(f"preds and target: lengths differ, {len(p)} vs {len(t)}")
        if p.ndim == 2:
            top = np.argsort(-p, axis=1, kind="stable")[:, :self.top_k]  # (N, k)
            hits = (top == t[:, None]).any(axis=1)
        elif self.top_k == 1:
            hits = p == t
        else:
            raise ValueError(f"preds: top_k={self.top_k} needs (N, C) scores, got shape {p.shape}")
        self.correct = self.correct + hits.sum()
        self.total = self.total + len(t)

    def compute(self) -> float:
        return float(self.correct / self.total) if self.total else float("nan")


class ConfusionMatrix(Metric):
    """Running confusion matrix over labels 0..num_classes-1 (rows true, columns predicted).

    Args:
        num_classes: C. normalize: None, "true", "pred" or "all" (applied in ``compute``).
    """

    def __init__(self, num_classes: int, normalize: str | None = None) -> None:
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes: expected an integer >= 2, got {num_classes!r}")
        if normalize not in (None, "true", "pred", "all"):
            raise ValueError(f"normalize: expected None, 'true', 'pred' or 'all', got {normalize!r}")
        self.num_classes, self.normalize = num_classes, normalize
        self._states = {"confmat": (np.zeros((num_classes, num_classes)), "sum")}
        super().__init__()

    def update(self, preds: Any, target: Any) -> None:
        p, t = _labels_from(preds), check_1d(target, "target")
        for name, lab in (("preds", p), ("target", t)):
            if lab.size and (lab.min() < 0 or lab.max() >= self.num_classes):
                raise ValueError(f"{name}: labels must lie in [0, {self.num_classes}), got range "
                                 f"[{lab.min()}, {lab.max()}]")
        self.confmat = self.confmat + confusion_matrix(t, p, labels=np.arange(self.num_classes))

    def compute(self) -> np.ndarray:
        cm = self.confmat
        if self.normalize is None:
            return cm.astype(np.int64)
        axis = {"true": 1, "pred": 0, "all": None}[self.normalize]
        with np.errstate(all="ignore"):
            return np.nan_to_num(cm / cm.sum(axis=axis, keepdims=axis is not None))


class _FromConfusion(ConfusionMatrix):
    """Precision / recall / F-beta from the running confusion matrix (0/0 -> ``zero_division``)."""

    beta = 1.0

    def __init__(self, num_classes: int, average: str | None = "macro",
                 zero_division: float = 0.0) -> None:
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(f"average: expected None, 'micro', 'macro' or 'weighted', got {average!r}")
        self.average, self.zero_division = average, zero_division
        super().__init__(num_classes)

    def _select(self, p: np.ndarray, r: np.ndarray, f: np.ndarray) -> np.ndarray:
        return f

    def compute(self) -> Any:
        cm = self.confmat
        tp, pred, true = np.diag(cm), cm.sum(axis=0), cm.sum(axis=1)
        if self.average == "micro":
            tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
        b2 = self.beta ** 2

        def div(a, b):
            return np.where(b == 0, self.zero_division, a / np.where(b == 0, 1.0, b))

        value = self._select(div(tp, pred), div(tp, true), div((1 + b2) * tp, b2 * true + pred))
        if self.average is None:
            return value
        return float(np.average(value, weights=true if self.average == "weighted" else None))


class Precision(_FromConfusion):
    """Running precision TP / (TP + FP); ``average`` as in ``precision_score``."""

    def _select(self, p, r, f):
        return p


class Recall(_FromConfusion):
    """Running recall TP / (TP + FN); ``average`` as in ``recall_score``."""

    def _select(self, p, r, f):
        return r


class F1Score(_FromConfusion):
    """Running F1 = 2 TP / (2 TP + FP + FN); ``average`` as in ``f1_score``."""


class _ErrorMean(Metric):
    _states = {"total": (0.0, "sum"), "count": (0.0, "sum")}

    def _err(self, d: np.ndarray) -> np.ndarray:
        return d ** 2

    def update(self, preds: Any, target: Any) -> None:
        p, t = to_numpy(preds, "preds", np.float64), to_numpy(target, "target", np.float64)
        if p.shape != t.shape:
            raise ValueError(f"preds and target: shapes differ, {p.shape} vs {t.shape}")
        self.total = self.total + self._err(p - t).sum()
        self.count = self.count + p.size

    def compute(self) -> float:
        return float(self.total / self.count) if self.count else float("nan")


class MeanSquaredError(_ErrorMean):
    """Running mean of (preds - target)^2 over all elements."""


class MeanAbsoluteError(_ErrorMean):
    """Running mean of |preds - target| over all elements."""

    def _err(self, d: np.ndarray) -> np.ndarray:
        return np.abs(d)


class _Ranked(Metric):
    _states = {"scores": (None, "cat"), "targets": (None, "cat")}

    def update(self, preds: Any, target: Any) -> None:
        s, t = to_numpy(preds, "preds", np.float64), to_numpy(target, "target")
        if len(s) != len(t):
            raise ValueError(f"preds and target: lengths differ, {len(s)} vs {len(t)}")
        self.scores = self.scores + [s]
        self.targets = self.targets + [t]


class AUROC(_Ranked):
    """ROC AUC over all accumulated scores (binary (N,) or multiclass (N, C) one-vs-rest macro)."""

    def compute(self) -> float:
        s, t = self._cat("scores"), self._cat("targets")
        return float(roc_auc_score(t, s, multi_class="ovr"))


class AveragePrecision(_Ranked):
    """sklearn's step AP over all accumulated scores (binary, or multiclass (N, C) macro)."""

    def compute(self) -> float:
        return float(average_precision_score(self._cat("targets"), self._cat("scores")))
