"""Noise generators (statistics) and colour conversions vs skimage / OpenCV."""
import numpy as np
import pytest
from tolerances import TOL, assert_close

from ember.imgproc import color as C
from ember.imgproc import noise as N

cv2 = pytest.importorskip("cv2")
skcolor = pytest.importorskip("skimage.color")
skdata = pytest.importorskip("skimage.data")

Z = 4.0  # binomial / normal bands: |observed - expected| <= 4 standard errors


def _img():
    return np.full((200, 200), 0.5)


def test_gaussian_noise_statistics():
    out = N.random_noise(_img(), "gaussian", rng=0, var=0.01, clip=False) - 0.5
    n = out.size
    assert abs(out.mean()) < Z * 0.1 / np.sqrt(n)
    assert abs(out.var() - 0.01) < Z * 0.01 * np.sqrt(2 / n)


@pytest.mark.parametrize("mode,frac", [("s&p", 0.5), ("salt", 1.0), ("pepper", 0.0)])
def test_impulse_noise_fraction(mode, frac):
    amount = 0.1
    out = N.random_noise(_img(), mode, rng=1, amount=amount)
    n = out.size
    hit = out != 0.5
    assert abs(hit.mean() - amount) < Z * np.sqrt(amount * (1 - amount) / n)
    if 0 < frac < 1:
        assert abs((out == 1).sum() / hit.sum() - frac) < Z * np.sqrt(frac * (1 - frac) / hit.sum())
    else:
        assert np.all(out[hit] == frac)


def test_poisson_speckle_uniform_seeded():
    img = np.random.default_rng(0).random((64, 64))
    a = N.random_noise(img, "poisson", rng=3)
    np.testing.assert_array_equal(a, N.random_noise(img, "poisson", rng=3))
    assert abs((a - img).mean()) < 0.01
    s = N.random_noise(img, "speckle", rng=4, var=0.04, clip=False)
    assert abs(np.std(((s - img) / np.maximum(img, 1e-9))[img > 0.1]) - 0.2) < 0.02
    u = N.random_noise(img, "uniform", rng=5, clip=False) - img
    assert -0.1 <= u.min() and u.max() <= 0.1


def test_uint8_is_scaled_like_skimage():
    u8 = np.full((50, 50), 255, np.uint8)
    assert N.random_noise(u8, "pepper", rng=0, amount=0.0).max() == 1.0


def test_color_conversions():
    rgb = skdata.astronaut()[::16, ::16]
    assert_close(C.rgb2gray(rgb), skcolor.rgb2gray(rgb), **TOL["float64"])
    f = rgb.astype(np.float32) / 255
    assert_close(C.rgb2gray(f, "bt601"), cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), **TOL["float32"])
    assert_close(C.rgb2hsv(rgb), skcolor.rgb2hsv(rgb), **TOL["float64"])
    assert_close(C.hsv2rgb(C.rgb2hsv(rgb)), rgb / 255.0, **TOL["float64"])
    assert_close(C.rgb2lab(rgb), skcolor.rgb2lab(rgb), **TOL["oracle"])
    assert_close(C.rgb2ycrcb(f), cv2.cvtColor(f, cv2.COLOR_RGB2YCrCb), **TOL["float32_reduce"])


def test_bad_inputs():
    with pytest.raises(ValueError, match="mode"):
        N.random_noise(_img(), "laplace")
    with pytest.raises(ValueError, match="amount"):
        N.random_noise(_img(), "s&p", amount=2)
    with pytest.raises(ValueError, match="RGB"):
        C.rgb2gray(np.zeros((4, 4, 4)))
