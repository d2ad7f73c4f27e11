"""Linear and non-linear filters, edge operators, thresholds and transforms (skimage.filters-like)."""
from ._correlate import convolve, correlate, correlate1d
from ._edges import gaussian_laplace, gradient_magnitude, prewitt, roberts, scharr, sobel
from ._frequency import frequency_distance, frequency_filter, high_frequency_fraction, transfer_function
from ._sharpen import LAPLACE_4, LAPLACE_8, high_boost, laplace, laplacian_sharpen, unsharp_mask
from ._smooth import bilateral, box_filter, gaussian, gaussian_kernel, median, uniform_filter
from ._threshold import adaptive_threshold, threshold, threshold_otsu
from ._transforms import dct2, dct_codec, haar2, hadamard_matrix, idct2, ihaar2, iwht2, wht2

__all__ = ["convolve", "correlate", "correlate1d", "gaussian_laplace", "gradient_magnitude",
           "prewitt", "roberts", "scharr", "sobel", "frequency_distance", "frequency_filter",
           "high_frequency_fraction", "transfer_function", "LAPLACE_4", "LAPLACE_8", "high_boost",
           "laplace", "laplacian_sharpen", "unsharp_mask", "bilateral", "box_filter", "gaussian",
           "gaussian_kernel", "median", "uniform_filter", "adaptive_threshold", "threshold",
           "threshold_otsu", "dct2", "dct_codec", "haar2", "hadamard_matrix", "idct2", "ihaar2",
           "iwht2", "wht2"]
