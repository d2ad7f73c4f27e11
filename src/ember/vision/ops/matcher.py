"""Match predictions (anchors/proposals) to ground truth by IoU with two thresholds (Faster R-CNN).

For each prediction j: best = max_i Q[i, j] over ground truths i. best >= high -> matched to argmax;
low <= best < high -> BETWEEN_THRESHOLDS (-2, ignored in training); best < low ->
BELOW_LOW_THRESHOLD (-1, background). With ``allow_low_quality_matches`` every ground truth also
keeps the predictions that reach its own best IoU, so no object is left without an anchor.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ...metrics._validation import to_numpy

__all__ = ["Matcher"]


class Matcher:
    """torchvision's ``det_utils.Matcher`` on NumPy.

    Args:
        high_threshold: quality at or above which a prediction is matched (RPN 0.7, RoI head 0.5).
        low_threshold: quality below which it is background (RPN 0.3).
        allow_low_quality_matches: also match each ground truth's best predictions.
    """

    BELOW_LOW_THRESHOLD = -1
    BETWEEN_THRESHOLDS = -2

    def __init__(self, high_threshold: float, low_threshold: float,
                 allow_low_quality_matches: bool = False) -> None:
        if low_threshold > high_threshold:
            raise ValueError(f"low_threshold ({low_threshold}) must be <= high_threshold "
                             f"({high_threshold})")
        self.high_threshold, self.low_threshold = high_threshold, low_threshold
        self.allow_low_quality_matches = allow_low_quality_matches

    def __call__(self, match_quality_matrix: Any) -> np.ndarray:
        """Q (M ground truths, N predictions) -> (N,) int64: gt index, -1 or -2."""
        q = to_numpy(match_quality_matrix, "match_quality_matrix")
        if q.ndim != 2:
            raise ValueError(f"match_quality_matrix: expected shape (M, N), got {q.shape}")
        if q.size == 0:
            if q.shape[0] == 0:
                raise ValueError("No ground-truth boxes available for one of the images during "
                                 "training")
            raise ValueError("No proposal boxes available for one of the images during training")
        matched_vals, matches = q.max(axis=0), q.argmax(axis=0).astype(np.int64)
        all_matches = matches.copy()
        matches[matched_vals < self.low_threshold] = self.BELOW_LOW_THRESHOLD
        between = (matched_vals >= self.low_threshold) & (matched_vals < self.high_threshold)
        matches[between] = self.BETWEEN_THRESHOLDS
        if self.allow_low_quality_matches:
            best_per_gt = q.max(axis=1, keepdims=True)  # (M, 1)
            preds = np.nonzero(q == best_per_gt)[1]
            matches[preds] = all_matches[preds]
        return matches
