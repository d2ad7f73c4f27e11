"""ember.imgproc: classical image processing and descriptors on plain NumPy arrays (TOPICS.md §1.21-1.22).

Layout follows scikit-image: ``filters``, ``feature``, ``exposure``, ``morphology``, ``transform``,
``measure``, ``restoration``, ``color``, ``noise``. Arrays in, arrays out; objects with ``.numpy()``
(ember / torch tensors) are accepted. Border modes use SciPy's names everywhere (see ``_utils``).
"""
from . import (
    color,
    data,
    exposure,
    feature,
    filters,
    measure,
    morphology,
    noise,
    restoration,
    transform,
)
from ._utils import img_as_float, pad

__all__ = ["color", "data", "exposure", "feature", "filters", "img_as_float", "measure",
           "morphology", "noise", "pad", "restoration", "transform"]
