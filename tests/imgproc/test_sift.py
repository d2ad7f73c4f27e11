"""SIFT: statistical agreement with OpenCV and repeatability under rotation / scale (ORACLES.md §4)."""
import numpy as np
import pytest
from tolerances import TOL, assert_close

from ember.imgproc import feature as FT
from ember.imgproc import transform as T

cv2 = pytest.importorskip("cv2")
skfeat = pytest.importorskip("skimage.feature")
skdata = pytest.importorskip("skimage.data")

MIN_AGREEMENT = 0.5  # ORACLES.md §4: >= 50 % of oracle keypoints within 2 px
MIN_MATCH_ACCURACY = 0.8


@pytest.fixture(scope="module")
def camera():
    return skdata.camera()[100:228, 180:308].astype(np.float64)


@pytest.fixture(scope="module")
def sift_camera(camera):
    return FT.SIFT().detect_and_extract(camera)


def _project(M, rc):
    xy = rc[:, ::-1] @ M[:, :2].T + M[:, 2]
    return xy[:, ::-1]


def test_keypoints_agree_with_opencv(camera, sift_camera):
    kp = cv2.SIFT_create().detect(camera.astype(np.uint8), None)
    ref = np.array([k.pt[::-1] for k in kp])
    d = np.sqrt(((ref[:, None] - sift_camera.keypoints_[None]) ** 2).sum(-1))
    assert (d.min(1) < 2).mean() >= MIN_AGREEMENT


@pytest.mark.parametrize("angle,scale", [(30, 1.0), (0, 1.5), (30, 1.5)])
def test_matches_under_rotation_and_scale(camera, sift_camera, angle, scale):
    big = (int(128 * scale), int(128 * scale))
    src = T.resize(camera, big, "bicubic") if scale != 1 else camera
    c = ((big[1] - 1) / 2, (big[0] - 1) / 2)
    moved = T.rotate(src, angle, c, mode="nearest")
    other = FT.SIFT().detect_and_extract(moved)
    m = FT.match_descriptors(sift_camera.descriptors_, other.descriptors_, max_ratio=0.8)
    assert len(m) >= 10
    # ground truth: input pixel -> resized pixel (half-pixel grid) -> rotated
    rc = (sift_camera.keypoints_[m[:, 0]] + 0.5) * scale - 0.5
    pred = _project(T.rotation_matrix(c, angle), rc)
    err = np.hypot(*(pred - other.keypoints_[m[:, 1]]).T)
    assert (err < 3 * scale).mean() >= MIN_MATCH_ACCURACY


def test_descriptor_properties(sift_camera):
    d = sift_camera.descriptors_
    assert d.shape[1] == 128 and d.dtype == np.float32
    assert_close(np.linalg.norm(d, axis=1), np.ones(len(d)), **TOL["float32"])  # float32 unit vectors
    assert len(sift_camera.sigmas_) == len(sift_camera.orientations_) == len(d)


def test_match_descriptors_matches_skimage():
    g = np.random.default_rng(0)
    a, b = g.random((40, 16)), g.random((50, 16))
    for ratio, cross in [(1.0, True), (0.8, True), (0.9, False)]:
        ours = FT.match_descriptors(a, b, ratio, cross)
        ref = skfeat.match_descriptors(a, b, max_ratio=ratio, cross_check=cross)
        np.testing.assert_array_equal(ours, ref)


def test_bad_inputs():
    with pytest.raises(ValueError, match="8x8"):
        FT.SIFT().detect_and_extract(np.zeros((4, 40)))
    with pytest.raises(ValueError, match="descriptors"):
        FT.match_descriptors(np.zeros((3, 4)), np.zeros((3, 5)))
