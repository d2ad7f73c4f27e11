"""Geometry vs OpenCV / torch / SciPy (ORACLES.md §2.2)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import ndimage
from tolerances import TOL, assert_close

from ember.imgproc import transform as T

cv2 = pytest.importorskip("cv2")
torch = pytest.importorskip("torch")
Fn = torch.nn.functional

CV = {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC,
      "area": cv2.INTER_AREA, "nearest-exact": cv2.INTER_NEAREST_EXACT}
SHAPES = [(12, 12), (5, 7), (16, 4), (13, 20)]


@pytest.fixture(scope="module")
def small():
    return np.random.default_rng(0).random((8, 10)).astype(np.float32)


@pytest.mark.parametrize("method", ["bilinear", "bicubic"])
@pytest.mark.parametrize("shape", SHAPES)
def test_resize_matches_cv2_and_torch(small, method, shape):
    ours = T.resize(small, shape, method)
    assert ours.dtype == np.float32
    assert_close(ours, cv2.resize(small, shape[::-1], interpolation=CV[method]), **TOL["float32"])
    t = Fn.interpolate(torch.from_numpy(small)[None, None], size=shape, mode=method, align_corners=False)
    assert_close(ours, t[0, 0].numpy(), **TOL["float32"])


@pytest.mark.parametrize("method", ["bilinear", "bicubic"])
def test_resize_align_corners_matches_torch(small, method):
    x = small.astype(np.float64)
    t = Fn.interpolate(torch.from_numpy(x)[None, None], size=(13, 5), mode=method, align_corners=True)
    assert_close(T.resize(x, (13, 5), method, align_corners=True), t[0, 0].numpy(), **TOL["float64"])


@pytest.mark.parametrize("shape", [(16, 20), (24, 30), (4, 5), (2, 2)])
def test_resize_nearest_integer_factors(small, shape):
    np.testing.assert_array_equal(T.resize(small, shape, "nearest"),
                                  cv2.resize(small, shape[::-1], interpolation=cv2.INTER_NEAREST))
    t = Fn.interpolate(torch.from_numpy(small)[None, None], size=shape, mode="nearest-exact")
    np.testing.assert_array_equal(T.resize(small, shape, "nearest-exact"), t[0, 0].numpy())


@pytest.mark.parametrize("shape", [(4, 5), (2, 2), (3, 4), (5, 7)])
def test_resize_area_shrinking(small, shape):
    assert_close(T.resize(small, shape, "area"),
                 cv2.resize(small, shape[::-1], interpolation=cv2.INTER_AREA), **TOL["float32"])
    if small.shape[0] % shape[0] == 0 and small.shape[1] % shape[1] == 0:
        t = Fn.interpolate(torch.from_numpy(small)[None, None], size=shape, mode="area")
        assert_close(T.resize(small, shape, "area"), t[0, 0].numpy(), **TOL["float32"])


def test_resize_uint8_and_color(u8):
    rgb = np.stack([u8, u8[::-1], u8.T], -1)
    ours = T.resize(rgb, (37, 50), "bilinear")
    assert ours.dtype == np.uint8 and ours.shape == (37, 50, 3)
    assert_close(ours, cv2.resize(rgb, (50, 37), interpolation=cv2.INTER_LINEAR), **TOL["uint8_level"])


@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9), st.integers(1, 9),
       st.sampled_from(["nearest", "bilinear", "bicubic", "area"]))
def test_resize_constant_image_stays_constant(h, w, ho, wo, method):
    img = np.full((h, w), 3.25)
    assert_close(T.resize(img, (ho, wo), method), np.full((ho, wo), 3.25), **TOL["float64"])


@pytest.mark.parametrize("mode", ["constant", "nearest", "reflect", "mirror", "wrap"])
def test_warp_affine_matches_scipy(noisy, mode):
    M = np.array([[0.9, -0.2, 3.3], [0.25, 1.1, -2.1]])
    ours = T.warp_affine(noisy, M, interpolation="bilinear", mode=mode, cval=7.0)
    inv = np.linalg.inv(np.vstack([M, [0, 0, 1]]))
    # SciPy works in (row, col): swap x/y in the inverse map
    A = np.array([[inv[1, 1], inv[1, 0]], [inv[0, 1], inv[0, 0]]])
    off = np.array([inv[1, 2], inv[0, 2]])
    sp_mode = {"constant": "grid-constant", "wrap": "grid-wrap"}.get(mode, mode)
    ref = ndimage.affine_transform(noisy, A, off, order=1, mode=sp_mode, cval=7.0)
    assert_close(ours, ref, **TOL["float64_reduce"])


def test_rotate_close_to_cv2(noisy):
    M = cv2.getRotationMatrix2D((23.5, 23.5), 30, 1.0)
    assert_close(T.rotation_matrix((23.5, 23.5), 30), M, **TOL["float64"])
    ref = cv2.warpAffine(noisy, M, (48, 48), flags=cv2.INTER_LINEAR)
    ours = T.rotate(noisy, 30)
    inner = (slice(4, -4), slice(4, -4))
    err = np.abs(ours[inner] - ref[inner])
    assert err.mean() < 0.01 * np.abs(noisy).mean()  # OpenCV quantises coordinates to 1/32 px


def test_rotate_90_is_exact(noisy):
    sq = noisy[:47, :47]
    assert_close(T.rotate(sq, 90), np.rot90(sq), **TOL["float64"])


def test_flip_crop_pyrdown(noisy):
    for axis, code in [(0, 0), (1, 1), (None, -1)]:
        np.testing.assert_array_equal(T.flip(noisy, axis), cv2.flip(noisy, code))
    np.testing.assert_array_equal(T.crop(noisy, 2, 3, 5, 6), noisy[2:7, 3:9])
    odd = noisy[:47, :45]
    assert_close(T.pyr_down(odd), cv2.pyrDown(odd), **TOL["float64_reduce"])
    assert [p.shape for p in T.pyramid(noisy, 3)] == [(48, 48), (24, 24), (12, 12)]


def test_bad_inputs(noisy):
    with pytest.raises(ValueError, match="interpolation"):
        T.resize(noisy, (4, 4), "lanczos")
    with pytest.raises(ValueError, match="output_shape"):
        T.resize(noisy, (0, 4))
    with pytest.raises(ValueError, match="crop box"):
        T.crop(noisy, 40, 40, 20, 20)
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        T.warp_affine(noisy, np.eye(3))
