"""Contract and degenerate-data checks run over every estimator (NaN, unfitted, wrong width, clone)."""

import numpy as np
import pytest

from ember.ml import NotFittedError, clone
from ember.ml.cluster import DBSCAN, AgglomerativeClustering, KMeans, MiniBatchKMeans
from ember.ml.datasets import make_blobs, make_circles, make_moons, make_two_gaussians
from ember.ml.decomposition import PCA
from ember.ml.ensemble import (
    AdaBoostClassifier,
    BaggingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from ember.ml.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge, SGDClassifier
from ember.ml.mixture import GaussianMixture
from ember.ml.naive_bayes import GaussianNB
from ember.ml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from ember.ml.preprocessing import StandardScaler
from ember.ml.svm import SVC
from ember.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from tolerances import TOL, assert_close

SUPERVISED = [
    KNeighborsClassifier(3),
    KNeighborsRegressor(3),
    LogisticRegression(),
    LinearRegression(),
    Ridge(),
    Lasso(0.1),
    SGDClassifier(random_state=0),
    GaussianNB(),
    DecisionTreeClassifier(),
    DecisionTreeRegressor(),
    RandomForestClassifier(5, random_state=0),
    RandomForestRegressor(5, random_state=0),
    BaggingClassifier(n_estimators=3, random_state=0),
    AdaBoostClassifier(n_estimators=5),
    SVC(),
]
UNSUPERVISED = [
    KMeans(2, random_state=0),
    MiniBatchKMeans(2, random_state=0),
    GaussianMixture(2, random_state=0),
    AgglomerativeClustering(2),
    DBSCAN(),
    PCA(2),
    StandardScaler(),
]
ALL = SUPERVISED + UNSUPERVISED
ids = [type(e).__name__ for e in ALL]


def _xy(n=40):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize("est", ALL, ids=ids)
def test_nan_is_rejected_with_clear_message(est):
    X, y = _xy()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        est.fit(X, y) if est in SUPERVISED else est.fit(X)


@pytest.mark.parametrize(
    "est",
    [e for e in ALL if hasattr(e, "predict") or hasattr(e, "transform")],
    ids=[i for e, i in zip(ALL, ids) if hasattr(e, "predict") or hasattr(e, "transform")],
)
def test_unfitted_and_wrong_width(est):
    X, y = _xy()
    method = est.predict if hasattr(est, "predict") else est.transform
    with pytest.raises(NotFittedError):
        clone(est).predict(X) if hasattr(est, "predict") else clone(est).transform(X)
    est = clone(est)
    est.fit(X, y) if est in SUPERVISED or type(est) in map(type, SUPERVISED) else est.fit(X)
    method = est.predict if hasattr(est, "predict") else est.transform
    with pytest.raises(ValueError, match="features"):
        method(X[:, :2])


@pytest.mark.parametrize("est", ALL, ids=ids)
def test_clone_roundtrip_and_fit_returns_self(est):
    X, y = _xy()
    c = clone(est)
    assert c.get_params() == est.get_params() or repr(c) == repr(est)
    out = c.fit(X, y) if est in SUPERVISED else c.fit(X)
    assert out is c


@pytest.mark.parametrize(
    "est",
    [e for e in SUPERVISED if getattr(e, "_estimator_type", "") == "classifier"],
    ids=lambda e: type(e).__name__,
)
def test_classifiers_accept_string_labels(est):
    X, y = _xy()
    labels = np.array(["no", "yes"])[y]
    pred = clone(est).fit(X, labels).predict(X)
    assert set(pred) <= {"no", "yes"}


def test_standard_scaler_matches_sklearn():
    sk = pytest.importorskip("sklearn.preprocessing")
    X = np.c_[
        np.random.default_rng(1).normal(3, 2, size=(50, 2)), np.ones(50)
    ]  # zero-variance column
    ours, ref = StandardScaler().fit(X), sk.StandardScaler().fit(X)
    assert_close(ours.transform(X), ref.transform(X), **TOL["float64"])
    assert_close(ours.inverse_transform(ours.transform(X)), X, **TOL["float64"])


def test_datasets_shapes_and_labels():
    for X, y, k in [
        (*make_blobs(31, 3, centers=4, random_state=0), 4),
        (*make_moons(31, 0.1, random_state=0), 2),
        (*make_circles(31, 0.1, random_state=0), 2),
        (*make_two_gaussians(31, 5, random_state=0), 2),
    ]:
        assert len(X) == len(y) == 31 and len(np.unique(y)) == k
    X, y = make_two_gaussians(20000, 10, random_state=0)
    # Bayes rule sign(sum x) reaches Phi(1.28) ~ 0.90
    assert abs(np.mean((X.sum(1) > 0) == y) - 0.8997) < 0.01
