"""HMMs vs hmmlearn (scores, posteriors, Viterbi, Baum-Welch) and vs brute-force enumeration."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerances import TOL, assert_close

from ember.ml.hmm import GMMHMM, CategoricalHMM, GaussianHMM, forward_log, viterbi_log

hmmlearn_hmm = pytest.importorskip("hmmlearn.hmm")

RNG = np.random.default_rng(0)
START = np.array([0.6, 0.3, 0.1])
TRANS = RNG.dirichlet(np.ones(3), 3)
EMIT = RNG.dirichlet(np.ones(4), 3)


def _pair(ours_cls, ref_cls, *args, **params):
    kw = {k: v for k, v in params.items() if not k.endswith("_")}
    ours, ref = (
        ours_cls(*args, init_params="", **kw),
        ref_cls(*args, init_params="", implementation="log", **kw),
    )
    for name, value in params.items():
        if name.endswith("_"):
            setattr(ours, name, value.copy())
            setattr(ref, name, value.copy())
    return ours, ref


def test_categorical_scores_posteriors_viterbi_match_hmmlearn():
    X = RNG.integers(0, 4, (50, 1))
    lengths = [20, 30]
    ours, ref = _pair(
        CategoricalHMM,
        hmmlearn_hmm.CategoricalHMM,
        3,
        n_features=4,
        startprob_=START,
        transmat_=TRANS,
        emissionprob_=EMIT,
    )
    assert_close(ours.score(X, lengths), ref.score(X, lengths), **TOL["float64"])
    assert_close(
        ours.predict_proba(X, lengths), ref.predict_proba(X, lengths), **TOL["float64_reduce"]
    )
    lp0, path0 = ours.decode(X, lengths)
    lp1, path1 = ref.decode(X, lengths)
    assert_close(lp0, lp1, **TOL["float64"])
    assert np.array_equal(path0, path1)


def test_categorical_baum_welch_matches_hmmlearn():
    X = RNG.integers(0, 4, (80, 1))
    ours, ref = _pair(
        CategoricalHMM,
        hmmlearn_hmm.CategoricalHMM,
        3,
        n_features=4,
        n_iter=4,
        tol=-np.inf,
        startprob_=START,
        transmat_=TRANS,
        emissionprob_=EMIT,
    )
    ours.fit(X, [30, 50])
    ref.fit(X, [30, 50])
    for name in ("startprob_", "transmat_", "emissionprob_"):
        assert_close(getattr(ours, name), getattr(ref, name), **TOL["float64_reduce"], name=name)
    assert_close(ours.monitor_history_, list(ref.monitor_.history), **TOL["float64_reduce"])


@pytest.mark.parametrize("cov", ["diag", "full"])
def test_gaussian_hmm_em_matches_hmmlearn(cov):
    X = RNG.normal(size=(70, 2))
    var = RNG.uniform(0.5, 2, (3, 2))
    covars = var if cov == "diag" else np.stack([np.diag(v) for v in var])
    ours, ref = _pair(
        GaussianHMM,
        hmmlearn_hmm.GaussianHMM,
        3,
        covariance_type=cov,
        n_iter=3,
        tol=-np.inf,
        startprob_=START,
        transmat_=TRANS,
        means_=RNG.normal(size=(3, 2)),
        covars_=covars,
    )
    assert_close(ours.score(X), ref.score(X), **TOL["float64_reduce"])
    ours.fit(X)
    ref.fit(X)
    assert_close(ours.means_, ref.means_, **TOL["float64_reduce"])
    assert_close(ours.covars_, ref._covars_, **TOL["float64_reduce"])
    assert_close(ours.transmat_, ref.transmat_, **TOL["float64_reduce"])


def test_gmmhmm_scoring_matches_hmmlearn():
    X = RNG.normal(size=(40, 2))
    ours, ref = _pair(
        GMMHMM,
        hmmlearn_hmm.GMMHMM,
        3,
        2,
        startprob_=START,
        transmat_=TRANS,
        weights_=RNG.dirichlet(np.ones(2), 3),
        means_=RNG.normal(size=(3, 2, 2)),
        covars_=RNG.uniform(0.5, 2, (3, 2, 2)),
    )
    ref.covariance_type = "diag"
    assert_close(ours.score(X), ref.score(X), **TOL["float64_reduce"])
    assert np.array_equal(ours.predict(X), ref.predict(X))
    assert_close(ours.predict_proba(X), ref.predict_proba(X), **TOL["float64_reduce"])


def test_gmmhmm_training_increases_likelihood():
    X = np.vstack([RNG.normal(-3, 1, (100, 2)), RNG.normal(3, 1, (100, 2))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = GMMHMM(2, 2, n_iter=15, tol=-np.inf, random_state=0).fit(X, [100, 100])
    assert np.all(np.diff(m.monitor_history_) >= -1e-8)


@given(T=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_forward_and_viterbi_equal_brute_force(T, seed):
    rng = np.random.default_rng(seed)
    N = 3
    s, A, B = rng.dirichlet(np.ones(N)), rng.dirichlet(np.ones(N), N), rng.dirichlet(np.ones(4), N)
    obs = rng.integers(0, 4, T)
    lf = np.log(B[:, obs].T)
    scores = {}
    for path in itertools.product(range(N), repeat=T):
        p = (
            np.log(s[path[0]])
            + lf[0, path[0]]
            + sum(np.log(A[path[t - 1], path[t]]) + lf[t, path[t]] for t in range(1, T))
        )
        scores[path] = p
    lp, _ = forward_log(np.log(s), np.log(A), lf)
    assert_close(lp, np.logaddexp.reduce(list(scores.values())), **TOL["float64_reduce"])
    vlp, vpath = viterbi_log(np.log(s), np.log(A), lf)
    best = max(scores, key=scores.get)
    assert_close(vlp, scores[best], **TOL["float64_reduce"])
    # the returned path is optimal (equal-score paths can exist, so compare scores, not paths)
    assert_close(scores[tuple(int(v) for v in vpath)], scores[best], **TOL["float64_reduce"])


def test_sampling_and_errors():
    m = CategoricalHMM(3, n_features=4)
    m.startprob_, m.transmat_, m.emissionprob_ = START, TRANS, EMIT
    X, Z = m.sample(200, random_state=0)
    assert X.shape == (200, 1) and Z.shape == (200,) and X.max() < 4
    with pytest.raises(ValueError, match="int column"):
        m.score(np.zeros(5))
    with pytest.raises(ValueError, match="lengths"):
        m.score(X, [10, 10])
    with pytest.raises(ValueError, match="non-negative integers"):
        m.score(np.full((3, 1), -1))
