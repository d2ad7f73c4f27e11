"""Binary morphology (bool in, bool out) with an explicit border value, as ``scipy.ndimage``."""
from __future__ import annotations

from typing import Any

import numpy as np

from .._utils import as_image
from ._grey import dilation, erosion

__all__ = ["binary_closing", "binary_dilation", "binary_erosion", "binary_opening"]


def _bool(image: Any) -> np.ndarray:
    return as_image(image).astype(bool)


def binary_erosion(image: Any, footprint: Any = None, border_value: bool = False) -> np.ndarray:
    """Pixel stays set iff every footprint member is set; outside the image counts as ``border_value``.

    ``border_value=False`` (SciPy's default) erodes from the image border; use True to ignore it.
    Equals ``scipy.ndimage.binary_erosion(x, structure, border_value=...)``.
    """
    return erosion(_bool(image), footprint, mode="constant", cval=bool(border_value))


def binary_dilation(image: Any, footprint: Any = None, border_value: bool = False) -> np.ndarray:
    """Pixel is set iff some footprint member (not reflected) lands on a set pixel."""
    return dilation(_bool(image), footprint, mode="constant", cval=bool(border_value))


def binary_opening(image: Any, footprint: Any = None) -> np.ndarray:
    """Binary erosion then dilation (border ignored): removes specks smaller than the footprint."""
    img = _bool(image)
    return dilation(erosion(img, footprint), footprint)


def binary_closing(image: Any, footprint: Any = None) -> np.ndarray:
    """Binary dilation then erosion (border ignored): fills holes smaller than the footprint."""
    img = _bool(image)
    return erosion(dilation(img, footprint), footprint)
