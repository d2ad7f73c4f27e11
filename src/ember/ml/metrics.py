"""Pairwise distances and the clustering scores the classical-ML claims use (TOPICS.md 1.23).

``silhouette_samples`` / ``silhouette_score`` and ``adjusted_rand_score`` follow scikit-learn's
definitions (singleton clusters score 0; ARI is the Hubert-Arabie adjusted index).
"""

from __future__ import annotations

import numpy as np

from ._base import check_array

__all__ = [
    "euclidean_distances",
    "pairwise_distances",
    "silhouette_samples",
    "silhouette_score",
    "adjusted_rand_score",
    "accuracy_score",
]


def euclidean_distances(X, Y=None, squared: bool = False) -> np.ndarray:
    """D[i, j] = ||X[i] - Y[j]|| via ||x||^2 - 2 x.y + ||y||^2 (clipped at 0). Shape (n_x, n_y)."""
    X = np.asarray(X, dtype=np.float64)
    Y = X if Y is None else np.asarray(Y, dtype=np.float64)
    d2 = (
        np.einsum("ij,ij->i", X, X)[:, None]
        - 2.0 * (X @ Y.T)
        + np.einsum("ij,ij->i", Y, Y)[None, :]
    )
    np.maximum(d2, 0.0, out=d2)
    if Y is X:
        np.fill_diagonal(d2, 0.0)
    return d2 if squared else np.sqrt(d2)


def pairwise_distances(X, Y=None, metric: str = "euclidean", p: float = 2.0) -> np.ndarray:
    """Distances under ``metric`` in {"euclidean", "sqeuclidean", "manhattan", "chebyshev",
    "minkowski" (with ``p``), "cosine"}. Shape (n_x, n_y).
    """
    X = np.asarray(X, dtype=np.float64)
    Y = X if Y is None else np.asarray(Y, dtype=np.float64)
    if metric == "minkowski" and p == 2 or metric == "euclidean":
        return euclidean_distances(X, Y)
    if metric == "sqeuclidean":
        return euclidean_distances(X, Y, squared=True)
    if metric == "cosine":
        nx = np.linalg.norm(X, axis=1, keepdims=True)
        ny = np.linalg.norm(Y, axis=1, keepdims=True)
        sim = (X / np.where(nx == 0, 1, nx)) @ (Y / np.where(ny == 0, 1, ny)).T
        return np.clip(1.0 - sim, 0.0, 2.0)
    diff = np.abs(X[:, None, :] - Y[None, :, :])  # (n_x, n_y, d)
    if metric in ("manhattan", "cityblock") or (metric == "minkowski" and p == 1):
        return diff.sum(-1)
    if metric == "chebyshev" or (metric == "minkowski" and np.isinf(p)):
        return diff.max(-1)
    if metric == "minkowski":
        if p <= 0:
            raise ValueError(f"p must be > 0 for the minkowski metric, got {p}")
        return (diff**p).sum(-1) ** (1.0 / p)
    raise ValueError(
        f"metric must be one of 'euclidean', 'sqeuclidean', 'manhattan', 'chebyshev', "
        f"'minkowski', 'cosine'; got {metric!r}"
    )


def silhouette_samples(X, labels, metric: str = "euclidean") -> np.ndarray:
    """s_i = (b_i - a_i) / max(a_i, b_i); a = mean distance to the own cluster (excluding i),
    b = smallest mean distance to another cluster; s = 0 for points in singleton clusters. Shape (n,).
    """
    X = check_array(X)
    labels = np.asarray(labels)
    uniq, lab = np.unique(labels, return_inverse=True)
    n, k = len(X), len(uniq)
    if not 2 <= k <= n - 1:
        raise ValueError(
            f"Number of labels is {k}. Valid values are 2 to n_samples - 1 (inclusive)"
        )
    D = pairwise_distances(X, metric=metric)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), lab] = 1.0
    sums = D @ onehot  # (n, k): total distance from each point to each cluster
    counts = onehot.sum(0)
    own = counts[lab] - 1
    a = sums[np.arange(n), lab] / np.maximum(own, 1)
    mean_other = sums / counts
    mean_other[np.arange(n), lab] = np.inf
    b = mean_other.min(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (b - a) / np.maximum(a, b)
    return np.where(own > 0, np.nan_to_num(s), 0.0)


def silhouette_score(X, labels, metric: str = "euclidean") -> float:
    """Mean silhouette coefficient over all samples (used to choose K, claim C155)."""
    return float(np.mean(silhouette_samples(X, labels, metric=metric)))


def adjusted_rand_score(labels_true, labels_pred) -> float:
    """ARI = (RI - E[RI]) / (max RI - E[RI]) from the contingency table (1.0 = same partition)."""
    _, a = np.unique(np.asarray(labels_true), return_inverse=True)
    _, b = np.unique(np.asarray(labels_pred), return_inverse=True)
    n = len(a)
    if len(b) != n:
        raise ValueError(f"labels_true and labels_pred differ in length: {n} != {len(b)}")
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)
    comb = lambda x: x * (x - 1) / 2.0  # noqa: E731
    sum_ij = comb(table).sum()
    sum_a, sum_b = comb(table.sum(1)).sum(), comb(table.sum(0)).sum()
    expected = sum_a * sum_b / comb(n) if n > 1 else 0.0
    max_index = 0.5 * (sum_a + sum_b)
    if max_index == expected:
        return 1.0
    return float((sum_ij - expected) / (max_index - expected))


def accuracy_score(y_true, y_pred) -> float:
    """Fraction of exactly matching labels."""
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))
