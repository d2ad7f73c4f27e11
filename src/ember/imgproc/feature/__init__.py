"""Feature detectors and descriptors: Canny, HOG, LBP, SIFT (skimage.feature-like)."""
from ._canny import canny, canny_gradient, canny_smooth, hysteresis_threshold, non_max_suppression
from ._hog import hog, hog_cell_histograms, hog_gradients, hog_length, hog_normalize_blocks
from ._lbp import lbp_histogram, local_binary_pattern
from ._sift import SIFT, match_descriptors

__all__ = ["canny", "canny_gradient", "canny_smooth", "hysteresis_threshold", "non_max_suppression",
           "hog", "hog_cell_histograms", "hog_gradients", "hog_length", "hog_normalize_blocks",
           "lbp_histogram", "local_binary_pattern", "SIFT", "match_descriptors"]
