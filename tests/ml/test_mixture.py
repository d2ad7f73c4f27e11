"""GaussianMixture (EM) vs scikit-learn from identical initial parameters."""

import warnings

import numpy as np
import pytest
from tolerances import TOL, assert_close

from ember.ml.datasets import make_blobs
from ember.ml.mixture import GaussianMixture

sk_mixture = pytest.importorskip("sklearn.mixture")

INIT_PREC = {
    "full": lambda d: np.stack([np.eye(d)] * 3),
    "tied": lambda d: 0.5 * np.eye(d),
    "diag": lambda d: np.ones((3, d)),
    "spherical": lambda d: np.ones(3),
}


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_em_matches_sklearn_five_iterations(cov):
    X, _ = make_blobs(400, 3, centers=3, random_state=1)
    kw = dict(
        covariance_type=cov,
        tol=0,
        reg_covar=0.0,
        max_iter=5,
        weights_init=np.full(3, 1 / 3),
        means_init=X[:3],
        precisions_init=INIT_PREC[cov](3),
    )
    ours = GaussianMixture(3, **kw).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter
        ref = sk_mixture.GaussianMixture(3, **kw).fit(X)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        assert_close(getattr(ours, name), getattr(ref, name), **TOL["float64_reduce"], name=name)
    assert_close(ours.lower_bound_, ref.lower_bound_, **TOL["float64_reduce"])
    assert_close(ours.predict_proba(X), ref.predict_proba(X), **TOL["float64_reduce"])
    assert_close(ours.score_samples(X), ref.score_samples(X), **TOL["float64_reduce"])
    assert_close(ours.bic(X), ref.bic(X), **TOL["float64_reduce"])
    assert_close(ours.aic(X), ref.aic(X), **TOL["float64_reduce"])


def test_default_reg_covar_is_added_like_sklearn():
    X, _ = make_blobs(300, 2, centers=2, random_state=0)
    kw = dict(
        max_iter=3,
        tol=0,
        weights_init=[0.5, 0.5],
        means_init=X[:2],
        precisions_init=np.stack([np.eye(2)] * 2),
    )
    ours = GaussianMixture(2, **kw).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = sk_mixture.GaussianMixture(2, **kw).fit(X)
    assert_close(ours.covariances_, ref.covariances_, **TOL["float64_reduce"])


def test_em_log_likelihood_never_decreases():
    X, _ = make_blobs(500, 2, centers=4, random_state=3)
    gm = GaussianMixture(4, tol=0, max_iter=25, init_params="random", random_state=0).fit(X)
    assert np.all(np.diff(gm.lower_bounds_) >= -1e-10)


def test_sample_and_predict_recover_components():
    X, y = make_blobs(600, 2, centers=[[-6, 0], [0, 6], [6, 0]], random_state=0)
    gm = GaussianMixture(3, random_state=0).fit(X)
    Xs, ys = gm.sample(3000, random_state=1)
    assert Xs.shape == (3000, 2) and np.bincount(ys).min() > 800
    assert (gm.predict(Xs) == ys).mean() > 0.99


def test_errors():
    with pytest.raises(ValueError, match="n_samples >= n_components"):
        GaussianMixture(5).fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="covariance_type"):
        GaussianMixture(1, covariance_type="banana").fit(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="reg_covar must be >= 0"):
        GaussianMixture(1, reg_covar=-1.0).fit(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="ill-defined empirical covariance"):
        GaussianMixture(1)._set(np.ones(1), np.zeros((1, 2)), -np.ones((1, 2, 2)))


def test_zero_variance_feature_is_regularised_like_sklearn():
    X = np.c_[np.random.default_rng(0).normal(size=50), np.full(50, 3.0)]
    ours = GaussianMixture(1).fit(X)
    ref = sk_mixture.GaussianMixture(1).fit(X)
    assert_close(ours.covariances_, ref.covariances_, **TOL["float64_reduce"])
