"""Feature detectors and descriptors: Canny, HOG, LBP, SIFT (skimage.feature-like)."""
from ._canny import canny, canny_gradient, canny_smooth, hysteresis_threshold, non_max_suppression
from ._hog import hog, hog_cell_histograms, hog_gradients, hog_length, hog_normalize_blocks
from ._lbp import lbp_histogram, local_binary_pattern
from ._sift import SIFT, match_descriptors

__all__ = ["SIFT", "canny", "canny_gradient", "canny_smooth", "hog", "hog_cell_histograms",
           "hog_gradients", "hog_length", "hog_normalize_blocks", "hysteresis_threshold",
           "lbp_histogram", "local_binary_pattern", "match_descriptors", "non_max_suppression"]
