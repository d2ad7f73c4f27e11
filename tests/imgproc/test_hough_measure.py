"""Hough transforms vs scikit-image and connected components vs SciPy / skimage / OpenCV."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage
from tolerances import TOL, assert_close

from ember.imgproc import measure
from ember.imgproc import transform as T

cv2 = pytest.importorskip("cv2")
skt = pytest.importorskip("skimage.transform")
skmeas = pytest.importorskip("skimage.measure")
skdraw = pytest.importorskip("skimage.draw")


@pytest.fixture(scope="module")
def lines_image():
    img = np.zeros((60, 80), np.uint8)
    for r0, c0, r1, c1 in [(5, 2, 50, 70), (55, 10, 10, 30), (30, 0, 30, 79)]:
        rr, cc = skdraw.line(r0, c0, r1, c1)
        img[rr, cc] = 1
    g = np.random.default_rng(0)
    img[g.integers(0, 60, 30), g.integers(0, 80, 30)] = 1
    return img


def test_hough_line_accumulator_exact(lines_image):
    h, th, d = T.hough_line(lines_image)
    hr, thr, dr = skt.hough_line(lines_image)
    np.testing.assert_array_equal(h, hr)
    np.testing.assert_array_equal(th, thr)
    np.testing.assert_array_equal(d, dr)
    custom = np.linspace(-1.2, 1.4, 37)
    np.testing.assert_array_equal(T.hough_line(lines_image, custom)[0],
                                  skt.hough_line(lines_image, custom)[0])


def test_hough_line_peaks_match_skimage(lines_image):
    h, th, d = T.hough_line(lines_image)
    ours = T.hough_line_peaks(h, th, d, num_peaks=3)
    ref = skt.hough_line_peaks(h, th, d, num_peaks=3)
    assert sorted(zip(ours[1], ours[2])) == sorted(zip(ref[1], ref[2]))


def test_hough_circle_exact_and_peak():
    img = np.zeros((50, 50), np.uint8)
    rr, cc = skdraw.circle_perimeter(22, 27, 11)
    img[rr, cc] = 1
    radii = np.array([9, 10, 11, 12])
    for norm in (True, False):
        # skimage adds 1/n per vote, we scale the counts: round-off only
        assert_close(T.hough_circle(img, radii, norm), skt.hough_circle(img, radii, norm),
                     **TOL["float64"])
    _acc, cx, cy, r = T.hough_circle_peaks(T.hough_circle(img, radii), radii, total_num_peaks=1)
    assert (cy[0], cx[0], r[0]) == (22, 27, 11)


def test_circle_offsets_match_skimage():
    for r in (1, 4, 9):
        rr, cc = T.circle_perimeter_offsets(r)
        rr2, cc2 = skdraw.circle_perimeter(0, 0, r)
        np.testing.assert_array_equal(rr, rr2)
        np.testing.assert_array_equal(cc, cc2)


@pytest.mark.parametrize("conn", [1, 2])
def test_label_matches_scipy_skimage_cv2(conn):
    img = np.random.default_rng(conn).random((40, 50)) > 0.55
    ours, n = measure.label(img, conn, return_num=True)
    structure = ndimage.generate_binary_structure(2, conn)
    ref, nref = ndimage.label(img, structure)
    np.testing.assert_array_equal(ours, ref)
    assert n == nref
    np.testing.assert_array_equal(ours, skmeas.label(img, connectivity=conn))
    _ncv, lcv = cv2.connectedComponents(img.astype(np.uint8), connectivity=4 if conn == 1 else 8)
    _assert_same_partition(ours, lcv)  # OpenCV numbers the components in another order


def _assert_same_partition(a, b):
    pairs = np.unique(np.stack([a.ravel(), b.ravel()]), axis=1)
    assert pairs.shape[1] == len(np.unique(a)) == len(np.unique(b))


def test_component_stats_match_cv2():
    img = (np.random.default_rng(5).random((30, 30)) > 0.6).astype(np.uint8)
    labels = measure.label(img)
    stats = measure.component_stats(labels)
    _n, lab, st_cv, cen = cv2.connectedComponentsWithStats(img, connectivity=8)
    # map each of our labels to OpenCV's label of the same pixels
    first = np.array([np.flatnonzero(labels.ravel() == k)[0] for k in range(1, labels.max() + 1)])
    cv_ids = lab.ravel()[first]
    np.testing.assert_array_equal(stats["area"], st_cv[cv_ids, cv2.CC_STAT_AREA])
    np.testing.assert_array_equal(stats["bbox"][:, [1, 0, 3, 2]], st_cv[cv_ids, :4])
    assert_close(stats["centroid"][:, ::-1], cen[cv_ids], **TOL["float64"])


@given(arrays(bool, st.tuples(st.integers(1, 15), st.integers(1, 15))), st.sampled_from([1, 2]))
def test_label_property_vs_scipy(img, conn):
    ref, _ = ndimage.label(img, ndimage.generate_binary_structure(2, conn))
    np.testing.assert_array_equal(measure.label(img, conn), ref)


def test_snake_component_is_one_label():
    img = np.zeros((21, 21), bool)
    img[::2, :] = True
    img[1::4, -1] = True
    img[3::4, 0] = True
    assert measure.label(img, 1).max() == 1


def test_bad_inputs():
    with pytest.raises(ValueError, match="connectivity"):
        measure.label(np.ones((3, 3)), 3)
    with pytest.raises(ValueError, match="radius"):
        T.hough_circle(np.ones((5, 5)), [0])
