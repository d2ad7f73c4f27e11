"""Morphology vs OpenCV / skimage / SciPy (ORACLES.md §4: exact)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage

from ember.imgproc import data
from ember.imgproc import morphology as M

cv2 = pytest.importorskip("cv2")
skm = pytest.importorskip("skimage.morphology")

ASYM = np.array([[1, 1, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1]], np.uint8)
ASYM3 = np.array([[1, 1, 0], [0, 0, 0], [0, 0, 1]], np.uint8)  # odd, no symmetry, origin not in it
SES = {"square": M.square(3), "disk2": M.disk(2), "asym": ASYM, "cross": M.cross(5)}
OPS = {"erode": (M.erosion, cv2.MORPH_ERODE), "dilate": (M.dilation, cv2.MORPH_DILATE),
       "open": (M.opening, cv2.MORPH_OPEN), "close": (M.closing, cv2.MORPH_CLOSE),
       "gradient": (M.morphological_gradient, cv2.MORPH_GRADIENT),
       "tophat": (M.white_tophat, cv2.MORPH_TOPHAT), "blackhat": (M.black_tophat, cv2.MORPH_BLACKHAT)}


@pytest.mark.parametrize("se", SES)
@pytest.mark.parametrize("op", OPS)
def test_grey_ops_match_cv2(u8, op, se):
    ours_fn, code = OPS[op]
    k = SES[se]
    np.testing.assert_array_equal(ours_fn(u8, k), cv2.morphologyEx(u8, code, k))


@pytest.mark.parametrize("se", SES)
def test_float_erosion_dilation_match_cv2(noisy, se):
    x = noisy.astype(np.float32)
    np.testing.assert_array_equal(M.erosion(x, SES[se]), cv2.erode(x, SES[se]))
    np.testing.assert_array_equal(M.dilation(x, SES[se]), cv2.dilate(x, SES[se]))


@pytest.mark.parametrize("se", ["square", "disk2", "asym3"])
def test_skimage_reflect_mode(u8, se):
    # skimage centres even-sized footprints at (k - 1) // 2 (OpenCV: k // 2), so odd shapes here
    k = ASYM3 if se == "asym3" else SES[se]
    np.testing.assert_array_equal(M.erosion(u8, k, mode="reflect"), skm.erosion(u8, k))
    np.testing.assert_array_equal(M.dilation(u8, k, mode="reflect"), skm.dilation(u8, k))


def test_scipy_grey_dilation_reflects_the_footprint(u8):
    k = ASYM3.astype(bool)
    ref = ndimage.grey_dilation(u8, footprint=k, mode="reflect")
    np.testing.assert_array_equal(M.dilation(u8, k[::-1, ::-1], mode="reflect"), ref)
    assert (M.dilation(u8, k, mode="reflect") != ref).any()
    np.testing.assert_array_equal(M.erosion(u8, M.square(3), mode="reflect"),
                                  ndimage.grey_erosion(u8, footprint=np.ones((3, 3)), mode="reflect"))


@pytest.mark.parametrize("border", [False, True])
def test_binary_ops_match_scipy(border):
    img = data.shape_mask(48, 3)
    for k in (M.square(3), M.disk(2), M.diamond(1)):
        np.testing.assert_array_equal(M.binary_erosion(img, k, border),
                                      ndimage.binary_erosion(img, k, border_value=border))
        np.testing.assert_array_equal(M.binary_dilation(img, k),
                                      ndimage.binary_dilation(img, k))
    np.testing.assert_array_equal(M.binary_opening(img, M.square(3)),
                                  cv2.morphologyEx(img.astype(np.uint8), cv2.MORPH_OPEN,
                                                   M.square(3)).astype(bool))


def test_hit_or_miss_matches_cv2():
    img = (np.random.default_rng(0).random((32, 32)) > 0.5).astype(np.uint8)
    kernel = np.array([[0, 1, 0], [1, -1, 1], [0, 1, 0]])
    ref = cv2.morphologyEx(img, cv2.MORPH_HITMISS, kernel.astype(np.int32)) > 0
    np.testing.assert_array_equal(M.hit_or_miss(img, kernel), ref)


def test_footprints_match_skimage():
    for r in range(4):
        np.testing.assert_array_equal(M.disk(r), skm.disk(r))
        np.testing.assert_array_equal(M.diamond(r), skm.diamond(r))
    np.testing.assert_array_equal(M.cross(5), cv2.getStructuringElement(cv2.MORPH_CROSS, (5, 5)))


@given(arrays(np.uint8, st.tuples(st.integers(1, 10), st.integers(1, 10))),
       st.sampled_from(["square", "disk2", "cross"]))
def test_ordering_properties(img, se):
    # symmetric SEs only: with OpenCV's unreflected SE, opening is not anti-extensive otherwise
    k = SES[se]
    e, d = M.erosion(img, k), M.dilation(img, k)
    o, c = M.opening(img, k), M.closing(img, k)
    assert (o <= img).all() and (img <= c).all()
    if k[k.shape[0] // 2, k.shape[1] // 2]:  # origin inside the SE: erosion <= f <= dilation
        assert (e <= img).all() and (img <= d).all()
    np.testing.assert_array_equal(M.opening(o, k), o)  # idempotent


def test_bad_inputs():
    with pytest.raises(ValueError, match="footprint"):
        M.erosion(np.zeros((4, 4)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="ndim"):
        M.dilation(np.zeros(4))
    with pytest.raises(ValueError, match="kernel"):
        M.hit_or_miss(np.zeros((4, 4)), np.full((3, 3), 2))
    with pytest.raises(ValueError, match="radius"):
        M.disk(-1)
