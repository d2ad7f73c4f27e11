"""Linear predictive coding: autocorrelation method + Levinson-Durbin (TOPICS.md 1.24; claim C170).

All-pole model x[n] = sum_{k=1..p} a_k x[n-k] + e[n]. With autocorrelation r[k] the normal
(Yule-Walker) equations R a = r[1..p] (R Toeplitz) are solved in O(p^2) by Levinson-Durbin,
which also yields the reflection coefficients and the prediction-error power at every order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["autocorrelation", "levinson_durbin", "lpc", "lpc_residual"]


def autocorrelation(x, maxlag: int) -> np.ndarray:
    """Biased autocorrelation r[k] = (1/N) sum_n x[n] x[n+k], k = 0..maxlag (via FFT)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or len(x) <= maxlag:
        raise ValueError(
            f"x must be 1-D with more than maxlag={maxlag} samples, got shape {x.shape}"
        )
    n = len(x)
    nfft = 1 << int(np.ceil(np.log2(2 * n - 1)))
    spec = np.fft.rfft(x, nfft)
    return np.fft.irfft(spec * np.conj(spec), nfft)[: maxlag + 1] / n


def levinson_durbin(r, order: int):
    """Solve the Yule-Walker equations. Returns (a (order,), err, k (order,)) with predictor
    coefficients a_1..a_p (x[n] ~ sum a_k x[n-k]), final error power and reflection coefficients."""
    r = np.asarray(r, dtype=np.float64)
    if order < 1 or len(r) <= order:
        raise ValueError(f"need 1 <= order < len(r); got order={order}, len(r)={len(r)}")
    if r[0] <= 0:
        raise ValueError("r[0] must be > 0 (signal energy); the signal is all zeros")
    a = np.zeros(order)
    k = np.zeros(order)
    err = r[0]
    for i in range(order):
        acc = r[i + 1] - a[:i] @ r[i:0:-1]
        k[i] = acc / err
        a[:i] = a[:i] - k[i] * a[:i][::-1]
        a[i] = k[i]
        err *= 1.0 - k[i] ** 2
    return a, float(err), k


def lpc(signal, order: int = 12):
    """LPC of a signal (autocorrelation method). Returns (a (order,), prediction-error power)."""
    a, err, _ = levinson_durbin(autocorrelation(signal, order), order)
    return a, err


def lpc_residual(signal, a) -> np.ndarray:
    """Prediction error e[n] = x[n] - sum_k a_k x[n-k] (zero initial conditions), shape like x."""
    x = np.asarray(signal, dtype=np.float64)
    p = len(a)
    pad = np.concatenate([np.zeros(p), x])
    past = np.stack([pad[p - k : p - k + len(x)] for k in range(1, p + 1)], axis=1)  # (N, p)
    return x - past @ np.asarray(a)
