"""Mathematical morphology: grey and binary erosion, dilation and their compositions."""
from ._binary import binary_closing, binary_dilation, binary_erosion, binary_opening
from ._grey import (
    black_tophat,
    closing,
    dilation,
    erosion,
    hit_or_miss,
    morphological_gradient,
    opening,
    white_tophat,
)
from .footprints import cross, diamond, disk, rectangle, square

__all__ = ["binary_closing", "binary_dilation", "binary_erosion", "binary_opening", "black_tophat",
           "closing", "cross", "diamond", "dilation", "disk", "erosion", "hit_or_miss",
           "morphological_gradient", "opening", "rectangle", "square", "white_tophat"]
