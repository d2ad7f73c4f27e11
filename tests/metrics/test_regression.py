"""Regression metrics vs scikit-learn, PSNR vs scikit-image."""
import numpy as np
import pytest

from ember import metrics as M
from tolerances import TOL, assert_close

skm = pytest.importorskip("sklearn.metrics")


@pytest.mark.parametrize("multioutput", ["raw_values", "uniform_average", [0.2, 0.8]])
@pytest.mark.parametrize("fn", ["mean_squared_error", "root_mean_squared_error",
                                "mean_absolute_error", "r2_score"])
def test_regression_matches_sklearn(fn, multioutput):
    rng = np.random.default_rng(0)
    yt, yp, w = rng.normal(size=(30, 2)), rng.normal(size=(30, 2)), rng.random(30)
    for sw in (None, w):
        assert_close(getattr(M, fn)(yt, yp, sample_weight=sw, multioutput=multioutput),
                     getattr(skm, fn)(yt, yp, sample_weight=sw, multioutput=multioutput),
                     **TOL["metrics"], name=fn)
    assert_close(getattr(M, fn)(yt[:, 0], yp[:, 0]), getattr(skm, fn)(yt[:, 0], yp[:, 0]),
                 **TOL["metrics"])


def test_r2_corner_cases_match_sklearn():
    const = np.ones(5)
    for force in (True, False):
        for pred in (const, const + np.arange(5)):
            assert_close(M.r2_score(const, pred, force_finite=force),
                         skm.r2_score(const, pred, force_finite=force), **TOL["metrics"])
    yt = np.c_[np.arange(6.0), np.ones(6)]
    yp = yt + 0.1
    assert_close(M.r2_score(yt, yp, multioutput="variance_weighted"),
                 skm.r2_score(yt, yp, multioutput="variance_weighted"), **TOL["metrics"])


def test_psnr_matches_skimage():
    skmet = pytest.importorskip("skimage.metrics")
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (16, 16), dtype=np.uint8)
    b = np.clip(a + rng.integers(-5, 6, a.shape), 0, 255).astype(np.uint8)
    assert_close(M.peak_signal_noise_ratio(a, b), skmet.peak_signal_noise_ratio(a, b),
                 **TOL["metrics"])
    fa, fb = a / 255.0, b / 255.0
    assert_close(M.peak_signal_noise_ratio(fa, fb), skmet.peak_signal_noise_ratio(fa, fb),
                 **TOL["metrics"])
    assert M.peak_signal_noise_ratio(a, a) == np.inf


def test_regression_bad_inputs():
    with pytest.raises(ValueError, match="equal shapes"):
        M.mean_squared_error([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        M.mean_absolute_error([1, np.nan], [1, 2])
    with pytest.raises(ValueError, match="multioutput"):
        M.r2_score([[1, 2], [2, 3]], [[1, 2], [2, 2]], multioutput="bogus")
