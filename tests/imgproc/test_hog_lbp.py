"""HOG and LBP vs scikit-image (ORACLES.md §4: HOG 1e-10 when its recipe is followed; LBP exact)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from tolerances import TOL, assert_close

from ember.imgproc import data
from ember.imgproc import feature as FT

skfeat = pytest.importorskip("skimage.feature")
skdata = pytest.importorskip("skimage.data")


@pytest.fixture(scope="module")
def camera():
    return skdata.camera()[::4, ::4][:100, :90]  # uint8, 100 x 90 (not a cell multiple)


@pytest.mark.parametrize("norm", ["L1", "L1-sqrt", "L2", "L2-Hys"])
@pytest.mark.parametrize("ppc,cpb,orient", [((8, 8), (3, 3), 9), ((7, 6), (2, 2), 12), ((16, 16), (1, 1), 6)])
def test_hog_matches_skimage(camera, norm, ppc, cpb, orient):
    ours = FT.hog(camera, orient, ppc, cpb, norm, feature_vector=False)
    ref = skfeat.hog(camera, orient, ppc, cpb, norm, feature_vector=False)
    assert_close(ours, ref, **TOL["float64_reduce"])


def test_hog_sqrt_color_and_float(camera):
    img = skdata.astronaut()[::8, ::8]
    assert_close(FT.hog(img, transform_sqrt=True),
                 skfeat.hog(img, transform_sqrt=True, channel_axis=-1), **TOL["float64_reduce"])
    f = camera / 255.0
    assert_close(FT.hog(f), skfeat.hog(f), **TOL["float64_reduce"])


def test_hog_length_formula():
    img = np.random.default_rng(0).random((128, 64))
    assert FT.hog(img, 9, (8, 8), (2, 2)).size == FT.hog_length((128, 64), 9, 8, 2) == 3780


def test_hog_signed_bins_cover_360():
    yy, _xx = np.mgrid[0:16, 0:16]
    up = FT.hog(yy * 1.0, 4, (16, 16), (1, 1), None, signed=True)
    down = FT.hog(-yy * 1.0, 4, (16, 16), (1, 1), None, signed=True)
    assert np.argmax(up) != np.argmax(down)  # opposite gradients, different signed bins
    assert np.argmax(FT.hog(yy * 1.0, 4, (16, 16), (1, 1), None)) == \
        np.argmax(FT.hog(-yy * 1.0, 4, (16, 16), (1, 1), None))


def test_hog_bilinear_votes():
    img = np.random.default_rng(2).random((32, 32)) * 255
    g_row, g_col = FT.hog_gradients(img)
    hard = FT.hog_cell_histograms(g_row, g_col, 9, (8, 8))
    soft = FT.hog_cell_histograms(g_row, g_col, 9, (8, 8), vote="bilinear")
    assert_close(soft.sum(-1), hard.sum(-1), **TOL["oracle"])  # every vote is split, none lost
    # a gradient at a bin centre (10 degrees) votes into one bin; at a boundary (20) half/half
    for deg, expect in ((10.0, [1.0, 0.0]), (20.0, [0.5, 0.5])):
        gr = np.full((8, 8), np.sin(np.deg2rad(deg)))
        gc = np.full((8, 8), np.cos(np.deg2rad(deg)))
        h = FT.hog_cell_histograms(gr, gc, 9, (8, 8), vote="bilinear")[0, 0]
        assert_close(h[:2], expect, **TOL["float64"])
    with pytest.raises(ValueError, match="vote"):
        FT.hog(img, vote="nearest")


@pytest.mark.parametrize("method", ["default", "ror", "uniform", "nri_uniform"])
@pytest.mark.parametrize("P,R", [(8, 1), (8, 2), (16, 2.5), (4, 1)])
def test_lbp_matches_skimage(camera, method, P, R):
    img = camera[:40, :40]
    np.testing.assert_array_equal(FT.local_binary_pattern(img, P, R, method),
                                  skfeat.local_binary_pattern(img, P, R, method))


def test_classic_lbp_golden():
    img = np.array([[5, 9, 1], [4, 4, 6], [7, 2, 3]], float)
    # bits p = 0..7 counter-clockwise from the right neighbour: right 6, up-right 1, up 9,
    # up-left 5, left 4, down-left 7, down 2, down-right 3 -> bits 1,0,1,1,1,1,0,0
    assert FT.local_binary_pattern(img, method="classic")[1, 1] == 1 + 4 + 8 + 16 + 32
    # the classic operator differs from skimage's interpolated diagonals on a real image
    x = skdata.camera()[:30, :30]
    assert (FT.local_binary_pattern(x, method="classic") != skfeat.local_binary_pattern(x, 8, 1)).any()


@given(arrays(np.uint8, st.tuples(st.integers(3, 12), st.integers(3, 12))))
def test_lbp_invariant_to_monotone_maps(img):
    f = img.astype(np.float64)
    g = 3.0 * np.sqrt(f) + 10.0  # strictly increasing grey-level map
    inner = (slice(1, -1), slice(1, -1))  # the zero border is not mapped
    # exact for the integer-neighbour operator; interpolated diagonals do not commute with a
    # non-linear map, so skimage's R=1 variant is only approximately invariant
    np.testing.assert_array_equal(FT.local_binary_pattern(f, method="classic")[inner],
                                  FT.local_binary_pattern(g, method="classic")[inner])


def test_lbp_histogram_and_errors():
    codes = FT.local_binary_pattern(data.scene("texture", 32), 8, 1, "uniform")
    h = FT.lbp_histogram(codes, 10)
    assert h.shape == (10,) and abs(h.sum() - 1) < 1e-12
    with pytest.raises(ValueError, match="method"):
        FT.local_binary_pattern(codes, method="var")
    with pytest.raises(ValueError, match="classic"):
        FT.local_binary_pattern(codes, 16, 2, "classic")
    with pytest.raises(ValueError, match="block"):
        FT.hog(np.zeros((8, 8)), pixels_per_cell=(8, 8), cells_per_block=(2, 2))
    with pytest.raises(ValueError, match="block_norm"):
        FT.hog(np.zeros((32, 32)), block_norm="max")
