"""PCA vs scikit-learn (SVD and covariance-eigh paths)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerances import TOL, assert_close

from ember.ml.decomposition import PCA

sk_decomposition = pytest.importorskip("sklearn.decomposition")


def _data(n=200, d=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh"])
@pytest.mark.parametrize("whiten", [False, True])
@pytest.mark.parametrize("k", [3, None, 0.9])
def test_pca_matches_sklearn(solver, whiten, k):
    X = _data()
    ours = PCA(k, whiten=whiten, svd_solver=solver).fit(X)
    ref = sk_decomposition.PCA(k, whiten=whiten, svd_solver=solver).fit(X)
    assert ours.n_components_ == ref.n_components_
    sign = np.sign(np.sum(ours.components_ * ref.components_, axis=1))  # sign convention check
    assert np.all(sign == 1)
    tol = TOL["float64_reduce"] if solver == "full" else TOL["oracle"]
    for name in (
        "components_",
        "explained_variance_",
        "explained_variance_ratio_",
        "singular_values_",
        "mean_",
    ):
        assert_close(getattr(ours, name), getattr(ref, name), **tol, name=name)
    assert_close(ours.noise_variance_, ref.noise_variance_, **tol)
    assert_close(ours.transform(X), ref.transform(X), **tol)
    Z = ours.transform(X)
    assert_close(ours.inverse_transform(Z), ref.inverse_transform(Z), **tol)
    if (
        not whiten
    ):  # scikit-learn rescales components by sqrt(var) here when whitening; ours does not
        assert_close(ours.get_covariance(), ref.get_covariance(), **tol)


@given(n=st.integers(3, 40), d=st.integers(1, 8), seed=st.integers(0, 10**6))
def test_pca_projections_uncorrelated_and_ordered(n, d, seed):
    X = np.random.default_rng(seed).normal(size=(n, d))
    p = PCA().fit(X)
    Z = p.transform(X)
    C = np.cov(Z.T) if Z.shape[1] > 1 else np.atleast_2d(np.var(Z, ddof=1))
    scale = max(p.explained_variance_.max(), 1e-12)
    assert np.allclose(C - np.diag(np.diag(C)), 0, atol=1e-9 * scale)
    assert np.all(np.diff(p.explained_variance_) <= 1e-9 * scale)
    assert_close(p.inverse_transform(Z), X, **TOL["float64_reduce"])


def test_errors():
    X = _data(10, 4)
    with pytest.raises(ValueError, match="n_components=7 must be between 0 and"):
        PCA(7).fit(X[:, :4][:6])
    with pytest.raises(ValueError, match="svd_solver"):
        PCA(svd_solver="arpack").fit(X)
    with pytest.raises(ValueError, match="X has 3 features"):
        PCA(2).fit(X).transform(X[:, :3])
