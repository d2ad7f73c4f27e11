"""Inception Score and FID: closed-form golden cases and the reference formula (ORACLES.md §3)."""
import numpy as np
import pytest
from scipy import linalg

from ember import metrics as M
from tolerances import TOL, assert_close


def _reference_is(p, splits):
    """openai/improved-gan inception_score/model.py, with 0 log 0 = 0."""
    scores = []
    for i in range(splits):
        part = p[i * len(p) // splits:(i + 1) * len(p) // splits]
        py = part.mean(0)
        kl = [sum(q * np.log(q / m) for q, m in zip(row, py) if q > 0) for row in part]
        scores.append(np.exp(np.mean(kl)))
    return np.mean(scores), np.std(scores)


def test_inception_score_extremes():
    c = 5
    balanced = np.tile(np.eye(c), (4, 1))  # confident and diverse -> C
    assert_close(M.inception_score(balanced, splits=1)[0], c, **TOL["metrics"])
    collapsed = np.tile(np.eye(c)[:1], (20, 1))  # confident, one class -> 1
    assert_close(M.inception_score(collapsed, splits=2)[0], 1.0, **TOL["metrics"])
    uniform = np.full((20, c), 1 / c)  # unsure -> 1
    assert_close(M.inception_score(uniform, splits=4), (1.0, 0.0), **TOL["metrics"])


@pytest.mark.parametrize("splits", [1, 3, 10])
def test_inception_score_matches_reference(splits):
    p = np.random.default_rng(splits).dirichlet(np.full(4, 0.3), 53)
    assert_close(M.inception_score(p, splits=splits), _reference_is(p, splits), **TOL["metrics"])


def test_fid_diagonal_closed_form_and_features():
    rng = np.random.default_rng(0)
    a, b = rng.random(6) + 0.1, rng.random(6) + 0.1
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    expected = ((mu1 - mu2) ** 2).sum() + ((np.sqrt(a) - np.sqrt(b)) ** 2).sum()
    assert_close(M.frechet_distance(mu1, np.diag(a), mu2, np.diag(b)), expected, **TOL["oracle"])
    f1, f2 = rng.normal(size=(200, 4)), rng.normal(1.0, 2.0, size=(150, 4))
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    d = f1.mean(0) - f2.mean(0)
    ref = d @ d + np.trace(s1 + s2 - 2 * linalg.sqrtm(s1 @ s2).real)
    assert_close(M.fid_from_features(f1, f2), ref, **TOL["oracle"])
    assert abs(M.fid_from_features(f1, f1)) < 1e-6


def test_generative_bad_inputs():
    with pytest.raises(ValueError, match="sum to 1"):
        M.inception_score(np.ones((4, 3)))
    with pytest.raises(ValueError, match="splits"):
        M.inception_score(np.eye(3), splits=5)
    with pytest.raises(ValueError, match="sigma1"):
        M.frechet_distance(np.zeros(2), np.eye(3), np.zeros(2), np.eye(2))
