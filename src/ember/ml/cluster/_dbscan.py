"""DBSCAN: density-based clusters of core points (>= min_samples neighbours within eps)."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .._base import (
    BaseEstimator,
    ClusterMixin,
    check_array,
    check_positive_int,
    check_sample_weight,
)
from ..metrics import pairwise_distances

__all__ = ["DBSCAN"]


class DBSCAN(ClusterMixin, BaseEstimator):
    """Density-based clustering: core points (weighted neighbour count within ``eps``, the point
    itself included, >= ``min_samples``) are linked when within ``eps``; a connected set of cores
    plus the non-core points within ``eps`` of them forms a cluster; the rest is noise (-1).

    Attributes:
        labels_ (n,), core_sample_indices_ (n_core,), components_ (n_core, d).

    Notes:
        A border point within reach of two clusters joins the cluster of its nearest core point
        (scikit-learn takes the first one met in its expansion order); clusters are numbered by
        their lowest core-point index, as scikit-learn numbers them. Dense O(n^2) distances.
    """

    def __init__(self, eps=0.5, *, min_samples=5, metric="euclidean"):
        self.eps = eps
        self.min_samples = min_samples
        self.metric = metric

    def fit(self, X, y=None, sample_weight=None):
        X = check_array(X)
        if not self.eps > 0:
            raise ValueError(f"eps must be > 0, got {self.eps}")
        check_positive_int(self.min_samples, "min_samples")
        w = check_sample_weight(sample_weight, len(X))
        D = pairwise_distances(X, metric=self.metric)
        adj = D <= self.eps
        core = adj.astype(np.float64) @ w >= self.min_samples
        labels = np.full(len(X), -1)
        cidx = np.flatnonzero(core)
        if len(cidx):
            _, comp = connected_components(csr_matrix(adj[np.ix_(cidx, cidx)]), directed=False)
            labels[cidx] = comp
            border = np.flatnonzero(~core & adj[:, cidx].any(1))
            if len(border):
                nearest = np.argmin(
                    np.where(adj[np.ix_(border, cidx)], D[np.ix_(border, cidx)], np.inf), 1
                )
                labels[border] = comp[nearest]
        self.labels_ = labels
        self.core_sample_indices_ = cidx
        self.components_ = X[cidx].copy()
        self.n_features_in_ = X.shape[1]
        return self
