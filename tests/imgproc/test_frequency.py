"""Frequency-domain filters and transforms vs NumPy FFT / SciPy (ORACLES.md §4 "FFT low/high-pass")."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import fft as sfft
from scipy import linalg
from tolerances import TOL, assert_close

from ember.imgproc import filters as F


@pytest.mark.parametrize("kind", ["ideal", "butterworth", "gaussian"])
@pytest.mark.parametrize("shape", [(16, 16), (15, 20)])
def test_filter_is_circular_convolution(kind, shape):
    img = np.random.default_rng(0).random(shape)
    h = F.transfer_function(shape, 4.0, kind)
    kernel = np.real(np.fft.ifft2(h))  # spatial kernel, origin at index (0, 0)
    # spatial-domain oracle: circular convolution sum_ab k[a, b] f[i - a, j - b]
    ref = sum(kernel[a, b] * np.roll(img, (a, b), axis=(0, 1))
              for a in range(shape[0]) for b in range(shape[1]))
    assert_close(F.frequency_filter(img, 4.0, kind), ref, **TOL["float64_reduce"])


@pytest.mark.parametrize("kind", ["ideal", "butterworth", "gaussian"])
def test_low_plus_high_is_identity(noisy, kind):
    low = F.frequency_filter(noisy, 6.0, kind)
    high = F.frequency_filter(noisy, 6.0, kind, high_pass=True)
    assert_close(low + high, noisy, **TOL["float64_reduce"])


@pytest.mark.parametrize("high_pass", [True, False])
@pytest.mark.parametrize("order", [1.0, 2.5])
def test_butterworth_matches_skimage(high_pass, order):
    skf = pytest.importorskip("skimage.filters")
    img = np.random.default_rng(0).random((32, 32))
    ref = skf.butterworth(img, 0.1, high_pass=high_pass, order=order, squared_butterworth=True, npad=0)
    assert_close(F.frequency_filter(img, 0.1 * 32, "butterworth", high_pass, order), ref,
                 **TOL["float64_reduce"])


def test_transfer_function_values():
    h = np.fft.fftshift(F.transfer_function((9, 9), 2.0, "butterworth", order=1))
    assert h[4, 4] == 1.0 and abs(h[4, 6] - 0.5) < 1e-15  # D = D0 -> 1/2
    g = np.fft.fftshift(F.transfer_function((9, 9), 2.0, "gaussian"))
    assert abs(g[4, 6] - np.exp(-0.5)) < 1e-15


def test_high_frequency_fraction_parseval(noisy):
    f = noisy - noisy.mean()
    assert abs(F.high_frequency_fraction(noisy, 0.0) - 1.0) < 1e-12
    low = F.frequency_filter(f, 5.0, "ideal")
    assert_close(1 - F.high_frequency_fraction(noisy, 5.0), (low ** 2).sum() / (f ** 2).sum(),
                 **TOL["float64_reduce"])


@given(arrays(np.float64, st.tuples(st.integers(1, 9), st.integers(1, 9)), elements=st.floats(-50, 50)))
def test_dct_matches_scipy_and_inverts(img):
    c = F.dct2(img)
    assert_close(c, sfft.dctn(img, norm="ortho"), **TOL["float64_reduce"])
    assert_close(F.idct2(c), img, **TOL["float64_reduce"])


def test_wht_and_haar():
    img = np.random.default_rng(1).random((8, 16))
    h8, h16 = linalg.hadamard(8) / np.sqrt(8), linalg.hadamard(16) / 4.0
    assert_close(F.wht2(img), h8 @ img @ h16.T, **TOL["float64"])
    assert_close(F.iwht2(F.wht2(img)), img, **TOL["float64"])
    ca, (ch, cv, cd) = F.haar2(img)
    assert_close(ca, (img[0::2, 0::2] + img[0::2, 1::2] + img[1::2, 0::2] + img[1::2, 1::2]) / 2,
                 **TOL["float64"])
    assert_close(F.ihaar2(ca, (ch, cv, cd)), img, **TOL["float64"])
    energy = (ca ** 2).sum() + (ch ** 2).sum() + (cv ** 2).sum() + (cd ** 2).sum()
    assert_close(energy, (img ** 2).sum(), **TOL["float64"])  # orthonormal


def test_dct_codec_compresses(noisy):
    smooth = F.gaussian(noisy, 2.0)
    rec, frac = F.dct_codec(smooth, 8, 4.0)
    assert frac < 0.3 and np.abs(rec - smooth)[:48, :48].max() < 8.0


def test_bad_inputs():
    with pytest.raises(ValueError, match="kind"):
        F.transfer_function((4, 4), 1.0, "chebyshev")
    with pytest.raises(ValueError, match="cutoff"):
        F.frequency_filter(np.zeros((4, 4)), 0.0)
    with pytest.raises(ValueError, match="power of two"):
        F.wht2(np.zeros((6, 8)))
    with pytest.raises(ValueError, match="even"):
        F.haar2(np.zeros((5, 4)))
