"""Linear and non-linear filters, edge operators, thresholds and transforms (skimage.filters-like)."""
from ._correlate import convolve, correlate, correlate1d
from ._edges import gaussian_laplace, gradient_magnitude, prewitt, roberts, scharr, sobel
from ._frequency import (
    frequency_distance,
    frequency_filter,
    high_frequency_fraction,
    transfer_function,
)
from ._sharpen import LAPLACE_4, LAPLACE_8, high_boost, laplace, laplacian_sharpen, unsharp_mask
from ._smooth import bilateral, box_filter, gaussian, gaussian_kernel, median, uniform_filter
from ._threshold import adaptive_threshold, threshold, threshold_otsu
from ._transforms import dct2, dct_codec, haar2, hadamard_matrix, idct2, ihaar2, iwht2, wht2

__all__ = ["LAPLACE_4", "LAPLACE_8", "adaptive_threshold", "bilateral", "box_filter", "convolve",
           "correlate", "correlate1d", "dct2", "dct_codec", "frequency_distance",
           "frequency_filter", "gaussian", "gaussian_kernel", "gaussian_laplace",
           "gradient_magnitude", "haar2", "hadamard_matrix", "high_boost",
           "high_frequency_fraction", "idct2", "ihaar2", "iwht2", "laplace", "laplacian_sharpen",
           "median", "prewitt", "roberts", "scharr", "sobel", "threshold", "threshold_otsu",
           "transfer_function", "uniform_filter", "unsharp_mask", "wht2"]
