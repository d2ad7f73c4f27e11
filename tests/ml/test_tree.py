"""CART trees vs scikit-learn (same thresholds, numbering and predictions when gains are unique)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerances import TOL, assert_close

from ember.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor

sk_tree = pytest.importorskip("sklearn.tree")


def _cls(n=400, d=5, k=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (np.digitize(X[:, 0] + 0.5 * X[:, 1] ** 2 + 0.3 * rng.normal(size=n), [-0.5, 0.7])) % k
    return X, y


def _assert_same_tree(a, b):
    ta, tb = a.tree_, b.tree_
    assert ta.node_count == tb.node_count
    assert np.array_equal(ta.children_left, tb.children_left)
    assert np.array_equal(ta.feature[ta.children_left >= 0], tb.feature[tb.children_left >= 0])
    assert_close(
        ta.threshold[ta.children_left >= 0], tb.threshold[tb.children_left >= 0], **TOL["float64"]
    )
    assert np.array_equal(ta.n_node_samples, tb.n_node_samples)
    assert_close(ta.impurity, tb.impurity, **TOL["float64_reduce"])


@pytest.mark.parametrize(
    "criterion, max_depth, msl", [("gini", 3, 1), ("entropy", 3, 1), ("entropy", 4, 4)]
)
def test_classifier_structure_matches_sklearn(criterion, max_depth, msl):
    # deep nodes often hold exact ties between features (identical partitions); scikit-learn breaks
    # them by a random feature order, so structure is compared where gains are unique
    X, y = _cls()
    kw = dict(criterion=criterion, max_depth=max_depth, min_samples_leaf=msl)
    ours = DecisionTreeClassifier(**kw).fit(X, y)
    ref = sk_tree.DecisionTreeClassifier(random_state=0, **kw).fit(X, y)
    _assert_same_tree(ours, ref)
    assert_close(ours.tree_.value, ref.tree_.value[:, 0], **TOL["float64_reduce"])
    Q = np.random.default_rng(9).normal(size=(200, X.shape[1]))
    assert_close(ours.predict_proba(Q), ref.predict_proba(Q), **TOL["float64"])
    assert np.array_equal(ours.apply(Q), ref.apply(Q))
    assert_close(ours.feature_importances_, ref.feature_importances_, **TOL["float64_reduce"])
    assert ours.get_depth() == ref.get_depth() and ours.get_n_leaves() == ref.get_n_leaves()


def _gini(y, w):
    p = np.bincount(y, weights=w, minlength=3) / w.sum()
    return 1 - p @ p


@pytest.mark.parametrize("seed", [0, 1])
def test_every_split_is_the_best_one_brute_force(seed):
    # independent of scikit-learn's tie-breaking: each chosen split maximises the weighted Gini drop
    X, y = _cls(120, 3, seed=seed)
    tree = DecisionTreeClassifier(min_samples_leaf=2).fit(X, y).tree_
    X32 = X.astype(np.float32).astype(np.float64)
    members = {0: np.arange(len(y))}
    for node in range(tree.node_count):
        idx = members[node]
        if tree.children_left[node] < 0:
            continue
        w = np.ones(len(idx))
        best = -np.inf
        for f in range(X.shape[1]):
            for t in np.unique(X32[idx, f])[:-1]:
                left = X32[idx, f] <= t
                if left.sum() < 2 or (~left).sum() < 2:
                    continue
                gain = -(
                    left.sum() * _gini(y[idx][left], w[left])
                    + (~left).sum() * _gini(y[idx][~left], w[~left])
                )
                best = max(best, gain)
        left = X32[idx, tree.feature[node]] <= tree.threshold[node]
        chosen = -(
            left.sum() * _gini(y[idx][left], w[left])
            + (~left).sum() * _gini(y[idx][~left], w[~left])
        )
        assert chosen >= best - 1e-9
        members[tree.children_left[node]], members[tree.children_right[node]] = (
            idx[left],
            idx[~left],
        )


def test_classifier_sample_weight_matches_sklearn():
    X, y = _cls(seed=3)
    # integer weights keep weighted sums exact (float weights make scikit-learn see impurities of
    # ~1e-16 in pure nodes and split them with zero gain); zero weights create threshold ties
    w = np.random.default_rng(0).integers(1, 4, len(y)).astype(float)
    ours = DecisionTreeClassifier(max_depth=4).fit(X, y, sample_weight=w)
    ref = sk_tree.DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y, sample_weight=w)
    _assert_same_tree(ours, ref)
    assert_close(
        ours.tree_.weighted_n_node_samples, ref.tree_.weighted_n_node_samples, **TOL["float64"]
    )
    w[::3] = 0.0  # zero-weight samples are dropped, as in scikit-learn
    ours = DecisionTreeClassifier(max_depth=1).fit(X, y, sample_weight=w)
    ref = sk_tree.DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y, sample_weight=w)
    assert ours.tree_.n_node_samples[0] == ref.tree_.n_node_samples[0] == np.count_nonzero(w)


def test_regressor_matches_sklearn():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.normal(size=300)
    # min_samples_leaf=3: a lone outlier can be cut off by several features with the same gain (a tie)
    ours = DecisionTreeRegressor(max_depth=6, min_samples_leaf=3).fit(X, y)
    ref = sk_tree.DecisionTreeRegressor(max_depth=6, min_samples_leaf=3, random_state=0).fit(X, y)
    _assert_same_tree(ours, ref)
    assert_close(ours.predict(X), ref.predict(X), **TOL["float64_reduce"])


def test_float32_midpoint_thresholds_like_sklearn():
    X = np.array([[0.30000001], [0.7]])
    ours = DecisionTreeClassifier().fit(X, [0, 1])
    ref = sk_tree.DecisionTreeClassifier().fit(X, [0, 1])
    assert ours.tree_.threshold[0] == ref.tree_.threshold[0]


@given(n=st.integers(2, 60), d=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_full_tree_fits_training_data(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, 3, n)
    tree = DecisionTreeClassifier().fit(X, y)
    assert tree.score(X, y) == 1.0  # distinct points: a full tree is pure
    proba = tree.predict_proba(X)
    assert np.allclose(proba.sum(1), 1.0)


def test_degenerate_single_class_and_constant_features():
    X = np.ones((10, 3))
    tree = DecisionTreeClassifier().fit(X, np.r_[np.zeros(5), np.ones(5)])
    assert tree.tree_.node_count == 1  # nothing to split on
    assert (
        DecisionTreeClassifier()
        .fit(np.random.default_rng(0).normal(size=(5, 2)), [1] * 5)
        .predict([[0, 0]])[0]
        == 1
    )


def test_errors():
    X, y = _cls(20)
    with pytest.raises(ValueError, match="criterion"):
        DecisionTreeClassifier(criterion="mse").fit(X, y)
    with pytest.raises(ValueError, match="max_features"):
        DecisionTreeClassifier(max_features="half").fit(X, y)
    with pytest.raises(ValueError, match="min_samples_leaf"):
        DecisionTreeClassifier(min_samples_leaf=0).fit(X, y)
