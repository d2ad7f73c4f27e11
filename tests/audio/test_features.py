"""Framing, spectra, mel filterbank, MFCC and deltas vs python_speech_features (same conventions)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tolerances import TOL, assert_close

from ember.audio import (
    deframesig,
    delta,
    fbank,
    framesig,
    get_filterbanks,
    get_window,
    hz2mel,
    lifter,
    logfbank,
    mel2hz,
    mfcc,
    mfcc_deltas,
    powspec,
    preemphasis,
    stft,
)
from ember.audio.framing import round_half_up
from ember.audio.mfcc import dct_ortho

psf = pytest.importorskip("python_speech_features")
from python_speech_features import sigproc  # noqa: E402


def _signal(n=16000, seed=0):
    return np.random.default_rng(seed).normal(size=n)


@pytest.mark.parametrize("win", [None, "hamming"])
@pytest.mark.parametrize("n", [16000, 12345, 300])
def test_mfcc_matches_python_speech_features(win, n):
    x = _signal(n)
    ours = mfcc(x, winfunc=win)
    ref = psf.mfcc(x, winfunc=np.hamming if win == "hamming" else (lambda k: np.ones((k,))))
    assert ours.shape == ref.shape
    assert_close(ours, ref, **TOL["float64_reduce"])


def test_one_second_gives_99_frames_of_13():
    assert mfcc(_signal(16000), winfunc="hamming").shape == (99, 13)


@pytest.mark.parametrize(
    "kw",
    [
        dict(nfilt=40, nfft=1024, samplerate=22050, lowfreq=300, highfreq=8000),
        dict(nfilt=26, nfft=512, samplerate=16000),
        dict(nfilt=10, nfft=256, samplerate=8000),
    ],
)
def test_filterbank_matches(kw):
    assert_close(get_filterbanks(**kw), psf.get_filterbanks(**kw), **TOL["float64"])


def test_fbank_logfbank_and_energy():
    x = _signal(5000, 1)
    f0, e0 = fbank(x, samplerate=8000, nfilt=20, nfft=256)
    f1, e1 = psf.fbank(x, samplerate=8000, nfilt=20, nfft=256)
    assert_close(f0, f1, **TOL["float64_reduce"])
    assert_close(e0, e1, **TOL["float64_reduce"])
    assert_close(logfbank(x), psf.logfbank(x), **TOL["float64_reduce"])


def test_framing_preemphasis_powspec_match_sigproc():
    x = _signal(1000, 2)
    assert_close(preemphasis(x, 0.95), sigproc.preemphasis(x, 0.95), **TOL["float64"])
    fr = framesig(x, 100.5, 40.5, "hamming")  # fractional sizes round half up
    ref = sigproc.framesig(x, 100.5, 40.5, np.hamming)
    assert_close(fr, ref, **TOL["float64"])
    assert_close(powspec(fr, 128), sigproc.powspec(ref, 128), **TOL["float64_reduce"])
    rec = deframesig(framesig(x, 100, 40), len(x), 100, 40)
    assert_close(
        rec, sigproc.deframesig(sigproc.framesig(x, 100, 40), len(x), 100, 40), **TOL["float64"]
    )
    assert_close(rec, x, **TOL["float64"])  # rectangular overlap-add is exact


def test_delta_lifter_dct_and_mel_roundtrip():
    from scipy.fft import dct

    feat = np.random.default_rng(3).normal(size=(30, 13))
    for N in (1, 2, 3):
        assert_close(delta(feat, N), psf.delta(feat, N), **TOL["float64"])
    assert_close(lifter(feat, 22), psf.lifter(feat, 22), **TOL["float64"])
    assert_close(
        dct_ortho(feat, axis=1), dct(feat, type=2, axis=1, norm="ortho"), **TOL["float64_reduce"]
    )
    f = np.array([0.0, 100.0, 1000.0, 8000.0])
    assert_close(mel2hz(hz2mel(f)), f, **TOL["float64"])
    assert_close(hz2mel(1000.0), 2595 * np.log10(1 + 1000 / 700), **TOL["float64"])
    assert mfcc_deltas(_signal(4000), samplerate=8000).shape[1] == 39


def test_windows_and_stft():
    assert_close(get_window("hamming", 16), np.hamming(16), **TOL["float64"])
    assert_close(get_window("hann", 16), np.hanning(16), **TOL["float64"])
    x = np.sin(2 * np.pi * 1000 * np.arange(4000) / 8000)
    S = stft(x, n_fft=256, hop_length=128, window="hann")
    peak_hz = np.argmax(np.abs(S).mean(0)) * 8000 / 256
    assert abs(peak_hz - 1000) <= 8000 / 256


@given(x=st.floats(0.0, 1e4, allow_nan=False))
def test_round_half_up(x):
    r = round_half_up(x)
    assert r - 0.5 <= x < r + 0.5 or abs(x - (r - 0.5)) < 1e-9


def test_errors():
    with pytest.raises(ValueError, match="highfreq"):
        get_filterbanks(26, 512, 16000, highfreq=9000)
    with pytest.raises(ValueError, match="numcep"):
        mfcc(_signal(1000), numcep=30)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        preemphasis(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="N must be an integer >= 1"):
        delta(np.zeros((3, 2)), 0)
    with pytest.raises(ValueError, match="window"):
        get_window("kaiser", 8)
