"""ember.imgproc.filters vs SciPy / OpenCV / scikit-image (ORACLES.md §2.1, §4)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage, signal
from tolerances import TOL, assert_close

from ember.imgproc import filters as F
from ember.imgproc import pad

cv2 = pytest.importorskip("cv2")
skf = pytest.importorskip("skimage.filters")

MODES = ["reflect", "mirror", "nearest", "wrap", "constant"]
CV_BORDER = {"mirror": cv2.BORDER_REFLECT_101, "reflect": cv2.BORDER_REFLECT,
             "nearest": cv2.BORDER_REPLICATE, "wrap": cv2.BORDER_WRAP}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kshape", [(3, 3), (5, 3), (2, 2), (4, 5), (1, 7)])
def test_correlate_convolve_match_scipy(noisy, mode, kshape):
    k = np.random.default_rng(sum(kshape)).normal(size=kshape)
    assert_close(F.correlate(noisy, k, mode, cval=1.5),
                 ndimage.correlate(noisy, k, mode=mode, cval=1.5), **TOL["float64_reduce"])
    assert_close(F.convolve(noisy, k, mode, cval=1.5),
                 ndimage.convolve(noisy, k, mode=mode, cval=1.5), **TOL["float64_reduce"])


@pytest.mark.parametrize("mode", ["mirror", "reflect", "nearest"])
def test_correlate_matches_cv2_filter2d(noisy, mode):
    k = np.random.default_rng(0).normal(size=(5, 5))
    ref = cv2.filter2D(noisy, -1, k, borderType=CV_BORDER[mode])
    assert_close(F.correlate(noisy, k, mode), ref, **TOL["float64_reduce"])


def test_convolve_matches_signal_convolve2d(noisy):
    k = np.random.default_rng(1).normal(size=(3, 5))
    ref = signal.convolve2d(noisy, k, mode="same", boundary="symm")
    assert_close(F.convolve(noisy, k, "reflect"), ref, **TOL["float64_reduce"])


def test_border_mode_names_match_table():
    x = np.array([1, 2, 3, 4])
    left = {m: pad(x, (2, 0), m)[:2].tolist() for m in MODES}
    assert left == {"reflect": [2, 1], "mirror": [3, 2], "nearest": [1, 1], "wrap": [3, 4],
                    "constant": [0, 0]}
    assert pad(x, (2, 0), "reflect_101")[:2].tolist() == [3, 2]
    assert pad(x, (2, 0), "replicate")[:2].tolist() == [1, 1]


def test_multichannel_filtered_per_channel(noisy):
    rgb = np.stack([noisy, noisy * 0.5, noisy + 3], -1)
    k = np.ones((3, 3)) / 9
    out = F.correlate(rgb, k)
    for c in range(3):
        assert_close(out[..., c], ndimage.correlate(rgb[..., c], k), **TOL["float64_reduce"])


@pytest.mark.parametrize("sigma", [0.7, 1.5, (1.0, 2.5)])
@pytest.mark.parametrize("mode", ["reflect", "mirror", "constant"])
def test_gaussian_matches_scipy(noisy, sigma, mode):
    assert_close(F.gaussian(noisy, sigma, mode=mode),
                 ndimage.gaussian_filter(noisy, sigma, mode=mode), **TOL["float64_reduce"])


@pytest.mark.parametrize("ksize,sigma", [(5, 1.2), (7, 0), (3, 0), (9, 0), (11, 2.0)])
def test_gaussian_ksize_matches_cv2(noisy, ksize, sigma):
    ref = cv2.GaussianBlur(noisy, (ksize, ksize), sigma)
    assert_close(F.gaussian(noisy, sigma, mode="mirror", ksize=ksize), ref, **TOL["float64_reduce"])
    assert_close(F.gaussian_kernel(sigma, ksize), cv2.getGaussianKernel(ksize, sigma).ravel(),
                 **TOL["float64"])


def test_gaussian_uint8_within_one_level_of_cv2(u8):
    ours = np.floor(F.gaussian(u8, 1.3, mode="mirror", ksize=7) + 0.5)
    assert_close(ours, cv2.GaussianBlur(u8, (7, 7), 1.3), **TOL["uint8_level"])


def test_gaussian_float32_keeps_dtype(noisy):
    x = noisy.astype(np.float32)
    out = F.gaussian(x, 1.5)
    assert out.dtype == np.float32
    assert_close(out, ndimage.gaussian_filter(x, 1.5), **TOL["image_float32"])


@pytest.mark.parametrize("size", [3, 4, (3, 5)])
def test_uniform_filter_matches_scipy_and_cv2(noisy, size):
    assert_close(F.uniform_filter(noisy, size), ndimage.uniform_filter(noisy, size),
                 **TOL["float64_reduce"])
    if size == 3:
        assert_close(F.box_filter(noisy, 3), cv2.blur(noisy, (3, 3)), **TOL["float64_reduce"])
        assert_close(F.box_filter(noisy, 3, normalize=False),
                     cv2.boxFilter(noisy, -1, (3, 3), normalize=False), **TOL["float64_reduce"])


@pytest.mark.parametrize("size", [3, 5])
def test_median_matches_scipy_cv2_skimage(u8, size):
    ours = F.median(u8, size)
    assert ours.dtype == np.uint8
    np.testing.assert_array_equal(ours, ndimage.median_filter(u8, size, mode="nearest"))
    np.testing.assert_array_equal(ours, cv2.medianBlur(u8, size))
    if size == 3:
        np.testing.assert_array_equal(ours, skf.median(u8, np.ones((3, 3)), mode="nearest"))


def test_median_footprint(noisy):
    fp = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], bool)
    assert_close(F.median(noisy, footprint=fp, mode="reflect"),
                 ndimage.median_filter(noisy, footprint=fp, mode="reflect"), **TOL["float64"])


def test_bilateral_uint8_matches_cv2(u8):
    ours = F.bilateral(u8, 5, 30.0, 2.0)
    assert_close(ours, cv2.bilateralFilter(u8, 5, 30.0, 2.0), **TOL["uint8_level"])


def test_laplace_variants(noisy):
    assert_close(F.laplace(noisy), ndimage.laplace(noisy), **TOL["float64_reduce"])
    assert_close(F.laplace(noisy, mode="mirror"), cv2.Laplacian(noisy, cv2.CV_64F, ksize=1),
                 **TOL["float64_reduce"])
    assert_close(F.laplace(noisy, 8, "mirror"), cv2.filter2D(noisy, -1, F.LAPLACE_8),
                 **TOL["float64_reduce"])
    sharp = F.laplacian_sharpen(noisy, c=0.5)
    assert_close(sharp, noisy - 0.5 * ndimage.laplace(noisy), **TOL["float64_reduce"])


@pytest.mark.parametrize("radius,amount", [(1.0, 1.0), (2.5, 0.7)])
def test_unsharp_mask_matches_skimage(noisy, u8, radius, amount):
    ref = skf.unsharp_mask(noisy, radius, amount, preserve_range=True)
    assert_close(F.unsharp_mask(noisy, radius, amount, preserve_range=True), ref,
                 **TOL["float64_reduce"])
    assert_close(F.unsharp_mask(u8, radius, amount), skf.unsharp_mask(u8, radius, amount),
                 **TOL["float64_reduce"])


def test_high_boost_is_unsharp_with_k(noisy):
    assert_close(F.high_boost(noisy, 1.0, 1.0), F.unsharp_mask(noisy, 1.0, 1.0, True),
                 **TOL["float64"])


def test_threshold_types_match_cv2(u8):
    for name, code in [("binary", cv2.THRESH_BINARY), ("binary_inv", cv2.THRESH_BINARY_INV),
                       ("trunc", cv2.THRESH_TRUNC), ("tozero", cv2.THRESH_TOZERO),
                       ("tozero_inv", cv2.THRESH_TOZERO_INV)]:
        np.testing.assert_array_equal(F.threshold(u8, 127, 200, name),
                                      cv2.threshold(u8, 127, 200, code)[1])


def test_otsu_matches_skimage(u8, noisy):
    assert F.threshold_otsu(u8) == skf.threshold_otsu(u8)
    assert_close(F.threshold_otsu(noisy), skf.threshold_otsu(noisy), **TOL["float64"])


@pytest.mark.parametrize("ttype", ["binary", "binary_inv"])
def test_adaptive_threshold_mean_exact_gaussian_close(u8, ttype):
    code = cv2.THRESH_BINARY if ttype == "binary" else cv2.THRESH_BINARY_INV
    ref = cv2.adaptiveThreshold(u8, 255, cv2.ADAPTIVE_THRESH_MEAN_C, code, 11, 3)
    np.testing.assert_array_equal(F.adaptive_threshold(u8, 255, "mean", ttype, 11, 3), ref)
    ref_g = cv2.adaptiveThreshold(u8, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, code, 7, 2)
    ours_g = F.adaptive_threshold(u8, 255, "gaussian", ttype, 7, 2)
    assert np.mean(ours_g != ref_g) < 0.01  # OpenCV's fixed-point Gaussian: rounding ties only


@given(arrays(st.sampled_from([np.uint8, np.float32, np.float64]),
              st.tuples(st.integers(1, 9), st.integers(1, 9)),
              elements=st.integers(0, 255)),
       st.sampled_from(MODES))
def test_gaussian_and_box_any_shape_dtype(img, mode):
    ref = ndimage.gaussian_filter(img.astype(np.float64), 1.0, mode=mode)
    assert_close(F.gaussian(img.astype(np.float64), 1.0, mode=mode), ref, **TOL["float64_reduce"])
    out = F.uniform_filter(img, 3, mode=mode)
    assert out.dtype == (np.float32 if img.dtype == np.float32 else np.float64)
    assert out.shape == img.shape


@given(arrays(np.float64, st.tuples(st.integers(1, 12), st.integers(1, 12)),
              elements=st.floats(-100, 100)))
def test_mean_filter_preserves_mean_under_wrap(img):
    assert_close(F.uniform_filter(img, 3, mode="wrap").mean(), img.mean(), **TOL["float64_reduce"])


def test_bad_inputs():
    with pytest.raises(ValueError, match="ndim"):
        F.gaussian(np.zeros(5), 1.0)
    with pytest.raises(ValueError, match="non-empty"):
        F.gaussian(np.zeros((0, 4)), 1.0)
    with pytest.raises(ValueError, match="sigma"):
        F.gaussian(np.zeros((4, 4)), -1.0)
    with pytest.raises(ValueError, match="odd"):
        F.gaussian(np.zeros((4, 4)), 1.0, ksize=4)
    with pytest.raises(ValueError, match="mode"):
        F.correlate(np.zeros((4, 4)), np.ones((3, 3)), mode="bogus")
    with pytest.raises(TypeError, match="numeric"):
        F.median(np.array([["a"]]))
    with pytest.raises(ValueError, match="block_size"):
        F.adaptive_threshold(np.zeros((4, 4), np.uint8), block_size=1)


def test_accepts_objects_with_numpy_method(noisy):
    class T:
        def numpy(self):
            return noisy
    assert_close(F.gaussian(T(), 1.0), F.gaussian(noisy, 1.0), **TOL["float64"])
