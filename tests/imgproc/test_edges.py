"""Edge operators vs SciPy / OpenCV / skimage, and Canny's four stages (ORACLES.md §4)."""
import numpy as np
import pytest
from scipy import ndimage
from tolerances import TOL, assert_close

from ember.imgproc import data
from ember.imgproc import feature as FT
from ember.imgproc import filters as F

cv2 = pytest.importorskip("cv2")
skf = pytest.importorskip("skimage.filters")
skfeat = pytest.importorskip("skimage.feature")

MIN_F_MEASURE = 0.9  # ORACLES.md §4: Canny agrees statistically (F >= 0.9, 1-px tolerance)


@pytest.mark.parametrize("axis", [0, 1])
def test_sobel_prewitt_match_scipy(noisy, axis):
    assert_close(F.sobel(noisy, axis), ndimage.sobel(noisy, axis), **TOL["float64_reduce"])
    assert_close(F.prewitt(noisy, axis), ndimage.prewitt(noisy, axis), **TOL["float64_reduce"])


def test_sobel_scharr_match_cv2(noisy):
    assert_close(F.sobel(noisy, 1, mode="mirror"), cv2.Sobel(noisy, cv2.CV_64F, 1, 0, ksize=3),
                 **TOL["float64_reduce"])
    assert_close(F.sobel(noisy, 0, mode="mirror"), cv2.Sobel(noisy, cv2.CV_64F, 0, 1, ksize=3),
                 **TOL["float64_reduce"])
    assert_close(F.scharr(noisy, 1, mode="mirror"), cv2.Scharr(noisy, cv2.CV_64F, 1, 0),
                 **TOL["float64_reduce"])


def test_skimage_conventions(noisy):
    # skimage: normalised kernels, magnitude sqrt((h^2 + v^2) / 2), mode="reflect"
    h = F.sobel(noisy, 0, normalize=True)
    v = F.sobel(noisy, 1, normalize=True)
    assert_close(np.abs(h), np.abs(skf.sobel_h(noisy)), **TOL["float64_reduce"])
    assert_close(np.abs(v), np.abs(skf.sobel_v(noisy)), **TOL["float64_reduce"])
    assert_close(np.hypot(h, v) / np.sqrt(2), skf.sobel(noisy), **TOL["float64_reduce"])
    assert_close(F.prewitt(noisy, normalize=True) / np.sqrt(2), skf.prewitt(noisy),
                 **TOL["float64_reduce"])
    assert_close(F.scharr(noisy, normalize=True) / np.sqrt(2), skf.scharr(noisy),
                 **TOL["float64_reduce"])


def test_roberts_matches_cv2_filter2d_and_skimage(noisy):
    assert_close(F.roberts(noisy, "pos", mode="mirror"), cv2.filter2D(noisy, -1, F._edges.ROBERTS_POS),
                 **TOL["float64_reduce"])
    assert_close(F.roberts(noisy, "neg", mode="mirror"), cv2.filter2D(noisy, -1, F._edges.ROBERTS_NEG),
                 **TOL["float64_reduce"])
    # skimage anchors the 2x2 kernels at the top-left and flips their sign: its value at (i, j) is
    # minus ours at (i + 1, j + 1); compare away from the borders, where the anchors pad differently
    ours, ref = F.roberts(noisy, "pos"), skf.roberts_pos_diag(noisy)
    assert_close(ref[:-2, :-2], -ours[1:-1, 1:-1], **TOL["float64_reduce"])
    ref = skf.roberts(noisy)
    assert_close(ref[:-2, :-2], F.roberts(noisy)[1:-1, 1:-1] / np.sqrt(2), **TOL["float64_reduce"])


@pytest.mark.parametrize("sigma", [1.0, 2.0])
def test_log_matches_scipy(noisy, sigma):
    assert_close(F.gaussian_laplace(noisy, sigma), ndimage.gaussian_laplace(noisy, sigma),
                 **TOL["float64_reduce"])


def _f_measure(pred, truth, tol=1):
    grow = lambda m: ndimage.binary_dilation(m, np.ones((2 * tol + 1,) * 2))
    precision = (pred & grow(truth)).sum() / max(pred.sum(), 1)
    recall = (truth & grow(pred)).sum() / max(truth.sum(), 1)
    return 2 * precision * recall / max(precision + recall, 1e-12)


@pytest.mark.parametrize("l2", [True, False])
def test_canny_matches_cv2_statistically(u8, l2):
    ours = FT.canny(u8, sigma=0, low_threshold=100, high_threshold=250, L2gradient=l2)
    ref = cv2.Canny(u8, 100, 250, L2gradient=l2) > 0
    assert _f_measure(ours, ref) >= MIN_F_MEASURE
    assert abs(int(ours.sum()) - int(ref.sum())) <= 0.1 * ref.sum()


def test_canny_matches_skimage_statistically():
    img = data.scene("shapes", 64, seed=4)
    ours = FT.canny(img, sigma=1.5, low_threshold=20, high_threshold=60)
    ref = skfeat.canny(img, sigma=1.5, low_threshold=20, high_threshold=60)
    inner = (slice(2, -2), slice(2, -2))  # skimage masks out the image border
    assert _f_measure(ours[inner], ref[inner]) >= MIN_F_MEASURE


def test_canny_edges_are_thin_and_on_boundary():
    mask = data.shape_mask(64, seed=4)
    truth = mask ^ ndimage.binary_erosion(mask)
    img = 200.0 * mask + 20
    edges = FT.canny(img, sigma=1.0)
    assert _f_measure(edges, truth) >= MIN_F_MEASURE
    # thinness: no 2x2 block fully on (NMS keeps one pixel across the edge)
    blocks = edges[:-1, :-1] & edges[1:, :-1] & edges[:-1, 1:] & edges[1:, 1:]
    assert blocks.sum() <= 0.01 * edges.sum()


def test_hysteresis_full_matches_skimage_and_simple_is_subset(noisy):
    mag = F.sobel(noisy)
    lo, hi = np.percentile(mag, [60, 90])
    full = FT.hysteresis_threshold(mag, lo, hi, connectivity=1)
    np.testing.assert_array_equal(full, skf.apply_hysteresis_threshold(mag, lo, hi))
    simple = FT.hysteresis_threshold(mag, lo, hi, "simple")
    assert (simple <= FT.hysteresis_threshold(mag, lo, hi)).all()
    # a weak chain two steps from the strong pixel: full keeps it, simple drops the far end
    chain = np.array([[0, 0, 0, 0, 0], [0, 9, 5, 5, 0], [0, 0, 0, 0, 0]], float)
    assert FT.hysteresis_threshold(chain, 4, 8)[1, 3]
    assert not FT.hysteresis_threshold(chain, 4, 8, "simple")[1, 3]


def test_nms_keeps_ridge_only():
    ramp = np.zeros((7, 7))
    ramp[:, 3] = 10
    ramp[:, 2] = ramp[:, 4] = 5
    gx = np.zeros_like(ramp)
    gx[:, 2], gx[:, 4] = 1, -1
    gx[:, 3] = 1
    out = FT.non_max_suppression(ramp, gx, np.zeros_like(ramp))
    assert (out[:, 3] == 10).all() and (out[:, [2, 4]] == 0).all()


def test_canny_bad_inputs():
    with pytest.raises(ValueError, match="ndim"):
        FT.canny(np.zeros((3, 3, 3, 3)))
    with pytest.raises(ValueError, match="low threshold"):
        FT.canny(np.zeros((8, 8)), low_threshold=5, high_threshold=1)
    with pytest.raises(ValueError, match="sigma"):
        FT.canny(np.zeros((8, 8)), sigma=-1)
