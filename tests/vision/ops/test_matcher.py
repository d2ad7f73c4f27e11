"""Matcher: thresholds, BETWEEN/BELOW codes and low-quality matches (torchvision semantics)."""
import numpy as np
import pytest

from ember.vision.ops import Matcher


def _brute(q, high, low, allow):
    out = []
    for j in range(q.shape[1]):
        best = q[:, j].max()
        out.append(int(np.argmax(q[:, j])) if best >= high else (-2 if best >= low else -1))
    if allow:
        for i in range(q.shape[0]):
            for j in np.nonzero(q[i] == q[i].max())[0]:
                out[j] = int(np.argmax(q[:, j]))
    return out


@pytest.mark.parametrize("allow", [False, True])
def test_matcher_matches_brute_force(allow):
    q = np.round(np.random.default_rng(0).random((4, 30)) * 0.9, 2)
    got = Matcher(0.7, 0.3, allow)(q)
    assert got.tolist() == _brute(q, 0.7, 0.3, allow)


def test_thresholds_are_inclusive_low_exclusive_high():
    q = np.array([[0.7, 0.3, 0.29, 0.5]])
    assert Matcher(0.7, 0.3)(q).tolist() == [0, -2, -1, -2]
    assert Matcher(0.7, 0.3, allow_low_quality_matches=True)(q).tolist() == [0, -2, -1, -2]
    q2 = np.array([[0.1, 0.2], [0.4, 0.0]])  # gt 0 best is 0.2 at pred 1 -> rescued
    assert Matcher(0.7, 0.3, True)(q2).tolist() == [1, 0]


def test_matcher_errors():
    with pytest.raises(ValueError, match="No ground-truth boxes"):
        Matcher(0.7, 0.3)(np.zeros((0, 5)))
    with pytest.raises(ValueError, match="No proposal boxes"):
        Matcher(0.7, 0.3)(np.zeros((2, 0)))
    with pytest.raises(ValueError, match="low_threshold"):
        Matcher(0.3, 0.7)
