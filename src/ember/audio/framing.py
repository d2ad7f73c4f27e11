"""Pre-emphasis, framing and analysis windows (TOPICS.md 1.24, MFCC front end).

Conventions mirror python_speech_features 0.6: frame length and hop are rounded half-up to whole
samples; the last frame is zero-padded; a signal shorter than one frame gives one frame.
"""

from __future__ import annotations

import decimal
import math

import numpy as np

__all__ = ["round_half_up", "preemphasis", "get_window", "framesig", "deframesig"]


def round_half_up(number: float) -> int:
    """Round .5 up (2.5 -> 3), unlike Python's banker's rounding."""
    return int(
        decimal.Decimal(number).quantize(decimal.Decimal("1"), rounding=decimal.ROUND_HALF_UP)
    )


def preemphasis(signal, coeff: float = 0.97) -> np.ndarray:
    """y[0] = x[0], y[n] = x[n] - coeff * x[n-1]: a first-order high-pass that boosts formants."""
    x = np.asarray(signal, dtype=np.float64)
    if x.ndim != 1 or len(x) == 0:
        raise ValueError(f"signal must be a non-empty 1-D array, got shape {x.shape}")
    return np.append(x[0], x[1:] - coeff * x[:-1])


def get_window(window, length: int) -> np.ndarray:
    """Symmetric analysis window of ``length`` samples: "hamming" 0.54 - 0.46 cos(2 pi n/(N-1)),
    "hann" 0.5 - 0.5 cos(2 pi n/(N-1)), "rectangular"/None (ones), or a callable(N) -> (N,)."""
    if window is None or window in ("rectangular", "boxcar", "ones"):
        return np.ones(length)
    if callable(window):
        return np.asarray(window(length), dtype=np.float64)
    if length == 1:
        return np.ones(1)
    n = np.arange(length)
    if window == "hamming":
        return 0.54 - 0.46 * np.cos(2 * np.pi * n / (length - 1))
    if window in ("hann", "hanning"):
        return 0.5 - 0.5 * np.cos(2 * np.pi * n / (length - 1))
    raise ValueError(
        f"window must be 'hamming', 'hann', 'rectangular', None or a callable, got {window!r}"
    )


def _frame_indices(n_frames: int, frame_len: int, frame_step: int) -> np.ndarray:
    return np.arange(frame_len)[None, :] + frame_step * np.arange(n_frames)[:, None]  # (F, L)


def framesig(sig, frame_len: float, frame_step: float, winfunc=None) -> np.ndarray:
    """Cut ``sig`` into overlapping frames (n_frames, frame_len) times the window.

    n_frames = 1 if len <= frame_len else 1 + ceil((len - frame_len) / frame_step); the tail is
    zero-padded. ``frame_len`` / ``frame_step`` are in samples (may be fractional; rounded half-up).
    """
    x = np.asarray(sig, dtype=np.float64)
    L, S = round_half_up(frame_len), round_half_up(frame_step)
    if L < 1 or S < 1:
        raise ValueError(
            f"frame_len and frame_step must round to >= 1 sample, got {frame_len}, {frame_step}"
        )
    n_frames = 1 if len(x) <= L else 1 + int(math.ceil((len(x) - L) / S))
    pad = np.concatenate([x, np.zeros((n_frames - 1) * S + L - len(x))])
    return pad[_frame_indices(n_frames, L, S)] * get_window(winfunc, L)[None, :]


def deframesig(
    frames, siglen: int, frame_len: float, frame_step: float, winfunc=None
) -> np.ndarray:
    """Overlap-add inverse of ``framesig``: sum the frames and divide by the summed window."""
    frames = np.asarray(frames, dtype=np.float64)
    L, S = round_half_up(frame_len), round_half_up(frame_step)
    if frames.shape[1] != L:
        raise ValueError(f"frames have {frames.shape[1]} columns, expected frame_len={L}")
    idx = _frame_indices(len(frames), L, S)
    total = (len(frames) - 1) * S + L
    rec = np.bincount(idx.ravel(), weights=frames.ravel(), minlength=total)
    norm = np.bincount(
        idx.ravel(), weights=np.tile(get_window(winfunc, L) + 1e-15, len(frames)), minlength=total
    )
    return (rec / norm)[: siglen if siglen > 0 else total]
