"""LPC (Levinson-Durbin) vs a direct Toeplitz solve; synthetic signals."""

import numpy as np
import pytest
from scipy.linalg import solve_toeplitz
from tolerances import TOL, assert_close

from ember.audio.lpc import autocorrelation, levinson_durbin, lpc, lpc_residual
from ember.audio.synth import VOWEL_FORMANTS, ar_process, tone, vowel


def test_levinson_equals_toeplitz_solve():
    x = np.random.default_rng(0).normal(size=500).cumsum()
    r = autocorrelation(x, 8)
    a, err, k = levinson_durbin(r, 8)
    assert_close(a, solve_toeplitz(r[:8], r[1:9]), **TOL["float64_reduce"])
    assert_close(err, r[0] - a @ r[1:9], **TOL["float64_reduce"])
    assert np.all(np.abs(k) < 1)  # stable predictor from the autocorrelation method


def test_autocorrelation_matches_direct_sum():
    x = np.random.default_rng(1).normal(size=64)
    direct = np.array([x[: 64 - k] @ x[k:] for k in range(6)]) / 64
    assert_close(autocorrelation(x, 5), direct, **TOL["float64_reduce"])


def test_lpc_recovers_ar_coefficients():
    coeffs = np.array([0.6, -0.4, 0.2, -0.1])
    x = ar_process(coeffs, 40000, sigma=0.5, rng=0)
    a, err = lpc(x, 4)
    assert np.max(np.abs(a - coeffs)) < 0.03
    assert abs(err - 0.25) < 0.02
    assert abs(np.var(lpc_residual(x, a)) - 0.25) < 0.02


def test_synth_shapes_and_errors():
    assert tone(440, 0.5, 8000).shape == (4000,)
    v = vowel(VOWEL_FORMANTS["a"], duration=0.2, noise=0.0)
    assert v.shape == (3200,) and np.isclose(np.abs(v).max(), 1.0)
    with pytest.raises(ValueError, match="order"):
        levinson_durbin(np.ones(3), 5)
    with pytest.raises(ValueError, match="all zeros"):
        lpc(np.zeros(100), 4)
