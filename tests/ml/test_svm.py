"""SVC by SMO vs libsvm (scikit-learn) at the solver tolerance; SGD hinge SVM."""

import numpy as np
import pytest
from tolerances import TOL, assert_close

from ember.ml.datasets import make_blobs, make_moons
from ember.ml.svm import SVC, kernel_matrix

sk_svm = pytest.importorskip("sklearn.svm")


@pytest.mark.parametrize(
    "kernel, extra",
    [
        ("linear", {}),
        ("rbf", {}),
        ("rbf", {"gamma": 2.0}),
        ("poly", {"degree": 2, "coef0": 1.0}),
        ("sigmoid", {"gamma": 0.1}),
    ],
)
@pytest.mark.parametrize("C", [0.3, 3.0])
def test_binary_svc_matches_libsvm(kernel, extra, C):
    X, y = make_moons(150, noise=0.2, random_state=0)
    ours = SVC(kernel=kernel, C=C, **extra).fit(X, y)
    ref = sk_svm.SVC(kernel=kernel, C=C, **extra).fit(X, y)
    assert_close(ours.decision_function(X), ref.decision_function(X), **TOL["svm"])
    assert np.array_equal(ours.predict(X), ref.predict(X))
    assert set(ours.support_) == set(ref.support_)
    assert_close(ours.intercept_, ref.intercept_, **TOL["svm"])


def test_linear_svc_coef_and_dual_coef_layout():
    X, y = make_blobs(80, 2, centers=[[-2, -2], [2, 2]], cluster_std=1.2, random_state=0)
    ours = SVC(kernel="linear", C=1.0).fit(X, y)
    ref = sk_svm.SVC(kernel="linear", C=1.0).fit(X, y)
    assert np.array_equal(ours.support_, ref.support_)
    assert np.array_equal(ours.n_support_, ref.n_support_)
    assert_close(ours.dual_coef_, ref.dual_coef_, **TOL["svm"])
    assert_close(ours.coef_, ref.coef_, **TOL["svm"])
    # KKT: 0 <= alpha <= C and sum y_i alpha_i = 0
    assert np.all(np.abs(ours.dual_coef_) <= 1.0 + 1e-12)
    assert abs(ours.dual_coef_.sum()) < 1e-10


@pytest.mark.parametrize("shape", ["ovr", "ovo"])
def test_multiclass_one_vs_one_matches_libsvm(shape):
    X, y = make_blobs(240, 2, centers=4, cluster_std=2.0, random_state=3)
    ours = SVC(decision_function_shape=shape).fit(X, y)
    ref = sk_svm.SVC(decision_function_shape=shape).fit(X, y)
    assert np.array_equal(ours.predict(X), ref.predict(X))
    assert np.array_equal(ours.n_support_, ref.n_support_)
    assert_close(ours.decision_function(X), ref.decision_function(X), **TOL["svm"])


def test_kernel_matrix_formulas():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(4, 3)), rng.normal(size=(5, 3))
    d2 = ((A[:, None] - B[None]) ** 2).sum(-1)
    assert_close(kernel_matrix(A, B, "rbf", gamma=0.7), np.exp(-0.7 * d2), **TOL["float64"])
    assert_close(
        kernel_matrix(A, B, "poly", gamma=0.5, degree=3, coef0=1),
        (0.5 * A @ B.T + 1) ** 3,
        **TOL["float64"],
    )


def test_errors():
    X, y = make_moons(20, random_state=0)
    with pytest.raises(ValueError, match="kernel"):
        SVC(kernel="cubic").fit(X, y)
    with pytest.raises(ValueError, match="C must be > 0"):
        SVC(C=0).fit(X, y)
    with pytest.raises(ValueError, match="greater than one"):
        SVC().fit(X, np.zeros(20))
    with pytest.raises(AttributeError, match="linear kernel"):
        SVC().fit(X, y).coef_
