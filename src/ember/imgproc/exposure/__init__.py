"""Intensity transforms: histograms, equalisation, matching, CLAHE, local statistics, gamma / log."""
from ._histogram import (
    cumulative_distribution,
    equalize_hist,
    equalize_hist_float,
    histogram,
    match_histograms,
)
from ._intensity import adjust_gamma, adjust_log, rescale_intensity
from ._local import clahe, equalize_local, local_stats_enhance

__all__ = ["adjust_gamma", "adjust_log", "clahe", "cumulative_distribution", "equalize_hist",
           "equalize_hist_float", "equalize_local", "histogram", "local_stats_enhance",
           "match_histograms", "rescale_intensity"]
