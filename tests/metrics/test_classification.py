"""ember.metrics.classification vs scikit-learn (ORACLES.md §3), plus hand cases (claim C133)."""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ember import metrics as M
from tolerances import TOL, assert_close

skm = pytest.importorskip("sklearn.metrics")


def _labels(seed, n=60, k=4):
    rng = np.random.default_rng(seed)
    return rng.integers(0, k, n), rng.integers(0, k, n), rng.random(n)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_prf_matches_sklearn(seed, average, beta):
    yt, yp, w = _labels(seed)
    mine = M.precision_recall_fscore_support(yt, yp, beta=beta, average=average, sample_weight=w)
    ref = skm.precision_recall_fscore_support(yt, yp, beta=beta, average=average, sample_weight=w)
    for a, b in zip(mine[:3], ref[:3]):
        assert_close(a, b, **TOL["metrics"])


@pytest.mark.parametrize("zero_division", [0, 1, np.nan])
@pytest.mark.parametrize("average", [None, "macro", "weighted", "micro"])
def test_zero_division_matches_sklearn(zero_division, average):
    yt = np.array([0, 0, 1, 1, 2])
    yp = np.array([0, 0, 0, 1, 1])  # label 2 never predicted, label 3 absent everywhere
    kw = dict(labels=[0, 1, 2, 3], average=average, zero_division=zero_division)
    for fn in ("precision_score", "recall_score", "f1_score"):
        assert_close(getattr(M, fn)(yt, yp, **kw), getattr(skm, fn)(yt, yp, **kw),
                     **TOL["metrics"], name=fn)


def test_binary_defaults_and_pos_label():
    yt = np.array(["a", "b", "b", "a", "b"])
    yp = np.array(["a", "b", "a", "a", "b"])
    for fn in ("precision_score", "recall_score", "f1_score"):
        assert getattr(M, fn)(yt, yp, pos_label="b") == getattr(skm, fn)(yt, yp, pos_label="b")
    with pytest.raises(ValueError, match="pos_label"):
        M.f1_score(yt, yp)
    with pytest.raises(ValueError, match="multiclass"):
        M.f1_score([0, 1, 2], [0, 1, 2])


def test_warn_mode_warns_and_returns_zero():
    with pytest.warns(M.UndefinedMetricWarning):
        assert M.precision_score([1, 1], [0, 0]) == 0.0


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
def test_confusion_matrix_matches_sklearn(normalize):
    yt, yp, w = _labels(1)
    assert_close(M.confusion_matrix(yt, yp, normalize=normalize, sample_weight=w),
                 skm.confusion_matrix(yt, yp, normalize=normalize, sample_weight=w), **TOL["metrics"])
    cm = M.confusion_matrix(yt, yp, labels=[3, 0, 5])
    np.testing.assert_array_equal(cm, skm.confusion_matrix(yt, yp, labels=[3, 0, 5]))
    assert M.confusion_matrix(yt, yp).dtype == np.int64


def test_accuracy_and_top_k():
    yt, yp, w = _labels(2)
    assert M.accuracy_score(yt, yp) == skm.accuracy_score(yt, yp)
    assert_close(M.accuracy_score(yt, yp, sample_weight=w),
                 skm.accuracy_score(yt, yp, sample_weight=w), **TOL["metrics"])
    assert M.accuracy_score(yt, yp, normalize=False) == skm.accuracy_score(yt, yp, normalize=False)
    scores = np.random.default_rng(0).random((60, 4))
    scores[:5] = 0.5  # ties: sklearn ranks the higher index first
    for k in (1, 2, 3):
        assert M.top_k_accuracy_score(yt, scores, k=k) == skm.top_k_accuracy_score(yt, scores, k=k)
    ml_t, ml_p = np.array([[1, 0], [1, 1]]), np.array([[1, 0], [0, 1]])
    assert M.accuracy_score(ml_t, ml_p) == skm.accuracy_score(ml_t, ml_p)


def test_log_loss_matches_sklearn():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(3), 40)
    yt = rng.integers(0, 3, 40)
    assert_close(M.log_loss(yt, p), skm.log_loss(yt, p), **TOL["metrics"])
    pb = np.r_[rng.random(39), 1.0]  # includes p = 1 that must be clipped
    ytb = np.r_[rng.integers(0, 2, 39), 0]
    assert_close(M.log_loss(ytb, pb), skm.log_loss(ytb, pb), **TOL["metrics"])
    with pytest.raises(ValueError, match="only one label"):
        M.log_loss([1, 1], [0.5, 0.5])


def test_hand_confusion_matrix_c133():
    # TP=3, FP=1, FN=2, TN=4 for positive label 1
    yt = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    yp = np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    assert M.precision_score(yt, yp) == 3 / 4
    assert M.recall_score(yt, yp) == 3 / 5
    assert M.accuracy_score(yt, yp) == 7 / 10
    assert_close(M.f1_score(yt, yp), 2 * 0.75 * 0.6 / 1.35, **TOL["metrics"])


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=40))
def test_f1_at_most_arithmetic_mean(pairs):
    yt, yp = np.array(pairs).T
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, _ = M.precision_recall_fscore_support(yt, yp, zero_division=0)
    assert np.all(f <= (p + r) / 2 + 1e-12)


def test_bad_inputs():
    with pytest.raises(ValueError, match="equal shapes"):
        M.accuracy_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        M.f1_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="average"):
        M.f1_score([0, 1], [0, 1], average="bogus")
    with pytest.raises(ValueError, match="zero_division"):
        M.f1_score([0, 1], [0, 1], zero_division=5)
    with pytest.raises(ValueError, match="sample_weight"):
        M.accuracy_score([0, 1], [0, 1], sample_weight=[1.0])
    with pytest.raises(ValueError, match="1-D"):
        M.confusion_matrix(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted", "samples"])
def test_multilabel_prf_matches_sklearn(average):
    import warnings

    from sklearn.metrics import precision_recall_fscore_support as sk_prf

    from ember.metrics import precision_recall_fscore_support

    rng = np.random.default_rng(3)
    yt = (rng.random((40, 5)) > 0.6).astype(int)
    yp = (rng.random((40, 5)) > 0.5).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = precision_recall_fscore_support(yt, yp, average=average, zero_division=0)
        ref = sk_prf(yt, yp, average=average, zero_division=0)
    for a, b in zip(ours[:3], ref[:3]):
        assert_close(np.asarray(a, float), np.asarray(b, float), **TOL["metrics"])


def test_multilabel_rejects_binary_average_and_bad_values():
    from ember.metrics import f1_score

    with pytest.raises(ValueError, match="multilabel-indicator"):
        f1_score(np.eye(3, dtype=int), np.eye(3, dtype=int))
    with pytest.raises(ValueError, match="only 0 and 1"):
        f1_score(np.eye(3) * 2, np.eye(3), average="macro")
