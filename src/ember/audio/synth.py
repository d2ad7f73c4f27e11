"""Synthetic speech-like signals (no downloads): tones, formant "vowels", AR processes.

Vowels follow the source-filter model: a glottal impulse train at pitch f0 passed through a
cascade of second-order resonators (one per formant F_i with bandwidth B_i), plus white noise.
Real spoken digits can be generated offline with espeak-ng (``espeak-ng -w out.wav "seven"``), read
with ``scipy.io.wavfile.read`` and fed to ``ember.audio.mfcc``; nothing here requires them.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

__all__ = ["tone", "vowel", "ar_process", "VOWEL_FORMANTS"]

# (F1, F2) in Hz of five vowels (Peterson & Barney-style averages, (std))
VOWEL_FORMANTS = {
    "a": (730, 1090),
    "e": (530, 1840),
    "i": (270, 2290),
    "o": (570, 840),
    "u": (300, 870),
}


def tone(
    freq: float,
    duration: float = 0.5,
    samplerate: int = 16000,
    amplitude: float = 1.0,
    phase: float = 0.0,
) -> np.ndarray:
    """amplitude * sin(2 pi f t + phase), t = n / samplerate."""
    t = np.arange(int(round(duration * samplerate))) / samplerate
    return amplitude * np.sin(2 * np.pi * freq * t + phase)


def vowel(
    formants,
    f0: float = 120.0,
    duration: float = 0.3,
    samplerate: int = 16000,
    bandwidths=None,
    noise: float = 0.0,
    rng=None,
) -> np.ndarray:
    """Impulse train at ``f0`` through resonators at ``formants`` (Hz); normalised to unit peak,
    plus Gaussian noise of std ``noise``."""
    rng = np.random.default_rng(rng)
    n = int(round(duration * samplerate))
    src = np.zeros(n)
    src[:: max(1, int(round(samplerate / f0)))] = 1.0
    y = src
    bandwidths = bandwidths or [60.0 + 0.05 * f for f in formants]
    for f, bw in zip(formants, bandwidths):
        r = np.exp(-np.pi * bw / samplerate)
        theta = 2 * np.pi * f / samplerate
        y = lfilter([1 - r], [1, -2 * r * np.cos(theta), r * r], y)
    y = y / (np.abs(y).max() + 1e-12)
    return y + noise * rng.standard_normal(n)


def ar_process(coeffs, n: int, sigma: float = 1.0, rng=None, burn_in: int = 500) -> np.ndarray:
    """x[t] = sum_k coeffs[k-1] x[t-k] + sigma * e[t], e ~ N(0, 1); ``burn_in`` samples dropped."""
    rng = np.random.default_rng(rng)
    e = sigma * rng.standard_normal(n + burn_in)
    return lfilter([1.0], np.r_[1.0, -np.asarray(coeffs, dtype=np.float64)], e)[burn_in:]
