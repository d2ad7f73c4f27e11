"""Pairwise distances, silhouette and ARI vs scikit-learn."""

import numpy as np
import pytest
from tolerances import TOL, assert_close

from ember.ml.datasets import make_blobs
from ember.ml.metrics import (
    adjusted_rand_score,
    pairwise_distances,
    silhouette_samples,
    silhouette_score,
)

sk_metrics = pytest.importorskip("sklearn.metrics")


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "chebyshev", "cosine", "sqeuclidean"])
def test_pairwise_distances_match_sklearn(metric):
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(7, 4)), rng.normal(size=(5, 4))
    assert_close(
        pairwise_distances(A, B, metric),
        sk_metrics.pairwise_distances(A, B, metric=metric),
        **TOL["float64_reduce"],
    )


def test_minkowski_p3():
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(6, 3)), rng.normal(size=(4, 3))
    assert_close(
        pairwise_distances(A, B, "minkowski", p=3),
        sk_metrics.pairwise_distances(A, B, metric="minkowski", p=3),
        **TOL["float64_reduce"],
    )


def test_silhouette_matches_sklearn_including_singletons():
    X, y = make_blobs(120, 2, centers=4, random_state=0)
    y = y.copy()
    y[0] = 9  # singleton cluster scores 0
    assert_close(
        silhouette_samples(X, y), sk_metrics.silhouette_samples(X, y), **TOL["float64_reduce"]
    )
    assert_close(silhouette_score(X, y), sk_metrics.silhouette_score(X, y), **TOL["float64_reduce"])
    with pytest.raises(ValueError, match="Number of labels is 1"):
        silhouette_score(X, np.zeros(len(X)))


def test_adjusted_rand_matches_sklearn():
    rng = np.random.default_rng(2)
    a, b = rng.integers(0, 4, 200), rng.integers(0, 5, 200)
    assert_close(adjusted_rand_score(a, b), sk_metrics.adjusted_rand_score(a, b), **TOL["float64"])
    assert adjusted_rand_score(a, (a + 1) % 4) == 1.0
