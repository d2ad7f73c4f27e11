"""MFCC: log mel energies -> DCT-II (orthonormal) -> keep numcep -> sinusoidal lifter (TOPICS 1.24).

c_n = sqrt(2/M) s_n sum_m log E_m cos(pi n (2m + 1) / (2M)), s_0 = 1/sqrt(2) else 1;
lifter: c_n * (1 + (L/2) sin(pi n / L)); with ``appendEnergy`` c_0 is replaced by log frame energy.
Deltas: d_t = sum_{k=1..N} k (c_{t+k} - c_{t-k}) / (2 sum k^2), edges padded by repetition.
"""

from __future__ import annotations

import numpy as np

from .mel import fbank

__all__ = ["dct_ortho", "lifter", "mfcc", "delta", "mfcc_deltas"]


def dct_ortho(x, axis: int = -1) -> np.ndarray:
    """Orthonormal DCT-II along ``axis`` (equals ``scipy.fft.dct(x, type=2, norm='ortho')``)."""
    x = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    M = x.shape[-1]
    n, m = np.arange(M)[:, None], np.arange(M)[None, :]
    basis = np.sqrt(2.0 / M) * np.cos(np.pi * n * (2 * m + 1) / (2 * M))
    basis[0] /= np.sqrt(2.0)
    return np.moveaxis(x @ basis.T, -1, axis)


def lifter(cepstra, L: int = 22) -> np.ndarray:
    """Multiply coefficient n by 1 + (L/2) sin(pi n / L) (no-op for L <= 0)."""
    cepstra = np.asarray(cepstra, dtype=np.float64)
    if L <= 0:
        return cepstra
    n = np.arange(cepstra.shape[-1])
    return cepstra * (1 + (L / 2.0) * np.sin(np.pi * n / L))


def mfcc(
    signal,
    samplerate: int = 16000,
    winlen: float = 0.025,
    winstep: float = 0.01,
    numcep: int = 13,
    nfilt: int = 26,
    nfft: int = 512,
    lowfreq: float = 0,
    highfreq: float | None = None,
    preemph: float = 0.97,
    ceplifter: int = 22,
    appendEnergy: bool = True,
    winfunc=None,
) -> np.ndarray:  # noqa: N803
    """MFCC matrix (n_frames, numcep); 1 s at 16 kHz with the defaults gives (99, 13).

    Notes:
        Argument names and defaults are python_speech_features.mfcc's, including its rectangular
        default window; TOPICS.md 1.24's recipe is ``winfunc="hamming"``.
    """
    if not 1 <= numcep <= nfilt:
        raise ValueError(f"numcep must be in [1, nfilt={nfilt}], got {numcep}")
    feat, energy = fbank(
        signal, samplerate, winlen, winstep, nfilt, nfft, lowfreq, highfreq, preemph, winfunc
    )
    cep = lifter(dct_ortho(np.log(feat), axis=1)[:, :numcep], ceplifter)
    if appendEnergy:
        cep[:, 0] = np.log(energy)
    return cep


def delta(feat, N: int = 2) -> np.ndarray:
    """Regression deltas over +-N frames, shape of ``feat`` (frames, coeffs)."""
    if not isinstance(N, (int, np.integer)) or N < 1:
        raise ValueError(f"N must be an integer >= 1, got {N!r}")
    feat = np.asarray(feat, dtype=np.float64)
    T = len(feat)
    padded = np.pad(feat, ((N, N), (0, 0)), mode="edge")
    num = sum(k * (padded[N + k : N + k + T] - padded[N - k : N - k + T]) for k in range(1, N + 1))
    return num / (2 * sum(k * k for k in range(1, N + 1)))


def mfcc_deltas(signal, samplerate: int = 16000, N: int = 2, **kwargs) -> np.ndarray:  # noqa: N803
    """MFCC with first and second deltas stacked: (n_frames, 3 * numcep)."""
    c = mfcc(signal, samplerate, **kwargs)
    d = delta(c, N)
    return np.hstack([c, d, delta(d, N)])
