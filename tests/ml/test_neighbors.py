"""KNN classifier/regressor (brute force and KD-tree) vs scikit-learn."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerances import TOL, assert_close

from ember.ml.neighbors import KDTree, KNeighborsClassifier, KNeighborsRegressor

sk_neighbors = pytest.importorskip("sklearn.neighbors")


def _data(n=300, d=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 0.8)
    return X, y, rng.normal(size=(80, d))


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("p", [1, 2])
def test_classifier_matches_sklearn(algorithm, weights, p):
    X, y, Q = _data()
    ours = KNeighborsClassifier(5, weights=weights, algorithm=algorithm, p=p).fit(X, y)
    ref = sk_neighbors.KNeighborsClassifier(5, weights=weights, algorithm="brute", p=p).fit(X, y)
    assert np.array_equal(ours.predict(Q), ref.predict(Q))
    assert_close(ours.predict_proba(Q), ref.predict_proba(Q), **TOL["float64"])
    d0, i0 = ours.kneighbors(Q)
    d1, i1 = ref.kneighbors(Q)
    assert np.array_equal(i0, i1)
    assert_close(d0, d1, **TOL["float64_reduce"])


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_regressor_matches_sklearn(weights):
    X, _, Q = _data(seed=1)
    y = np.sin(X[:, 0]) + X[:, 1]
    ours = KNeighborsRegressor(7, weights=weights).fit(X, y)
    ref = sk_neighbors.KNeighborsRegressor(7, weights=weights).fit(X, y)
    assert_close(ours.predict(Q), ref.predict(Q), **TOL["float64_reduce"])


def test_kneighbors_of_training_set_excludes_self():
    X, y, _ = _data(50)
    ours = KNeighborsClassifier(3).fit(X, y).kneighbors()
    ref = sk_neighbors.KNeighborsClassifier(3).fit(X, y).kneighbors()
    assert np.array_equal(ours[1], ref[1])


@given(n=st.integers(5, 120), d=st.integers(1, 6), k=st.integers(1, 5), seed=st.integers(0, 10**6))
def test_kdtree_equals_brute_force(n, d, k, seed):
    rng = np.random.default_rng(seed)
    X, Q = rng.normal(size=(n, d)), rng.normal(size=(15, d))
    k = min(k, n)
    dist, idx = KDTree(X, leaf_size=4).query(Q, k)
    D = np.sqrt(((Q[:, None] - X[None]) ** 2).sum(-1))
    assert_close(dist, np.sort(D, axis=1)[:, :k], **TOL["float64_reduce"])
    assert_close(np.take_along_axis(D, idx, 1), dist, **TOL["float64_reduce"])


def test_vote_tie_goes_to_smallest_label_and_exact_match_distance_weight():
    X = np.array([[0.0], [1.0], [3.0], [4.0]])
    y = np.array([1, 0, 1, 0])
    assert KNeighborsClassifier(2).fit(X, y).predict([[2.0]])[0] == 0
    reg = KNeighborsRegressor(2, weights="distance").fit(X, [10.0, 20.0, 30.0, 40.0])
    assert reg.predict([[1.0]])[0] == 20.0  # zero distance takes all the weight


def test_errors():
    X, y, _ = _data(10)
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        KNeighborsClassifier(20).fit(X, y).predict(X)
    with pytest.raises(ValueError, match="algorithm"):
        KNeighborsClassifier(algorithm="ball").fit(X, y)
    with pytest.raises(ValueError, match="not valid for algorithm 'kd_tree'"):
        KNeighborsClassifier(metric="cosine", algorithm="kd_tree").fit(X, y)
