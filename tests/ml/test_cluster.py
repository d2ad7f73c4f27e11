"""K-Means, k-means++, mini-batch K-Means, agglomerative clustering, DBSCAN vs scikit-learn / SciPy."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerances import TOL, assert_close

from ember.ml.cluster import (
    DBSCAN,
    AgglomerativeClustering,
    KMeans,
    MiniBatchKMeans,
    dendrogram,
    fcluster,
    kmeans_plusplus,
    linkage,
)
from ember.ml.datasets import make_blobs, make_moons
from ember.ml.metrics import adjusted_rand_score

sk_cluster = pytest.importorskip("sklearn.cluster")


def _blobs(n=400, k=4, d=2, seed=0):
    return make_blobs(n, d, centers=k, random_state=seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kmeans_matches_sklearn_lloyd_from_same_init(seed):
    X, _ = _blobs(600, 5, 3, seed)
    init = X[np.random.default_rng(seed).choice(len(X), 5, replace=False)]
    ours = KMeans(5, init=init, n_init=1, tol=0).fit(X)
    ref = sk_cluster.KMeans(5, init=init, n_init=1, tol=0, algorithm="lloyd").fit(X)
    assert_close(ours.cluster_centers_, ref.cluster_centers_, **TOL["float64"], name="centers")
    assert_close(ours.inertia_, ref.inertia_, **TOL["float64"], name="inertia")
    assert np.array_equal(ours.labels_, ref.labels_)
    assert ours.n_iter_ == ref.n_iter_
    assert_close(ours.transform(X[:7]), ref.transform(X[:7]), **TOL["float64"])
    assert_close(ours.score(X), ref.score(X), **TOL["float64"])


def test_kmeans_empty_cluster_relocation_matches_sklearn():
    X, _ = _blobs(200, 3, 2, 4)
    init = np.vstack([X[:2], [[1e3, 1e3]]])  # third centre attracts nobody
    ours = KMeans(3, init=init, n_init=1, tol=0).fit(X)
    ref = sk_cluster.KMeans(3, init=init, n_init=1, tol=0).fit(X)
    assert_close(ours.cluster_centers_, ref.cluster_centers_, **TOL["float64"])
    assert len(np.unique(ours.labels_)) == 3


def test_kmeans_sample_weight_matches_sklearn():
    X, _ = _blobs(300, 3, 2, 5)
    w = np.random.default_rng(0).uniform(0.1, 3, len(X))
    init = X[:3]
    ours = KMeans(3, init=init, n_init=1, tol=0).fit(X, sample_weight=w)
    ref = sk_cluster.KMeans(3, init=init, n_init=1, tol=0).fit(X, sample_weight=w)
    assert_close(ours.cluster_centers_, ref.cluster_centers_, **TOL["float64"])
    assert_close(ours.inertia_, ref.inertia_, **TOL["float64"])


@given(n=st.integers(8, 60), d=st.integers(1, 4), k=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_kmeans_invariants_hypothesis(n, d, k, seed):
    X = np.random.default_rng(seed).normal(size=(n, d))
    km = KMeans(k, random_state=seed, n_init=2).fit(X)
    # every point is assigned to its nearest centre and inertia is the sum of squared distances
    D = ((X[:, None] - km.cluster_centers_[None]) ** 2).sum(-1)
    assert np.allclose(D[np.arange(n), km.labels_], D.min(1))
    assert_close(km.inertia_, D.min(1).sum(), **TOL["float64_reduce"])
    assert np.array_equal(km.predict(X), km.labels_)


def test_kmeans_degenerate_inputs():
    with pytest.raises(ValueError, match="n_samples=3 should be >= n_clusters=5"):
        KMeans(5).fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        KMeans(2).fit(np.array([[0.0, np.nan], [1, 1], [2, 2]]))
    X = np.ones((10, 2))  # duplicate points: zero inertia, no crash
    km = KMeans(2, random_state=0).fit(X)
    assert km.inertia_ == 0.0
    with pytest.raises(ValueError, match="X has 3 features"):
        km.predict(np.zeros((1, 3)))


def test_kmeans_plusplus_d2_sampling_statistics():
    # the second centre is drawn with probability proportional to D^2 from the first
    X = np.array([[0.0], [1.0], [3.0]])
    counts = np.zeros(3)
    rng = np.random.default_rng(0)
    for _ in range(3000):
        _, idx = kmeans_plusplus(X, 2, random_state=rng, n_local_trials=1)
        if idx[0] == 0:
            counts[idx[1]] += 1
    p = counts / counts.sum()
    assert abs(p[1] - 1 / 10) < 0.03 and abs(p[2] - 9 / 10) < 0.03


def test_kmeans_plusplus_inertia_comparable_to_sklearn():
    X, _ = _blobs(1000, 8, 2, 3)
    ours = np.mean([KMeans(8, random_state=s).fit(X).inertia_ for s in range(5)])
    ref = np.mean([sk_cluster.KMeans(8, random_state=s).fit(X).inertia_ for s in range(5)])
    assert ours < 1.2 * ref


def test_minibatch_kmeans_close_to_full_kmeans():
    X, y = _blobs(3000, 4, 2, 6)
    mb = MiniBatchKMeans(4, batch_size=256, random_state=0).fit(X)
    full = KMeans(4, random_state=0).fit(X)
    assert mb.inertia_ < 1.05 * full.inertia_
    assert adjusted_rand_score(full.labels_, mb.labels_) > 0.95


@pytest.mark.parametrize("method", ["single", "complete", "average", "ward"])
def test_linkage_matches_scipy(method):
    from scipy.cluster.hierarchy import fcluster as sp_fcluster
    from scipy.cluster.hierarchy import linkage as sp_linkage

    X = np.random.default_rng(1).normal(size=(60, 3))
    Z = linkage(X, method)
    Zs = sp_linkage(X, method)
    assert np.array_equal(Z[:, [0, 1, 3]], Zs[:, [0, 1, 3]])
    assert_close(Z[:, 2], Zs[:, 2], **TOL["float64_reduce"], name="heights")
    assert adjusted_rand_score(fcluster(Z, 4), sp_fcluster(Zs, 4, "maxclust")) == 1.0


def test_ward_height_is_sqrt_two_delta_sse():
    Z = linkage(np.array([[0.0], [1.0], [5.0]]), "ward")
    assert_close(Z[:, 2], [1.0, np.sqrt(27.0)], **TOL["float64"])


@pytest.mark.parametrize("method", ["single", "complete", "average", "ward"])
def test_agglomerative_matches_sklearn_partition(method):
    X, _ = _blobs(150, 3, 2, 2)
    ours = AgglomerativeClustering(3, linkage=method).fit(X)
    ref = sk_cluster.AgglomerativeClustering(3, linkage=method).fit(X)
    assert adjusted_rand_score(ours.labels_, ref.labels_) == 1.0


def test_agglomerative_distance_threshold_and_errors():
    X, _ = _blobs(60, 3, 2, 0)
    ours = AgglomerativeClustering(None, distance_threshold=5.0).fit(X)
    ref = sk_cluster.AgglomerativeClustering(None, distance_threshold=5.0).fit(X)
    assert ours.n_clusters_ == ref.n_clusters_
    with pytest.raises(ValueError, match="Exactly one of n_clusters and distance_threshold"):
        AgglomerativeClustering(2, distance_threshold=1.0).fit(X)
    with pytest.raises(ValueError, match="ward"):
        AgglomerativeClustering(2, linkage="ward", metric="manhattan").fit(X)


def test_dendrogram_leaf_order_matches_scipy():
    from scipy.cluster.hierarchy import dendrogram as sp_dendrogram

    X = np.random.default_rng(3).normal(size=(12, 2))
    Z = linkage(X, "average")
    ours = dendrogram(Z)
    ref = sp_dendrogram(linkage(X, "average"), no_plot=True)
    assert ours["leaves"] == ref["leaves"]
    links = lambda d: np.array(sorted(map(tuple, np.hstack([d["icoord"], d["dcoord"]]))))  # noqa: E731
    assert_close(links(ours), links(ref), **TOL["float64_reduce"], name="links")


def test_dbscan_matches_sklearn():
    X, _ = make_moons(300, noise=0.05, random_state=0)
    ours = DBSCAN(eps=0.2, min_samples=5).fit(X)
    ref = sk_cluster.DBSCAN(eps=0.2, min_samples=5).fit(X)
    assert np.array_equal(ours.labels_, ref.labels_)
    assert np.array_equal(ours.core_sample_indices_, ref.core_sample_indices_)
