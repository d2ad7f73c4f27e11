"""K-Means (Lloyd), k-means++ seeding and mini-batch K-Means (TOPICS.md 1.23, claims C154, C157).

EM view (TOPICS E14, the notes swap the steps): *initialisation* picks the centres; then the
E step assigns every point to its nearest centre (a hard posterior over the latent cluster) and the
M step moves each centre to the (weighted) mean of its points.
"""

from __future__ import annotations

import numpy as np

from .._base import (
    BaseEstimator,
    ClusterMixin,
    TransformerMixin,
    check_array,
    check_is_fitted,
    check_n_features,
    check_positive_int,
    check_random_state,
    check_sample_weight,
)
from ..metrics import euclidean_distances

__all__ = ["KMeans", "MiniBatchKMeans", "kmeans_plusplus"]


def kmeans_plusplus(
    X,
    n_clusters: int,
    sample_weight=None,
    x_squared_norms=None,
    random_state=None,
    n_local_trials: int | None = None,
):
    """D^2 seeding: first centre uniform (weighted), each next one drawn with probability
    proportional to the squared distance to the nearest chosen centre.

    ``n_local_trials`` candidates are drawn per step and the one that lowers the potential most is
    kept (scikit-learn's greedy variant, default 2 + floor(ln k)); ``n_local_trials=1`` is the
    original Arthur & Vassilvitskii algorithm. Returns (centers (k, d), indices (k,)).
    """
    X = check_array(X)
    n, _ = X.shape
    k = check_positive_int(n_clusters, "n_clusters")
    if k > n:
        raise ValueError(f"n_samples={n} should be >= n_clusters={k}")
    rng = check_random_state(random_state)
    w = check_sample_weight(sample_weight, n)
    trials = (
        2 + int(np.log(k))
        if n_local_trials is None
        else check_positive_int(n_local_trials, "n_local_trials")
    )
    idx = np.empty(k, dtype=np.intp)
    idx[0] = rng.choice(n, p=w / w.sum())
    closest = euclidean_distances(X[idx[:1]], X, squared=True)[0]
    for c in range(1, k):
        pot = closest * w
        total = pot.sum()
        if total <= 0:  # all remaining points coincide with chosen centres
            cand = rng.choice(n, size=trials)
        else:
            cand = np.searchsorted(np.cumsum(pot), rng.random(trials) * total)
            cand = np.minimum(cand, n - 1)
        d_cand = np.minimum(closest, euclidean_distances(X[cand], X, squared=True))  # (trials, n)
        best = int(np.argmin(d_cand @ w))
        idx[c], closest = cand[best], d_cand[best]
    return X[idx].copy(), idx


def _assign(X, centers, x_sq):
    """Nearest-centre labels and squared distances (E step)."""
    d2 = x_sq[:, None] - 2.0 * (X @ centers.T) + np.einsum("ij,ij->i", centers, centers)[None, :]
    labels = np.argmin(d2, axis=1)
    return labels, np.maximum(d2[np.arange(len(X)), labels], 0.0)


def _cluster_sums(X, w, labels, k):
    """sum_{i: l(i)=j} w_i x_i for every cluster j, shape (k, d) (one bincount per feature)."""
    return np.stack(
        [np.bincount(labels, weights=X[:, j] * w, minlength=k) for j in range(X.shape[1])], 1
    )


def _update(X, w, labels, k, old_centers, dist):
    """Weighted cluster means (M step); empty clusters take the points farthest from their centre."""
    wsum = np.bincount(labels, weights=w, minlength=k)
    sums = _cluster_sums(X, w, labels, k)
    empty = np.flatnonzero(wsum == 0)
    if len(empty):
        far = np.argsort(-dist, kind="stable")[: len(empty)]
        for e, i in zip(empty, far):
            old = labels[i]
            sums[old] -= X[i] * w[i]
            wsum[old] -= w[i]
            sums[e], wsum[e] = X[i] * w[i], w[i]
            labels[i] = e
    return sums / np.where(wsum == 0, 1.0, wsum)[:, None]


def _lloyd(X, w, centers, max_iter, tol):
    x_sq = np.einsum("ij,ij->i", X, X)
    labels_old = np.full(len(X), -1)
    strict = False
    for it in range(max_iter):
        labels, dist = _assign(X, centers, x_sq)
        new = _update(X, w, labels, len(centers), centers, dist)
        shift = ((new - centers) ** 2).sum()
        centers = new
        if np.array_equal(labels, labels_old):
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    labels, dist = _assign(X, centers, x_sq) if not strict else (labels, None)
    if dist is None:
        dist = ((X - centers[labels]) ** 2).sum(1)
    return labels, float((w * dist).sum()), centers, it + 1


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """K-Means clustering by Lloyd iterations, minimising inertia = sum_i w_i ||x_i - c_{l(i)}||^2.

    Args:
        n_clusters: K. Default: 8.
        init: "k-means++" (greedy D^2 seeding), "random" (K distinct samples) or an array (K, d).
        n_init: restarts, best inertia kept; "auto" = 1 for k-means++/array, 10 for random.
        max_iter: Lloyd iterations per run. Default: 300.
        tol: stop when the squared centre shift <= tol * mean feature variance. Default: 1e-4.
        random_state: seed / Generator.   algorithm: only "lloyd" ("elkan" is accepted as an alias).

    Attributes:
        cluster_centers_ (K, d), labels_ (n,), inertia_, n_iter_, n_features_in_.

    Notes:
        Matches ``sklearn.cluster.KMeans(init=<array>, n_init=1, tol=0, algorithm='lloyd')`` to
        round-off: same empty-cluster relocation (farthest points) and a final E step when the
        run stops on ``tol`` or ``max_iter``. Seeding uses NumPy's Generator, so random/k-means++
        inits differ from scikit-learn's stream (statistical agreement only, ORACLES.md §5).
    """

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        n_init="auto",
        max_iter=300,
        tol=1e-4,
        random_state=None,
        algorithm="lloyd",
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.algorithm = algorithm

    def _check_params(self, X):
        k = check_positive_int(self.n_clusters, "n_clusters")
        if X.shape[0] < k:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={k}")
        check_positive_int(self.max_iter, "max_iter")
        if self.algorithm not in ("lloyd", "elkan"):
            raise ValueError(f"algorithm must be 'lloyd' or 'elkan', got {self.algorithm!r}")
        if isinstance(self.init, str) and self.init not in ("k-means++", "random"):
            raise ValueError(f"init must be 'k-means++', 'random' or an array, got {self.init!r}")
        if self.n_init == "auto":
            return k, 10 if isinstance(self.init, str) and self.init == "random" else 1
        return k, check_positive_int(self.n_init, "n_init")

    def _init_centers(self, X, w, k, rng):
        if isinstance(self.init, str) and self.init == "k-means++":
            return kmeans_plusplus(X, k, sample_weight=w, random_state=rng)[0]
        if isinstance(self.init, str):
            return X[
                rng.choice(
                    len(X), size=k, replace=False, p=w / w.sum() if (w > 0).sum() >= k else None
                )
            ].copy()
        centers = check_array(self.init, name="init")
        if centers.shape != (k, X.shape[1]):
            raise ValueError(f"init array has shape {centers.shape}, expected ({k}, {X.shape[1]})")
        return centers.copy()

    def fit(self, X, y=None, sample_weight=None):
        """Run ``n_init`` Lloyd searches and keep the lowest inertia. X: (n, d)."""
        X = check_array(X)
        k, n_init = self._check_params(X)
        w = check_sample_weight(sample_weight, len(X))
        rng = check_random_state(self.random_state)
        tol = float(np.mean(np.var(X, axis=0))) * self.tol
        best = None
        for _ in range(n_init):
            run = _lloyd(X, w, self._init_centers(X, w, k, rng), self.max_iter, tol)
            if best is None or run[1] < best[1]:
                best = run
        self.labels_, self.inertia_, self.cluster_centers_, self.n_iter_ = best
        self.n_features_in_ = X.shape[1]
        return self

    def _check_X(self, X):
        check_is_fitted(self, "cluster_centers_")
        X = check_array(X)
        check_n_features(self, X)
        return X

    def predict(self, X, sample_weight=None):
        """Index of the nearest centre, shape (n,)."""
        X = self._check_X(X)
        return _assign(X, self.cluster_centers_, np.einsum("ij,ij->i", X, X))[0]

    def transform(self, X):
        """Euclidean distance to every centre, shape (n, K)."""
        return euclidean_distances(self._check_X(X), self.cluster_centers_)

    def score(self, X, y=None, sample_weight=None) -> float:
        """Opposite of the inertia of X under the fitted centres."""
        X = self._check_X(X)
        _, d = _assign(X, self.cluster_centers_, np.einsum("ij,ij->i", X, X))
        return -float((check_sample_weight(sample_weight, len(X)) * d).sum())


class MiniBatchKMeans(KMeans):
    """K-Means on random mini-batches with per-centre running means (Sculley 2010).

    Each step draws ``batch_size`` samples, assigns them, and moves centre j to
    (c_j * W_j + sum of its new points) / (W_j + their weight), W_j = weight seen so far.
    ``max_iter`` counts passes over the data. Stops early after ``max_no_improvement`` steps without
    a lower smoothed batch inertia.

    Notes:
        No random reassignment of small clusters (scikit-learn's ``reassignment_ratio``);
        final ``labels_`` / ``inertia_`` come from a full E step, as scikit-learn's do.
    """

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        max_iter=100,
        batch_size=1024,
        tol=0.0,
        max_no_improvement=10,
        n_init="auto",
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.tol = tol
        self.max_no_improvement = max_no_improvement
        self.n_init = n_init
        self.random_state = random_state
        self.algorithm = "lloyd"

    def fit(self, X, y=None, sample_weight=None):
        X = check_array(X)
        self.algorithm = "lloyd"
        k, n_init = self._check_params(X)
        n = len(X)
        w = check_sample_weight(sample_weight, n)
        rng = check_random_state(self.random_state)
        bs = min(check_positive_int(self.batch_size, "batch_size"), n)
        x_sq = np.einsum("ij,ij->i", X, X)
        centers = min(
            (self._init_centers(X, w, k, rng) for _ in range(n_init)),
            key=lambda c: (w * _assign(X, c, x_sq)[1]).sum(),
        )
        counts = np.zeros(k)
        ewa, best, stall = None, np.inf, 0
        steps = max(1, (self.max_iter * n) // bs)
        for step in range(steps):
            b = rng.choice(n, size=bs, replace=False)
            lab, d = _assign(X[b], centers, x_sq[b])
            wb = w[b]
            bw = np.bincount(lab, weights=wb, minlength=k)
            sums = _cluster_sums(X[b], wb, lab, k)
            hit = bw > 0
            centers[hit] = (centers[hit] * counts[hit, None] + sums[hit]) / (counts[hit] + bw[hit])[
                :, None
            ]
            counts += bw
            batch_inertia = (wb * d).sum() / wb.sum()
            ewa = batch_inertia if ewa is None else ewa * (1 - bs / n) + batch_inertia * bs / n
            if ewa < best:
                best, stall = ewa, 0
            else:
                stall += 1
                if self.max_no_improvement is not None and stall >= self.max_no_improvement:
                    break
        self.cluster_centers_ = centers
        self.labels_, d = _assign(X, centers, x_sq)
        self.inertia_ = float((w * d).sum())
        self.n_steps_ = step + 1
        self.n_iter_ = int(np.ceil(self.n_steps_ * bs / n))
        self.n_features_in_ = X.shape[1]
        return self
