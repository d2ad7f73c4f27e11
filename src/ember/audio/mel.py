"""Mel scale and triangular mel filterbank (HTK formula; python_speech_features conventions).

mel(f) = 2595 log10(1 + f / 700). nfilt + 2 points equally spaced in mel between lowfreq and
highfreq are mapped to FFT bins floor((nfft + 1) f / samplerate); filter j rises linearly from bin
b_j to b_{j+1} and falls to b_{j+2} (peak 1, no area normalisation).
"""

from __future__ import annotations

import numpy as np

from .framing import framesig, preemphasis
from .spectral import powspec

__all__ = ["hz2mel", "mel2hz", "get_filterbanks", "fbank", "logfbank"]


def hz2mel(hz):
    """Hertz -> mel (HTK): 2595 log10(1 + hz / 700)."""
    return 2595 * np.log10(1 + np.asarray(hz, dtype=np.float64) / 700.0)


def mel2hz(mel):
    """Mel -> Hertz: 700 (10^(mel / 2595) - 1)."""
    return 700 * (10 ** (np.asarray(mel, dtype=np.float64) / 2595.0) - 1)


def get_filterbanks(
    nfilt: int = 26,
    nfft: int = 512,
    samplerate: int = 16000,
    lowfreq: float = 0,
    highfreq: float | None = None,
) -> np.ndarray:
    """Triangular filters as rows, shape (nfilt, nfft // 2 + 1)."""
    highfreq = highfreq or samplerate / 2
    if highfreq > samplerate / 2:
        raise ValueError(f"highfreq={highfreq} is greater than samplerate/2={samplerate / 2}")
    if not 0 <= lowfreq < highfreq:
        raise ValueError(f"lowfreq must be in [0, highfreq), got {lowfreq}")
    b = np.floor(
        (nfft + 1) * mel2hz(np.linspace(hz2mel(lowfreq), hz2mel(highfreq), nfilt + 2)) / samplerate
    )
    k = np.arange(nfft // 2 + 1)[None, :]
    lo, mid, hi = b[:-2, None], b[1:-1, None], b[2:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        rise = np.where((k >= lo) & (k < mid), (k - lo) / (mid - lo), 0.0)
        fall = np.where((k >= mid) & (k < hi), (hi - k) / (hi - mid), 0.0)
    return rise + fall


def fbank(
    signal,
    samplerate: int = 16000,
    winlen: float = 0.025,
    winstep: float = 0.01,
    nfilt: int = 26,
    nfft: int = 512,
    lowfreq: float = 0,
    highfreq: float | None = None,
    preemph: float = 0.97,
    winfunc=None,
):
    """Mel filterbank energies (n_frames, nfilt) and total frame energies (n_frames,).

    Pipeline: pre-emphasis -> frames of winlen s every winstep s, windowed by ``winfunc``
    (default rectangular, as python_speech_features; pass "hamming" for the usual recipe) ->
    power spectrum -> filterbank. Zeros are replaced by machine epsilon (so the log is finite).
    """
    if samplerate <= 0:
        raise ValueError(f"samplerate must be > 0, got {samplerate}")
    x = preemphasis(signal, preemph)
    frames = framesig(x, winlen * samplerate, winstep * samplerate, winfunc)
    pspec = powspec(frames, nfft)
    eps = np.finfo(float).eps
    energy = pspec.sum(1)
    energy = np.where(energy == 0, eps, energy)
    feat = pspec @ get_filterbanks(nfilt, nfft, samplerate, lowfreq, highfreq).T
    return np.where(feat == 0, eps, feat), energy


def logfbank(
    signal,
    samplerate: int = 16000,
    winlen: float = 0.025,
    winstep: float = 0.01,
    nfilt: int = 26,
    nfft: int = 512,
    lowfreq: float = 0,
    highfreq: float | None = None,
    preemph: float = 0.97,
    winfunc=None,
) -> np.ndarray:
    """Natural log of the mel filterbank energies, shape (n_frames, nfilt)."""
    return np.log(
        fbank(
            signal, samplerate, winlen, winstep, nfilt, nfft, lowfreq, highfreq, preemph, winfunc
        )[0]
    )
