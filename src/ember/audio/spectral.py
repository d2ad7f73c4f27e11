"""Short-time spectra: magnitude, power (|X|^2 / NFFT) and log power of framed signals."""

from __future__ import annotations

import numpy as np

from .framing import framesig, get_window

__all__ = ["magspec", "powspec", "logpowspec", "stft"]


def magspec(frames, nfft: int) -> np.ndarray:
    """|rfft(frame, nfft)| per frame, shape (n_frames, nfft // 2 + 1); longer frames are truncated."""
    return np.abs(np.fft.rfft(np.asarray(frames, dtype=np.float64), nfft))


def powspec(frames, nfft: int) -> np.ndarray:
    """Periodogram |X(k)|^2 / nfft per frame, shape (n_frames, nfft // 2 + 1)."""
    return np.square(magspec(frames, nfft)) / nfft


def logpowspec(frames, nfft: int, norm: bool = True) -> np.ndarray:
    """10 log10(power) (floored at 1e-30), minus its maximum when ``norm``."""
    ps = np.maximum(powspec(frames, nfft), 1e-30)
    lps = 10 * np.log10(ps)
    return lps - lps.max() if norm else lps


def stft(
    signal,
    n_fft: int = 512,
    hop_length: int = 160,
    win_length: int | None = None,
    window: str = "hann",
) -> np.ndarray:
    """Complex STFT without centring: frames of ``win_length`` every ``hop_length`` samples,
    windowed, zero-padded to ``n_fft``. Shape (n_frames, n_fft // 2 + 1)."""
    win_length = n_fft if win_length is None else win_length
    frames = framesig(signal, win_length, hop_length, lambda n: get_window(window, n))
    return np.fft.rfft(frames, n_fft)
