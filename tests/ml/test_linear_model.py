"""Linear models and Gaussian naive Bayes vs scikit-learn."""

import warnings

import numpy as np
import pytest
from tolerances import TOL, assert_close

from ember.ml.datasets import make_two_gaussians
from ember.ml.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge, SGDClassifier
from ember.ml.naive_bayes import GaussianNB

sk_lm = pytest.importorskip("sklearn.linear_model")


def _regression(seed=0, n=120, d=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, X @ rng.normal(size=d) * 3 + 1.5 + rng.normal(size=n)


def _classification(k=3, seed=0, n=300, d=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, k))
    y = np.argmax(X @ W + rng.gumbel(size=(n, k)), axis=1)
    return X, y


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_least_squares_and_ridge_closed_forms(fit_intercept):
    X, y = _regression()
    w = np.random.default_rng(1).uniform(0.5, 2, len(y))
    for ours, ref in [
        (
            LinearRegression(fit_intercept=fit_intercept),
            sk_lm.LinearRegression(fit_intercept=fit_intercept),
        ),
        (Ridge(2.5, fit_intercept=fit_intercept), sk_lm.Ridge(2.5, fit_intercept=fit_intercept)),
    ]:
        ours.fit(X, y, sample_weight=w)
        ref.fit(X, y, sample_weight=w)
        assert_close(ours.coef_, ref.coef_, **TOL["float64_reduce"], name="coef")
        assert_close(ours.intercept_, ref.intercept_, **TOL["float64_reduce"], name="intercept")
        assert_close(ours.score(X, y), ref.score(X, y), **TOL["float64_reduce"])


@pytest.mark.parametrize("alpha", [0.05, 0.5, 3.0])
def test_lasso_coordinate_descent_matches_sklearn(alpha):
    X, y = _regression(2, d=10)
    ours = Lasso(alpha, tol=1e-12, max_iter=100_000).fit(X, y)
    ref = sk_lm.Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
    assert_close(ours.coef_, ref.coef_, **TOL["iterative"])
    assert np.array_equal(ours.coef_ == 0, ref.coef_ == 0)  # identical sparsity pattern


@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
def test_logistic_l2_matches_sklearn(k, C):
    X, y = _classification(k)
    ours = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)
    ref = sk_lm.LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)
    assert_close(ours.coef_, ref.coef_, **TOL["iterative"])
    assert_close(ours.intercept_, ref.intercept_, **TOL["iterative"])
    assert_close(ours.predict_proba(X), ref.predict_proba(X), **TOL["iterative"])
    assert np.array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("k", [2, 3])
def test_logistic_l1_matches_sklearn_saga(k):
    X, y = _classification(k, seed=4)
    ours = LogisticRegression(C=0.05, l1_ratio=1.0, tol=1e-10, max_iter=10_000).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = sk_lm.LogisticRegression(
            C=0.05, l1_ratio=1.0, solver="saga", tol=1e-12, max_iter=200_000
        ).fit(X, y)
    assert_close(ours.coef_, ref.coef_, **TOL["iterative"])
    assert np.array_equal(np.abs(ours.coef_) < 1e-8, np.abs(ref.coef_) < 1e-8)


def test_logistic_errors_and_string_labels():
    X, y = _classification(2)
    labels = np.array(["neg", "pos"])[y]
    clf = LogisticRegression().fit(X, labels)
    assert set(clf.predict(X)) <= {"neg", "pos"} and clf.coef_.shape == (1, X.shape[1])
    with pytest.raises(ValueError, match="only one class"):
        LogisticRegression().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="continuous"):
        LogisticRegression().fit(X, X[:, 0])
    with pytest.raises(ValueError, match="l1_ratio"):
        LogisticRegression(l1_ratio=0.5).fit(X, y)


def test_sgd_hinge_reaches_logistic_accuracy():
    X, y = make_two_gaussians(1000, 5, random_state=0)
    sgd = SGDClassifier(alpha=1e-3, random_state=0, batch_size=8).fit(X, y)
    lr = LogisticRegression().fit(X, y)
    assert sgd.score(X, y) > lr.score(X, y) - 0.03


@pytest.mark.parametrize("priors", [None, [0.3, 0.3, 0.4]])
def test_gaussian_nb_matches_sklearn(priors):
    nb_mod = pytest.importorskip("sklearn.naive_bayes")
    X, y = _classification(3, seed=2)
    w = np.random.default_rng(0).uniform(0.5, 1.5, len(y))
    ours = GaussianNB(priors=priors).fit(X, y, sample_weight=w)
    ref = nb_mod.GaussianNB(priors=priors).fit(X, y, sample_weight=w)
    for name in ("theta_", "var_", "class_prior_", "class_count_"):
        assert_close(getattr(ours, name), getattr(ref, name), **TOL["float64_reduce"], name=name)
    assert_close(ours.predict_log_proba(X), ref.predict_log_proba(X), **TOL["float64_reduce"])
    assert np.array_equal(ours.predict(X), ref.predict(X))


def test_gaussian_nb_zero_variance_feature_is_smoothed():
    X = np.c_[np.random.default_rng(0).normal(size=20), np.ones(20)]
    y = np.r_[np.zeros(10), np.ones(10)]
    nb = GaussianNB().fit(X, y)
    assert np.all(nb.var_ > 0) and np.isfinite(nb.predict_log_proba(X)).all()
