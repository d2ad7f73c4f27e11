"""Connected components, region statistics and quality measures (PSNR, edge F-measure, KS)."""
from ._label import component_stats, label
from ._quality import boundary, edge_f_measure, ks_distance, psnr, rise_width

__all__ = ["boundary", "component_stats", "edge_f_measure", "ks_distance", "label", "psnr",
           "rise_width"]
