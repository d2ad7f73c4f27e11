"""Geometry (resize, warps, flips, crop, pyramids) and Hough transforms."""
from ._geometry import crop, flip, pyr_down, pyramid, resize, rotate, rotation_matrix, warp_affine
from ._hough import (
    circle_perimeter_offsets,
    hough_circle,
    hough_circle_peaks,
    hough_line,
    hough_line_peaks,
)
from ._interp import cubic_weights, sample, weight_matrix

__all__ = ["circle_perimeter_offsets", "crop", "cubic_weights", "flip", "hough_circle",
           "hough_circle_peaks", "hough_line", "hough_line_peaks", "pyr_down", "pyramid", "resize",
           "rotate", "rotation_matrix", "sample", "warp_affine", "weight_matrix"]
