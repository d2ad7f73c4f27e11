"""Bagging, random forests and AdaBoost vs scikit-learn (AdaBoost exact; forests statistical)."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from tolerances import TOL, assert_close

from ember.ml.datasets import make_moons
from ember.ml.ensemble import (
    AdaBoostClassifier,
    BaggingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
    discrete_adaboost,
)
from ember.ml.tree import DecisionTreeClassifier

sk_ensemble = pytest.importorskip("sklearn.ensemble")


def _moons(n=400, seed=0, nuisance=0):
    X, y = make_moons(n, noise=0.3, random_state=seed)
    if nuisance:
        X = np.hstack([X, np.random.default_rng(seed).normal(size=(n, nuisance))])
    return X, y


@pytest.mark.parametrize("n_classes", [2, 3])
def test_adaboost_samme_matches_sklearn(n_classes):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(300, 4))
    y = np.digitize(X[:, 0] + X[:, 1] * X[:, 2], [-0.5, 0.5][: n_classes - 1])
    ours = AdaBoostClassifier(n_estimators=25).fit(X, y)
    ref = sk_ensemble.AdaBoostClassifier(n_estimators=25, random_state=0).fit(X, y)
    assert_close(ours.estimator_weights_, ref.estimator_weights_, **TOL["float64_reduce"])
    assert_close(ours.estimator_errors_, ref.estimator_errors_, **TOL["float64_reduce"])
    assert_close(ours.decision_function(X), ref.decision_function(X), **TOL["float64_reduce"])
    assert_close(ours.predict_proba(X), ref.predict_proba(X), **TOL["float64_reduce"])
    assert np.array_equal(ours.predict(X), ref.predict(X))


def test_adaboost_perfect_learner_stops_early_like_sklearn():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    ours = AdaBoostClassifier(n_estimators=10).fit(X, y)
    ref = sk_ensemble.AdaBoostClassifier(n_estimators=10).fit(X, y)
    assert len(ours.estimators_) == len(ref.estimators_) == 1
    assert_close(ours.estimator_weights_, ref.estimator_weights_, **TOL["float64"])


def test_binary_adaboost_equals_samme_and_exponential_loss_view():
    X, y01 = _moons(300)
    y = 2.0 * y01 - 1
    book = discrete_adaboost(X, y, 15)
    samme = AdaBoostClassifier(n_estimators=len(book["alphas"])).fit(X, y01)
    # SAMME's weight for K = 2 is exactly twice the textbook alpha, same votes
    assert_close(samme.estimator_weights_, 2 * book["alphas"], **TOL["float64_reduce"])
    # each alpha_t minimises the weighted exponential loss of that round
    for h, a, w in zip(book["learners"], book["alphas"], book["weights"][:-1]):
        m = y * h.predict(X)
        a_star = minimize_scalar(
            lambda t: np.sum(w * np.exp(-t * m)),
            bounds=(-5, 5),
            method="bounded",
            options={"xatol": 1e-10},
        ).x
        assert abs(a - a_star) < 1e-6
    assert np.all(book["train_error"] <= book["bound"] + 1e-12)


def test_random_forest_statistically_close_to_sklearn_and_beats_tree():
    Xtr, ytr = _moons(600, 0, nuisance=8)
    Xte, yte = _moons(1000, 1, nuisance=8)
    ours = RandomForestClassifier(60, random_state=0, oob_score=True).fit(Xtr, ytr)
    ref = sk_ensemble.RandomForestClassifier(60, random_state=0, oob_score=True).fit(Xtr, ytr)
    tree = DecisionTreeClassifier(random_state=0).fit(Xtr, ytr)
    assert abs(ours.score(Xte, yte) - ref.score(Xte, yte)) < 0.04
    assert abs(ours.oob_score_ - ref.oob_score_) < 0.05
    assert ours.score(Xte, yte) > tree.score(Xte, yte)
    assert np.argsort(ours.feature_importances_)[-2:].tolist() in ([0, 1], [1, 0])
    assert_close(ours.predict_proba(Xte).sum(1), np.ones(len(Xte)), **TOL["float64"])


def test_random_forest_regressor_and_bagging():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=400)
    rf = RandomForestRegressor(30, random_state=0, oob_score=True).fit(X, y)
    ref = sk_ensemble.RandomForestRegressor(30, random_state=0, oob_score=True).fit(X, y)
    assert abs(rf.oob_score_ - ref.oob_score_) < 0.05
    Xc, yc = _moons(300)
    bag = BaggingClassifier(n_estimators=15, random_state=0, oob_score=True).fit(Xc, yc)
    skbag = sk_ensemble.BaggingClassifier(n_estimators=15, random_state=0, oob_score=True).fit(
        Xc, yc
    )
    assert abs(bag.oob_score_ - skbag.oob_score_) < 0.06
    sub = BaggingClassifier(n_estimators=5, max_features=0.5, random_state=0).fit(Xc, yc)
    assert all(len(f) == 1 for f in sub.estimators_features_)


def test_errors():
    X, y = _moons(50)
    with pytest.raises(ValueError, match="Out of bag"):
        RandomForestClassifier(3, bootstrap=False, oob_score=True).fit(X, y)
    with pytest.raises(ValueError, match="max_samples"):
        RandomForestClassifier(3, max_samples=2.0).fit(X, y)
    with pytest.raises(ValueError, match="only -1 and \\+1"):
        discrete_adaboost(X, y, 3)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_gradient_boosting_classifier_matches_sklearn(n_classes):
    from ember.ml.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(10 + n_classes)
    X = rng.normal(size=(250, 4))
    y = np.digitize(X[:, 0] + X[:, 1] * X[:, 2], [-0.5, 0.5][: n_classes - 1])
    ours = GradientBoostingClassifier(n_estimators=15).fit(X, y)
    ref = sk_ensemble.GradientBoostingClassifier(n_estimators=15, random_state=0).fit(X, y)
    assert_close(ours.decision_function(X), ref.decision_function(X), **TOL["float64_reduce"])
    assert_close(ours.predict_proba(X), ref.predict_proba(X), **TOL["float64_reduce"])


def test_gradient_boosting_regressor_matches_sklearn():
    from ember.ml.ensemble import GradientBoostingRegressor

    rng = np.random.default_rng(5)
    X = rng.normal(size=(250, 3))
    y = np.sin(X[:, 0]) + X[:, 1] ** 2
    ours = GradientBoostingRegressor(n_estimators=15, learning_rate=0.2).fit(X, y)
    ref = sk_ensemble.GradientBoostingRegressor(
        n_estimators=15, learning_rate=0.2, random_state=0
    ).fit(X, y)
    assert_close(ours.predict(X), ref.predict(X), **TOL["float64_reduce"])
