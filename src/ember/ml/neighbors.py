"""k-nearest-neighbour classification and regression, brute force or KD-tree (TOPICS.md 1.23, C159).

KNN is lazy: ``fit`` stores the data (and builds the tree); ``predict`` votes (or averages) over the
k nearest training points. It is sensitive to feature scales (standardise first) and degrades in
high dimension, where distances concentrate (E49; claim C159).
"""

from __future__ import annotations

import numpy as np

from ._base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_positive_int,
    check_X_y,
)
from .metrics import pairwise_distances

__all__ = ["KDTree", "KNeighborsClassifier", "KNeighborsRegressor"]

_CHUNK = 2**22  # distance-matrix entries per chunk (32 MiB in float64)


def _merge_topk(best_d, best_i, d, idx, k):
    """Merge candidate distances d (m, c) / indices idx (m, c) into the running top-k lists."""
    all_d = np.concatenate([best_d, d], axis=1)
    all_i = np.concatenate([best_i, idx], axis=1)
    order = np.argsort(all_d, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(all_d, order, 1), np.take_along_axis(all_i, order, 1)


class KDTree:
    """Axis-aligned KD-tree with leaves of <= ``leaf_size`` points; exact k-NN queries.

    Queries are answered for all points at once: leaves are visited in order of their box lower
    bound per query, and a leaf is scanned only for the queries whose current k-th distance exceeds
    that bound (Python loops run over leaves, never over samples). Minkowski distance of order p.
    """

    def __init__(self, X, leaf_size: int = 40, p: float = 2.0):
        self.data = check_array(X)
        self.leaf_size = check_positive_int(leaf_size, "leaf_size")
        self.p = float(p)
        leaves = []
        stack = [np.arange(len(self.data))]
        while stack:
            idx = stack.pop()
            if len(idx) <= self.leaf_size:
                leaves.append(idx)
                continue
            pts = self.data[idx]
            dim = int(np.argmax(pts.max(0) - pts.min(0)))
            order = np.argsort(pts[:, dim], kind="stable")
            half = len(idx) // 2
            stack += [idx[order[half:]], idx[order[:half]]]
        self.leaves = leaves
        self.lo = np.stack([self.data[l].min(0) for l in leaves])  # (L, d)
        self.hi = np.stack([self.data[l].max(0) for l in leaves])

    def _dist(self, A, B):
        diff = np.abs(A[:, None, :] - B[None, :, :])
        if self.p == 2:
            return np.sqrt((diff * diff).sum(-1))
        return diff.max(-1) if np.isinf(self.p) else (diff**self.p).sum(-1) ** (1 / self.p)

    def query(self, X, k: int = 1):
        """(distances (m, k), indices (m, k)) of the k nearest stored points, nearest first."""
        X = check_array(X)
        m = len(X)
        gap = np.maximum(
            0, np.maximum(self.lo[None] - X[:, None], X[:, None] - self.hi[None])
        )  # (m, L, d)
        lb = (
            np.sqrt((gap**2).sum(-1))
            if self.p == 2
            else (gap.max(-1) if np.isinf(self.p) else (gap**self.p).sum(-1) ** (1 / self.p))
        )
        order = np.argsort(lb, axis=1)
        best_d, best_i = np.full((m, k), np.inf), np.full((m, k), -1)
        for r in range(len(self.leaves)):
            leaf = order[:, r]
            active = lb[np.arange(m), leaf] <= best_d[:, -1]
            if not active.any():
                break
            for L in np.unique(leaf[active]):
                q = np.flatnonzero(active & (leaf == L))
                pts = self.leaves[L]
                d = self._dist(X[q], self.data[pts])
                best_d[q], best_i[q] = _merge_topk(
                    best_d[q], best_i[q], d, np.broadcast_to(pts, d.shape), k
                )
        return best_d, best_i


class _KNeighborsBase(BaseEstimator):
    def __init__(
        self,
        n_neighbors=5,
        *,
        weights="uniform",
        algorithm="auto",
        leaf_size=30,
        p=2,
        metric="minkowski",
    ):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric

    def _fit(self, X):
        if self.algorithm not in ("auto", "brute", "kd_tree"):
            raise ValueError(
                f"algorithm must be 'auto', 'brute' or 'kd_tree', got {self.algorithm!r}"
            )
        if self.weights not in ("uniform", "distance") and not callable(self.weights):
            raise ValueError(
                f"weights must be 'uniform', 'distance' or a callable, got {self.weights!r}"
            )
        check_positive_int(self.n_neighbors, "n_neighbors")
        self._p = {"euclidean": 2.0, "manhattan": 1.0, "chebyshev": np.inf}.get(
            self.metric, float(self.p)
        )
        tree_ok = (
            self.metric in ("minkowski", "euclidean", "manhattan", "chebyshev") and self._p >= 1
        )
        if self.algorithm == "kd_tree" and not tree_ok:
            raise ValueError(f"metric {self.metric!r} is not valid for algorithm 'kd_tree'")
        use_tree = self.algorithm == "kd_tree" or (
            self.algorithm == "auto" and tree_ok and X.shape[1] <= 15 and len(X) > 1000
        )
        self._fit_X = X
        self._fit_sq = np.einsum("ij,ij->i", X, X)
        self._tree = KDTree(X, self.leaf_size, self._p) if use_tree else None
        self._fit_method = "kd_tree" if use_tree else "brute"
        self.n_features_in_ = X.shape[1]
        self.n_samples_fit_ = len(X)

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Distances and indices of the k nearest training points, each (m, k), nearest first.

        With ``X=None`` the neighbours of the training points themselves, excluding each point.
        """
        check_is_fitted(self, "_fit_X")
        k = check_positive_int(
            self.n_neighbors if n_neighbors is None else n_neighbors, "n_neighbors"
        )
        query_is_train = X is None
        X = self._fit_X if query_is_train else check_array(X)
        check_n_features(self, X)
        kk = k + int(query_is_train)
        if kk > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {kk}, "
                f"n_samples_fit = {self.n_samples_fit_}, n_samples = {len(X)}"
            )
        if self._tree is not None:
            dist, ind = self._tree.query(X, kk)
        else:
            rows = max(1, _CHUNK // self.n_samples_fit_)
            parts = []
            for s in range(0, len(X), rows):
                D, finish = self._brute_dist(X[s : s + rows])
                part = (
                    np.argpartition(D, kk - 1, axis=1)[:, :kk]
                    if kk < D.shape[1]
                    else np.tile(np.arange(D.shape[1]), (len(D), 1))
                )
                pd = finish(np.take_along_axis(D, part, 1), X[s : s + rows])
                o = np.argsort(pd, axis=1, kind="stable")
                parts.append((np.take_along_axis(pd, o, 1), np.take_along_axis(part, o, 1)))
            dist, ind = np.vstack([p[0] for p in parts]), np.vstack([p[1] for p in parts])
        if query_is_train:  # drop each sample itself (it may not be first when duplicates exist)
            is_self = ind == np.arange(len(X))[:, None]
            drop = np.where(is_self.any(1), np.argmax(is_self, 1), kk - 1)
            keep = np.ones_like(ind, dtype=bool)
            keep[np.arange(len(X)), drop] = False
            dist, ind = dist[keep].reshape(len(X), k), ind[keep].reshape(len(X), k)
        return (dist, ind) if return_distance else ind

    def _brute_dist(self, Q):
        """Distances that order like the metric, and the map that finishes the k selected ones.

        Euclidean: -2 q.x + ||x||^2 (the row constant ||q||^2 and the sqrt are applied to the
        k selected entries only, which is where brute-force time goes).
        """
        if self.metric in ("minkowski", "euclidean") and self._p == 2:
            D = Q @ self._fit_X.T
            D *= -2.0
            D += self._fit_sq
            return D, lambda d, q: np.sqrt(
                np.maximum(d + np.einsum("ij,ij->i", q, q)[:, None], 0.0)
            )
        return pairwise_distances(Q, self._fit_X, metric=self.metric, p=self._p), lambda d, q: d

    def _weights(self, dist):
        if self.weights == "uniform":
            return None
        if callable(self.weights):
            return self.weights(dist)
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        inf = np.isinf(w)
        rows = inf.any(1)
        w[rows] = inf[rows]  # exact matches take all the weight
        return w


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    """Majority vote of the k nearest neighbours (``weights="distance"``: weights 1/d).

    Args:
        n_neighbors: k. Default: 5.   weights: "uniform", "distance" or callable(dist) -> weights.
        algorithm: "auto", "brute" or "kd_tree".   leaf_size: KD-tree leaf size. Default: 30.
        p, metric: Minkowski order and metric ("minkowski", "euclidean", "manhattan",
            "chebyshev", "cosine" (brute only)).

    Attributes: classes_ (K,), n_features_in_, n_samples_fit_, effective fit method ``_fit_method``.

    Notes:
        Vote ties go to the smallest class label, as in scikit-learn. Distance ties between
        neighbours may be broken differently from scikit-learn's trees.
    """

    def fit(self, X, y):
        X, y = check_X_y(X, y)
        self.classes_, self._y = check_classification_targets(y)
        self._fit(X)
        return self

    def predict_proba(self, X):
        """Vote fractions per class, shape (m, K)."""
        dist, ind = self.kneighbors(X)
        w = self._weights(dist)
        w = np.ones_like(dist) if w is None else w
        lab = self._y[ind]
        proba = np.zeros((len(ind), len(self.classes_)))
        for c in range(len(self.classes_)):
            proba[:, c] = np.sum(w * (lab == c), axis=1)
        tot = proba.sum(1, keepdims=True)
        return proba / np.where(tot == 0, 1, tot)

    def predict(self, X):
        """Class labels, shape (m,)."""
        proba = self.predict_proba(X)  # checks fitted before classes_ is read
        return self.classes_[np.argmax(proba, axis=1)]


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    """Mean (or 1/d-weighted mean) of the targets of the k nearest neighbours."""

    def fit(self, X, y):
        X, y = check_X_y(X, y, y_numeric=True)
        self._y = y
        self._fit(X)
        return self

    def predict(self, X):
        """Predicted targets, shape (m,)."""
        dist, ind = self.kneighbors(X)
        w = self._weights(dist)
        if w is None:
            return self._y[ind].mean(axis=1)
        return np.sum(self._y[ind] * w, axis=1) / np.sum(w, axis=1)
