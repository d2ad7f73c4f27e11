"""Agglomerative (bottom-up hierarchical) clustering with a SciPy-compatible linkage matrix.

TOPICS.md 1.23 and E49: start from singletons and repeatedly merge the two *closest* clusters under
a chosen linkage (not merely "adjacent" ones). Distances to a merged cluster follow the
Lance-Williams recurrence:

* single   d(k, i+j) = min(d_ki, d_kj)
* complete d(k, i+j) = max(d_ki, d_kj)
* average  d(k, i+j) = (n_i d_ki + n_j d_kj) / (n_i + n_j)
* ward     d(k, i+j) = sqrt(((n_i+n_k) d_ki^2 + (n_j+n_k) d_kj^2 - n_k d_ij^2) / (n_i+n_j+n_k)),
  i.e. the merge height is sqrt(2 * increase of the within-cluster sum of squares) as in SciPy.
"""

from __future__ import annotations

import numpy as np

from .._base import BaseEstimator, ClusterMixin, check_array, check_positive_int
from ..metrics import pairwise_distances

__all__ = ["linkage", "fcluster", "dendrogram", "AgglomerativeClustering"]

_METHODS = ("single", "complete", "average", "ward")


def _lance_williams(method, d_ki, d_kj, d_ij, n_i, n_j, n_k):
    if method == "single":
        return np.minimum(d_ki, d_kj)
    if method == "complete":
        return np.maximum(d_ki, d_kj)
    if method == "average":
        return (n_i * d_ki + n_j * d_kj) / (n_i + n_j)
    tot = n_i + n_j + n_k
    return np.sqrt(
        np.maximum(((n_i + n_k) * d_ki**2 + (n_j + n_k) * d_kj**2 - n_k * d_ij**2) / tot, 0)
    )


def linkage(X, method: str = "single", metric: str = "euclidean") -> np.ndarray:
    """Hierarchical clustering of the rows of X; returns SciPy's linkage matrix Z of shape (n-1, 4).

    Row m of Z merges clusters Z[m,0] < Z[m,1] (ids < n are samples, n+i is the cluster made at
    row i) at height Z[m,2]; Z[m,3] is the new cluster's size. O(n^2) memory, O(n^2) time per
    merge in the worst case (row-minimum cache makes typical runs ~O(n^2) overall).
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if method == "ward" and metric != "euclidean":
        raise ValueError(f"method='ward' requires metric='euclidean', got {metric!r}")
    X = check_array(X, ensure_min_samples=2)
    n = len(X)
    D = pairwise_distances(X, metric=metric)
    np.fill_diagonal(D, np.inf)
    size = np.ones(n)
    ident = np.arange(n)  # cluster id held by each active row
    active = np.ones(n, dtype=bool)
    rowarg = np.argmin(D, axis=1)
    rowmin = D[np.arange(n), rowarg]
    Z = np.empty((n - 1, 4))
    for m in range(n - 1):
        i = int(np.argmin(np.where(active, rowmin, np.inf)))
        j = int(rowarg[i])
        i, j = min(i, j), max(i, j)
        d_ij = D[i, j]
        a, b = ident[i], ident[j]
        Z[m] = (min(a, b), max(a, b), d_ij, size[i] + size[j])
        new = _lance_williams(method, D[i], D[j], d_ij, size[i], size[j], size)
        active[j] = False
        new[~active] = np.inf
        new[i] = np.inf
        D[i, :], D[:, i] = new, new
        D[j, :], D[:, j] = np.inf, np.inf
        size[i] += size[j]
        ident[i] = n + m
        stale = active & ((rowarg == i) | (rowarg == j))
        stale[i] = True
        for r in np.flatnonzero(stale):
            rowarg[r] = np.argmin(D[r])
            rowmin[r] = D[r, rowarg[r]]
        better = active & (new < rowmin)
        rowarg[better], rowmin[better] = i, new[better]
        rowmin[j] = np.inf
    return Z


def fcluster(Z, n_clusters: int) -> np.ndarray:
    """Cut the tree into ``n_clusters`` flat clusters by undoing the last merges; labels 0..k-1
    numbered by first appearance. (SciPy's ``fcluster(Z, k, 'maxclust')`` gives 1-based labels.)
    """
    Z = np.asarray(Z)
    n = len(Z) + 1
    k = check_positive_int(n_clusters, "n_clusters")
    if k > n:
        raise ValueError(f"n_clusters={k} exceeds the number of samples {n}")
    parent = np.arange(2 * n - 1)

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in range(n - k):
        a, b = int(Z[m, 0]), int(Z[m, 1])
        parent[root(a)] = n + m
        parent[root(b)] = n + m
    roots = np.array([root(i) for i in range(n)])
    _, first = np.unique(roots, return_index=True)
    order = {r: c for c, r in enumerate(roots[np.sort(first)])}
    return np.array([order[r] for r in roots])


def dendrogram(Z, ax=None, labels=None, color: str = "C0") -> dict:
    """Leaf order and the U-shaped link coordinates of the tree (SciPy's ``icoord``/``dcoord``,
    leaves at x = 5, 15, 25, ...); draws them on ``ax`` (a matplotlib Axes) when given.
    """
    Z = np.asarray(Z)
    n = len(Z) + 1
    pos, height, leaves = {}, {}, []

    def place(c):  # iterative post-order to survive deep single-linkage chains
        stack = [(c, False)]
        while stack:
            node, done = stack.pop()
            if node < n:
                pos[node], height[node] = 10.0 * len(leaves) + 5.0, 0.0
                leaves.append(node)
            elif not done:
                a, b = int(Z[node - n, 0]), int(Z[node - n, 1])
                stack += [(node, True), (b, False), (a, False)]
            else:
                a, b = int(Z[node - n, 0]), int(Z[node - n, 1])
                pos[node], height[node] = 0.5 * (pos[a] + pos[b]), Z[node - n, 2]

    place(2 * n - 2)
    icoord, dcoord = [], []
    for m in range(n - 1):
        a, b, h = int(Z[m, 0]), int(Z[m, 1]), Z[m, 2]
        icoord.append([pos[a], pos[a], pos[b], pos[b]])
        dcoord.append([height[a], h, h, height[b]])
    ivl = [str(labels[i]) if labels is not None else str(i) for i in leaves]
    if ax is not None:
        for xs, ys in zip(icoord, dcoord):
            ax.plot(xs, ys, color=color, lw=1)
        ax.set_xticks(10.0 * np.arange(n) + 5.0)
        ax.set_xticklabels(ivl, rotation=90, fontsize=6)
        ax.set_ylabel("merge height")
    return {"icoord": icoord, "dcoord": dcoord, "ivl": ivl, "leaves": leaves}


class AgglomerativeClustering(ClusterMixin, BaseEstimator):
    """Bottom-up clustering cut at ``n_clusters`` (or at ``distance_threshold``).

    Args:
        n_clusters: number of flat clusters (None when ``distance_threshold`` is set). Default: 2.
        metric: "euclidean", "manhattan", "cosine" (ward needs euclidean).
        linkage: "ward" (default), "complete", "average", "single".
        distance_threshold: merge while the height is < threshold (then n_clusters must be None).

    Attributes:
        labels_ (n,), n_clusters_, children_ (n-1, 2) (ids as in scikit-learn / SciPy),
        distances_ (n-1,) merge heights, n_leaves_, linkage_matrix_ (SciPy Z).

    Notes:
        No connectivity constraints; the full tree is always built (O(n^2) memory).
    """

    def __init__(
        self, n_clusters=2, *, metric="euclidean", linkage="ward", distance_threshold=None
    ):
        self.n_clusters = n_clusters
        self.metric = metric
        self.linkage = linkage
        self.distance_threshold = distance_threshold

    def fit(self, X, y=None):
        if (self.n_clusters is None) == (self.distance_threshold is None):
            raise ValueError(
                "Exactly one of n_clusters and distance_threshold has to be set, the "
                f"other None; got n_clusters={self.n_clusters}, "
                f"distance_threshold={self.distance_threshold}"
            )
        X = check_array(X, ensure_min_samples=2)
        Z = linkage(X, method=self.linkage, metric=self.metric)
        if self.distance_threshold is not None:
            k = len(X) - int(np.sum(Z[:, 2] < self.distance_threshold))
        else:
            k = check_positive_int(self.n_clusters, "n_clusters")
            if k > len(X):
                raise ValueError(
                    f"Cannot extract more clusters than samples: n_clusters={k} > "
                    f"n_samples={len(X)}"
                )
        self.linkage_matrix_ = Z
        self.children_ = Z[:, :2].astype(np.intp)
        self.distances_ = Z[:, 2].copy()
        self.labels_ = fcluster(Z, k)
        self.n_clusters_ = k
        self.n_leaves_ = len(X)
        self.n_features_in_ = X.shape[1]
        return self
