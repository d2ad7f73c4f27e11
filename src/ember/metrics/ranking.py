"""Ranking / retrieval metrics: CG, DCG, NDCG (sklearn), MRR, HitRate@k, Precision@k, Recall@k, MAP@k.

Inputs follow sklearn's ``ndcg_score`` layout: ``y_true`` (n_queries, n_items) relevance grades
(or 0/1 relevance) and ``y_score`` (n_queries, n_items) scores; each row is one query, ranked by
decreasing score.

* CG@k = sum_{i<=k} rel_i (ignores order); DCG@k = sum_{i<=k} g(rel_i) / log2(i + 1) with the
  linear gain g(r) = r (sklearn's) or the exponential gain g(r) = 2^r - 1 (Burges et al.);
  IDCG@k = DCG@k of the ideal ordering; NDCG@k = DCG@k / IDCG@k in [0, 1] (0 when IDCG = 0).
* MRR = mean_q 1 / rank of the first relevant item; HitRate@k = mean_q 1[a relevant item in the
  top k]; Precision@k = hits in top k / k; Recall@k = hits in top k / n_relevant;
  AP@k = sum_{i<=k} P@i * rel_i / min(k, n_relevant) (ml_metrics' apk), MAP@k = mean_q AP@k.

Notes:
    Ties in ``y_score``: CG/DCG/NDCG average the gain over tied items (sklearn's default,
    ``ignore_ties=False``); the binary metrics (MRR, @k) use a stable sort, so among equal scores the
    item with the smaller index ranks first. Queries without any relevant item score 0 by default
    (torchmetrics' ``empty_target_action="neg"``); "pos" scores them 1 and "skip" drops them.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import check_finite, check_sample_weight, to_numpy

__all__ = ["cumulative_gain", "dcg_score", "ndcg_score", "mean_reciprocal_rank", "hit_rate_at_k",
           "precision_at_k", "recall_at_k", "average_precision_at_k",
           "mean_average_precision_at_k"]


def _check_pair(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray]:
    yt = to_numpy(y_true, "y_true", np.float64)
    ys = to_numpy(y_score, "y_score", np.float64)
    if yt.ndim == 1:
        yt, ys = yt[None, :], ys.reshape(1, -1)
    if yt.ndim != 2 or yt.shape != ys.shape:
        raise ValueError(f"y_true and y_score: expected equal shapes (n_queries, n_items), got "
                         f"{yt.shape} and {ys.shape}")
    check_finite(yt, "y_true")
    check_finite(ys, "y_score")
    if yt.size and yt.min() < 0:
        raise ValueError(f"y_true: expected non-negative relevance, got minimum {yt.min()}")
    return yt, ys


def _check_k(k: Any, allow_none: bool = True) -> None:
    if k is None and allow_none:
        return
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k: expected a positive integer, got {k!r}")


def _tie_averaged(gains: np.ndarray, score: np.ndarray, discount_cumsum: np.ndarray) -> float:
    """sum over groups of tied scores: mean gain of the group * sum of the group's discounts."""
    _, inv, counts = np.unique(-score, return_inverse=True, return_counts=True)
    ranked = np.zeros(len(counts))
    np.add.at(ranked, inv, gains)
    ranked /= counts
    ends = np.cumsum(counts) - 1
    group_discount = np.diff(np.r_[0.0, discount_cumsum[ends]])
    return float((ranked * group_discount).sum())


def _dcg_rows(gains: np.ndarray, ys: np.ndarray, discount: np.ndarray,
              ignore_ties: bool) -> np.ndarray:
    if ignore_ties:
        ranking = np.argsort(ys, axis=1)[:, ::-1]  # sklearn's (unstable reversed) order
        return (np.take_along_axis(gains, ranking, axis=1) * discount).sum(axis=1)
    csum = np.cumsum(discount)
    return np.array([_tie_averaged(g, s, csum) for g, s in zip(gains, ys)])


def _gains(yt: np.ndarray, gain: str) -> np.ndarray:
    if gain == "linear":
        return yt
    if gain == "exponential":
        return np.exp2(yt) - 1.0
    raise ValueError(f"gain: expected 'linear' or 'exponential', got {gain!r}")


def _discount(n: int, k: int | None, log_base: float) -> np.ndarray:
    discount = 1.0 / (np.log(np.arange(n) + 2) / np.log(log_base))
    if k is not None:
        discount[k:] = 0
    return discount


def cumulative_gain(y_true: Any, y_score: Any, *, k: int | None = None,
                    sample_weight: Any = None) -> float:
    """Mean over queries of CG@k = sum of the relevances of the top-k items (order inside ignored)."""
    _check_k(k)
    yt, ys = _check_pair(y_true, y_score)
    disc = np.ones(yt.shape[1])
    if k is not None:
        disc[k:] = 0
    cg = _dcg_rows(yt, ys, disc, ignore_ties=False)
    return float(np.average(cg, weights=check_sample_weight(sample_weight, len(cg))))


def dcg_score(y_true: Any, y_score: Any, *, k: int | None = None, log_base: float = 2,
              sample_weight: Any = None, ignore_ties: bool = False, gain: str = "linear") -> float:
    """Mean over queries of DCG@k = sum_{i<=k} g(rel_i) / log_base(i + 1) (sklearn's dcg_score).

    Args:
        k: only the top k positions count (None = all). log_base: base of the discount log.
        ignore_ties: True ranks tied scores arbitrarily (faster); False averages their gains.
        gain: "linear" (g(r) = r, sklearn) or "exponential" (g(r) = 2^r - 1). Ember extension.
    """
    _check_k(k)
    yt, ys = _check_pair(y_true, y_score)
    dcg = _dcg_rows(_gains(yt, gain), ys, _discount(yt.shape[1], k, log_base), ignore_ties)
    return float(np.average(dcg, weights=check_sample_weight(sample_weight, len(dcg))))


def ndcg_score(y_true: Any, y_score: Any, *, k: int | None = None, sample_weight: Any = None,
               ignore_ties: bool = False, gain: str = "linear") -> float:
    """Mean over queries of NDCG@k = DCG@k / IDCG@k (queries with IDCG = 0 score 0), sklearn's.

    Args: as ``dcg_score``; the discount is log2.

    Notes:
        sklearn requires at least 2 items per query; so does ember.
    """
    _check_k(k)
    yt, ys = _check_pair(y_true, y_score)
    if yt.shape[1] <= 1:
        raise ValueError(f"Computing NDCG is only meaningful when there is more than 1 document. "
                         f"Got {yt.shape[1]} instead.")
    g, disc = _gains(yt, gain), _discount(yt.shape[1], k, 2)
    dcg = _dcg_rows(g, ys, disc, ignore_ties)
    ideal = _dcg_rows(g, yt, disc, ignore_ties=True)
    out = np.where(ideal == 0, 0.0, dcg / np.where(ideal == 0, 1.0, ideal))
    return float(np.average(out, weights=check_sample_weight(sample_weight, len(out))))


def _ranked_relevance(y_true: Any, y_score: Any) -> np.ndarray:
    """Binary relevance (rel > 0) of each query's items in ranked order, (n_queries, n_items)."""
    yt, ys = _check_pair(y_true, y_score)
    order = np.argsort(-ys, axis=1, kind="stable")
    return np.take_along_axis(yt > 0, order, axis=1)


def _reduce(values: np.ndarray, rel: np.ndarray, empty_target_action: str) -> float:
    has_rel = rel.any(axis=1)
    if empty_target_action == "neg":
        values = np.where(has_rel, values, 0.0)
    elif empty_target_action == "pos":
        values = np.where(has_rel, values, 1.0)
    elif empty_target_action == "skip":
        values = values[has_rel]
    else:
        raise ValueError(f"empty_target_action: expected 'neg', 'pos' or 'skip', got "
                         f"{empty_target_action!r}")
    return float(values.mean()) if values.size else 0.0


def mean_reciprocal_rank(y_true: Any, y_score: Any, *, empty_target_action: str = "neg") -> float:
    """MRR = mean over queries of 1 / (rank of the first relevant item); only that item matters."""
    rel = _ranked_relevance(y_true, y_score)
    first = np.argmax(rel, axis=1)
    return _reduce(1.0 / (first + 1.0), rel, empty_target_action)


def hit_rate_at_k(y_true: Any, y_score: Any, k: int, *, empty_target_action: str = "neg") -> float:
    """HitRate@k = (1/n) sum_q 1[at least one relevant item among the top k]."""
    _check_k(k, allow_none=False)
    rel = _ranked_relevance(y_true, y_score)
    return _reduce(rel[:, :k].any(axis=1).astype(np.float64), rel, empty_target_action)


def precision_at_k(y_true: Any, y_score: Any, k: int, *, empty_target_action: str = "neg") -> float:
    """Precision@k = mean_q (relevant items among the top k) / k (k is not shrunk to n_items)."""
    _check_k(k, allow_none=False)
    rel = _ranked_relevance(y_true, y_score)
    return _reduce(rel[:, :k].sum(axis=1) / k, rel, empty_target_action)


def recall_at_k(y_true: Any, y_score: Any, k: int, *, empty_target_action: str = "neg") -> float:
    """Recall@k = mean_q (relevant items among the top k) / (relevant items of the query)."""
    _check_k(k, allow_none=False)
    rel = _ranked_relevance(y_true, y_score)
    n_rel = np.maximum(rel.sum(axis=1), 1)
    return _reduce(rel[:, :k].sum(axis=1) / n_rel, rel, empty_target_action)


def average_precision_at_k(y_true: Any, y_score: Any, k: int | None = None) -> np.ndarray:
    """Per-query AP@k = sum_{i<=k} P@i * rel_i / min(k, n_relevant), shape (n_queries,).

    Queries with no relevant item get 0. k = None uses all items (then AP = sklearn's
    ``label_ranking_average_precision_score`` per row when scores have no ties).
    """
    _check_k(k)
    rel = _ranked_relevance(y_true, y_score)
    top = rel if k is None else rel[:, :k]
    hits = np.cumsum(top, axis=1)
    prec_at_i = hits / np.arange(1, top.shape[1] + 1)
    n_rel = rel.sum(axis=1)
    denom = np.minimum(n_rel, top.shape[1] if k is None else k)
    return np.where(n_rel > 0, (prec_at_i * top).sum(axis=1) / np.maximum(denom, 1), 0.0)


def mean_average_precision_at_k(y_true: Any, y_score: Any, k: int | None = None, *,
                                empty_target_action: str = "neg") -> float:
    """MAP@k = mean over queries of ``average_precision_at_k``."""
    ap = average_precision_at_k(y_true, y_score, k)
    return _reduce(ap, _ranked_relevance(y_true, y_score), empty_target_action)
