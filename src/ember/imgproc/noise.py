"""Noise models with a seeded generator (TOPICS.md §1.21; ``skimage.util.random_noise`` semantics).

Gaussian noise touches every pixel (-> mean / Gaussian filtering); salt-and-pepper (impulse) noise
sets a random fraction of pixels to the extremes (-> median filtering, claim C143, E48).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._utils import as_image, check_positive, img_as_float

__all__ = ["MODES", "random_noise"]

MODES = ("gaussian", "s&p", "salt", "pepper", "poisson", "speckle", "uniform")


def random_noise(image: Any, mode: str = "gaussian", rng: Any = None, clip: bool = True,
                 mean: float = 0.0, var: float = 0.01, amount: float = 0.05,
                 salt_vs_pepper: float = 0.5, low: float = -0.1, high: float = 0.1) -> np.ndarray:
    """Add noise to an image on the [0, 1] scale (integers are converted with ``img_as_float``).

    Modes:
      * ``"gaussian"``: ``f + N(mean, var)`` (``var`` is a *variance*);
      * ``"s&p"`` / ``"salt"`` / ``"pepper"``: each pixel independently replaced with probability
        ``amount`` by 1 (salt, fraction ``salt_vs_pepper``) or 0 (pepper; -1 for signed images);
      * ``"poisson"``: ``Poisson(f * v) / v`` with v = 2^ceil(log2(#unique values)) (skimage's rule);
      * ``"speckle"``: ``f + f * N(mean, var)`` (multiplicative);
      * ``"uniform"``: ``f + U(low, high)``.

    Args:
        rng: ``numpy.random.Generator``, int seed or None.
        clip: clip to [0, 1] ([-1, 1] for signed input); biases Gaussian noise at the range ends.

    Returns:
        float64 array of the input's shape. Statistics agree with skimage (different random streams).
    """
    img = img_as_float(as_image(image, ndim=(2, 3)))
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    g = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    lo = -1.0 if img.min() < 0 else 0.0
    if mode == "gaussian":
        out = img + g.normal(mean, np.sqrt(check_positive(var, "var", True)), img.shape)
    elif mode == "speckle":
        out = img + img * g.normal(mean, np.sqrt(check_positive(var, "var", True)), img.shape)
    elif mode == "uniform":
        if high < low:
            raise ValueError(f"need low <= high, got low={low}, high={high}")
        out = img + g.uniform(low, high, img.shape)
    elif mode == "poisson":
        if img.min() < 0:
            raise ValueError("poisson noise needs a non-negative image")
        vals = 2 ** np.ceil(np.log2(max(len(np.unique(img)), 2)))
        out = g.poisson(img * vals) / vals
    else:
        if not 0 <= amount <= 1:
            raise ValueError(f"amount must be in [0, 1], got {amount}")
        frac = {"salt": 1.0, "pepper": 0.0}.get(mode, salt_vs_pepper)
        hit = g.random(img.shape) < amount
        salt = g.random(img.shape) < frac
        out = img.copy()
        out[hit & salt] = 1.0
        out[hit & ~salt] = lo
    return np.clip(out, lo, 1.0) if clip else out
