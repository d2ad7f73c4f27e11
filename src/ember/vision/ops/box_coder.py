"""Faster R-CNN box encoding: regression targets (deltas) between proposals and ground truth.

For a proposal P (centre px, py, size pw, ph) and a target G, with weights (wx, wy, ww, wh):
dx = wx (gx - px) / pw, dy = wy (gy - py) / ph, dw = ww log(gw / pw), dh = wh log(gh / ph).
Decoding inverts it, clamping dw, dh at log(1000 / 16) so exp() cannot overflow (torchvision's
``BoxCoder``; Girshick et al. R-CNN appendix C).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ...metrics._validation import check_boxes, to_numpy

__all__ = ["BoxCoder"]


def _centres(b: np.ndarray):
    w, h = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    return b[:, 0] + 0.5 * w, b[:, 1] + 0.5 * h, w, h


class BoxCoder:
    """Encode/decode boxes as (dx, dy, dw, dh) deltas relative to reference boxes.

    Args:
        weights: (wx, wy, ww, wh); Faster R-CNN's RoI head uses (10, 10, 5, 5), the RPN (1, 1, 1, 1).
        bbox_xform_clip: upper clamp of dw, dh before exp. Default: log(1000 / 16).
    """

    def __init__(self, weights: Sequence[float],
                 bbox_xform_clip: float = math.log(1000.0 / 16)) -> None:
        if len(weights) != 4:
            raise ValueError(f"weights: expected 4 values (wx, wy, ww, wh), got {weights!r}")
        self.weights = tuple(float(w) for w in weights)
        self.bbox_xform_clip = bbox_xform_clip

    def encode_single(self, reference_boxes: Any, proposals: Any) -> np.ndarray:
        """Deltas that move ``proposals`` (N, 4) onto ``reference_boxes`` (N, 4) -> (N, 4)."""
        gt = check_boxes(reference_boxes, "reference_boxes")
        pr = check_boxes(proposals, "proposals")
        if gt.shape != pr.shape:
            raise ValueError(f"reference_boxes and proposals: shapes differ, {gt.shape} vs "
                             f"{pr.shape}")
        wx, wy, ww, wh = self.weights
        ex, ey, ew, eh = _centres(pr)
        gx, gy, gw, gh = _centres(gt)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.stack([wx * (gx - ex) / ew, wy * (gy - ey) / eh,
                             ww * np.log(gw / ew), wh * np.log(gh / eh)], axis=1)

    def encode(self, reference_boxes: Sequence[Any], proposals: Sequence[Any]) -> list[np.ndarray]:
        """``encode_single`` per image; returns a list of (N_i, 4) arrays."""
        return [self.encode_single(r, p) for r, p in zip(reference_boxes, proposals)]

    def decode_single(self, rel_codes: Any, boxes: Any) -> np.ndarray:
        """Apply deltas (N, 4k) to reference ``boxes`` (N, 4) -> boxes (N, 4k), k boxes per row."""
        codes = to_numpy(rel_codes, "rel_codes")
        b = check_boxes(boxes, "boxes").astype(codes.dtype if codes.dtype.kind == "f" else np.float64)
        if codes.ndim != 2 or codes.shape[1] % 4 or len(codes) != len(b):
            raise ValueError(f"rel_codes: expected shape ({len(b)}, 4k), got {codes.shape}")
        wx, wy, ww, wh = self.weights
        cx, cy, w, h = _centres(b)
        dx, dy = codes[:, 0::4] / wx, codes[:, 1::4] / wy
        dw = np.minimum(codes[:, 2::4] / ww, self.bbox_xform_clip)
        dh = np.minimum(codes[:, 3::4] / wh, self.bbox_xform_clip)
        pcx, pcy = dx * w[:, None] + cx[:, None], dy * h[:, None] + cy[:, None]
        half_w, half_h = 0.5 * np.exp(dw) * w[:, None], 0.5 * np.exp(dh) * h[:, None]
        out = np.stack([pcx - half_w, pcy - half_h, pcx + half_w, pcy + half_h], axis=2)
        return out.reshape(len(b), -1)  # (N, k, 4) -> (N, 4k)

    def decode(self, rel_codes: Any, boxes: Sequence[Any]) -> np.ndarray:
        """Decode concatenated codes (sum N_i, 4k) against per-image boxes -> (sum N_i, k, 4)."""
        ref = np.concatenate([check_boxes(b, "boxes") for b in boxes]) if len(boxes) else \
            np.zeros((0, 4))
        codes = to_numpy(rel_codes, "rel_codes").reshape(len(ref), -1)
        return self.decode_single(codes, ref).reshape(len(ref), -1, 4)
