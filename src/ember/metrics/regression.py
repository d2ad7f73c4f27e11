"""Regression and image-quality metrics: MSE, RMSE, MAE, R^2 (sklearn), PSNR (scikit-image).

MSE = mean (y - y_hat)^2, MAE = mean |y - y_hat|, R^2 = 1 - SS_res / SS_tot,
PSNR = 10 * log10(data_range^2 / MSE).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import check_finite, check_sample_weight, to_numpy

__all__ = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "r2_score",
           "peak_signal_noise_ratio"]


def _check_targets(y_true: Any, y_pred: Any, sample_weight: Any, multioutput: Any):
    yt, yp = to_numpy(y_true, "y_true", np.float64), to_numpy(y_pred, "y_pred", np.float64)
    yt = yt[:, None] if yt.ndim == 1 else yt
    yp = yp[:, None] if yp.ndim == 1 else yp
    if yt.ndim != 2 or yt.shape != yp.shape:
        raise ValueError(f"y_true and y_pred: expected equal shapes (n_samples,) or (n_samples, "
                         f"n_outputs), got {np.shape(y_true)} and {np.shape(y_pred)}")
    check_finite(yt, "y_true")
    check_finite(yp, "y_pred")
    w = check_sample_weight(sample_weight, len(yt))
    if isinstance(multioutput, str):
        if multioutput not in ("raw_values", "uniform_average", "variance_weighted"):
            raise ValueError(f"multioutput: expected 'raw_values', 'uniform_average', "
                             f"'variance_weighted' or an array of weights, got {multioutput!r}")
    else:
        multioutput = to_numpy(multioutput, "multioutput", np.float64)
        if multioutput.shape != (yt.shape[1],):
            raise ValueError(f"multioutput: expected {yt.shape[1]} weights, got shape "
                             f"{multioutput.shape}")
    return yt, yp, w, multioutput


def _combine(errors: np.ndarray, multioutput: Any):
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        if multioutput == "variance_weighted":
            raise ValueError("multioutput='variance_weighted' is only defined for r2_score")
        return float(np.mean(errors))
    return float(np.average(errors, weights=multioutput))


def mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                       multioutput: Any = "uniform_average"):
    """MSE = sum_i w_i (y_i - y_hat_i)^2 / sum_i w_i per output, then combined per ``multioutput``.

    Shape: y_true, y_pred (n_samples,) or (n_samples, n_outputs); "raw_values" returns (n_outputs,).
    """
    yt, yp, w, mo = _check_targets(y_true, y_pred, sample_weight, multioutput)
    return _combine(np.average((yt - yp) ** 2, axis=0, weights=w), mo)


def root_mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                            multioutput: Any = "uniform_average"):
    """RMSE = sqrt(MSE) per output, then combined (sklearn >= 1.4 semantics)."""
    yt, yp, w, mo = _check_targets(y_true, y_pred, sample_weight, multioutput)
    return _combine(np.sqrt(np.average((yt - yp) ** 2, axis=0, weights=w)), mo)


def mean_absolute_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                        multioutput: Any = "uniform_average"):
    """MAE = sum_i w_i |y_i - y_hat_i| / sum_i w_i per output, then combined."""
    yt, yp, w, mo = _check_targets(y_true, y_pred, sample_weight, multioutput)
    return _combine(np.average(np.abs(yt - yp), axis=0, weights=w), mo)


def r2_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
             multioutput: Any = "uniform_average", force_finite: bool = True):
    """Coefficient of determination R^2 = 1 - sum w (y - y_hat)^2 / sum w (y - mean_w(y))^2.

    Notes:
        With ``force_finite`` (sklearn's default) a constant y_true gives 1.0 for a perfect
        prediction and 0.0 otherwise instead of nan / -inf; fewer than 2 samples give nan.
    """
    yt, yp, w, mo = _check_targets(y_true, y_pred, sample_weight, multioutput)
    if len(yt) < 2:
        return float("nan")
    ww = 1.0 if w is None else w[:, None]
    num = np.sum(ww * (yt - yp) ** 2, axis=0)
    den = np.sum(ww * (yt - np.average(yt, axis=0, weights=w)) ** 2, axis=0)
    if force_finite:
        scores = np.ones(len(num))
        valid = (num != 0) & (den != 0)
        scores[valid] = 1 - num[valid] / den[valid]
        scores[(num != 0) & (den == 0)] = 0.0
    else:
        with np.errstate(all="ignore"):
            scores = 1 - num / den
    if isinstance(mo, str) and mo == "variance_weighted":
        if not np.any(den != 0):
            return float(1.0 if not np.any(num != 0) else 0.0) if force_finite else float("nan")
        return float(np.average(scores, weights=den))
    return _combine(scores, mo)


def peak_signal_noise_ratio(image_true: Any, image_test: Any, *, data_range: float | None = None
                            ) -> float:
    """PSNR = 10 log10(data_range^2 / MSE) in dB, scikit-image's ``peak_signal_noise_ratio``.

    Args:
        image_true, image_test: arrays of the same shape.
        data_range: max - min possible value; default from image_true's dtype (255 for uint8,
            1 for floats with values in [0, 1], 2 for floats in [-1, 1]).

    Notes:
        Identical images give inf (skimage warns and returns inf too).
    """
    a = to_numpy(image_true, "image_true")
    b = to_numpy(image_test, "image_test")
    if a.shape != b.shape:
        raise ValueError(f"image_true and image_test: shapes differ, {a.shape} vs {b.shape}")
    if data_range is None:
        lo, hi = (np.iinfo(a.dtype).min, np.iinfo(a.dtype).max) if a.dtype.kind in "ui" else (-1, 1)
        if a.min() < lo or a.max() > hi:
            raise ValueError(f"image_true: values outside the dtype range [{lo}, {hi}]; pass "
                             "data_range")
        data_range = float(hi) if a.min() >= 0 else float(hi) - float(lo)
    err = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    with np.errstate(divide="ignore"):
        return float(10 * np.log10(data_range ** 2 / err))
