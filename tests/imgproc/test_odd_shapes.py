"""Tiny and degenerate shapes (1xN, Nx1, 1x1) through every shape-preserving function."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage
from tolerances import TOL, assert_close

from ember.imgproc import exposure, feature, filters, measure, morphology, transform

SHAPES = st.tuples(st.integers(1, 6), st.integers(1, 6))
IMAGES = arrays(st.sampled_from([np.uint8, np.float32, np.float64]), SHAPES, elements=st.integers(0, 255))

SHAPE_PRESERVING = {
    "gaussian": lambda x: filters.gaussian(x, 1.0),
    "median": lambda x: filters.median(x, 3),
    "sobel": lambda x: filters.sobel(x),
    "laplace": lambda x: filters.laplace(x, 8),
    "roberts": lambda x: filters.roberts(x),
    "bilateral": lambda x: filters.bilateral(x, 3, 20.0, 1.0),
    "canny": lambda x: feature.canny(x, 1.0),
    "lbp": lambda x: feature.local_binary_pattern(x, 8, 1, "uniform"),
    "erosion": lambda x: morphology.erosion(x, morphology.disk(1)),
    "tophat": lambda x: morphology.white_tophat(x),
    "label": lambda x: measure.label(x > 100),
    "local_stats": lambda x: exposure.local_stats_enhance(x),
    "rotate": lambda x: transform.rotate(x, 15),
}


@given(IMAGES)
def test_shape_preserving_functions_accept_tiny_images(img):
    for name, fn in SHAPE_PRESERVING.items():
        out = fn(img)
        assert out.shape == img.shape, name
        assert np.isfinite(np.asarray(out, dtype=np.float64)).all(), name


@given(IMAGES, SHAPES)
def test_resize_tiny(img, shape):
    for m in ("nearest", "bilinear", "bicubic", "area"):
        out = transform.resize(img, shape, m)
        assert out.shape == shape and out.dtype == (img.dtype if img.dtype != np.float64 else np.float64)


@given(arrays(np.float64, SHAPES, elements=st.floats(0, 255)), st.sampled_from(["reflect", "mirror", "nearest",
                                                                                  "wrap", "constant"]))
def test_correlate_tiny_matches_scipy(img, mode):
    k = np.arange(9.0).reshape(3, 3)
    assert_close(filters.correlate(img, k, mode), ndimage.correlate(img, k, mode=mode), **TOL["float64_reduce"])
