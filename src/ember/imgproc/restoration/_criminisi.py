"""Exemplar-based inpainting (Criminisi, Perez & Toyama 2004; TOPICS.md §1.21).

Loop until the hole is filled: (1) on the fill front compute the priority P(p) = C(p) D(p), with
confidence C(p) = sum of C over the known part of the patch / patch area and data term
D(p) = |isophote(p) . n(p)| / alpha (strong edges hitting the front first); (2) take the patch
around the highest-priority pixel and find the source patch (entirely inside the original known
region) with the smallest SSD over the target's known pixels; (3) copy the source pixels into the
target's unknown pixels and give them confidence C(p).

Suits repetitive / low-frequency backgrounds; fails when no similar patch exists (claim C149). The
exhaustive search is O(#patches) per step (vectorised here).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._utils import as_image, check_odd

__all__ = ["ExemplarTrace", "inpaint_exemplar"]


@dataclass
class ExemplarTrace:
    """Record of a run: per step the target centre, the source centre and the priority used."""

    targets: list[tuple[int, int]] = field(default_factory=list)
    sources: list[tuple[int, int]] = field(default_factory=list)
    priorities: list[float] = field(default_factory=list)


def _front(unknown: np.ndarray) -> np.ndarray:
    p = np.pad(~unknown, 1)
    return unknown & (p[:-2, 1:-1] | p[2:, 1:-1] | p[1:-1, :-2] | p[1:-1, 2:])


def _data_term(img: np.ndarray, unknown: np.ndarray, alpha: float) -> np.ndarray:
    """|isophote . normal| / alpha (+ 1e-3 so flat regions still get filled).

    The image gradient is measured on known pixels only (both neighbours known); each front pixel
    takes the strongest gradient among its known 3x3 neighbours.
    """
    known = ~unknown
    gy = np.zeros_like(img)
    gx = np.zeros_like(img)
    ok_y = known[2:, :] & known[:-2, :] & known[1:-1, :]
    ok_x = known[:, 2:] & known[:, :-2] & known[:, 1:-1]
    gy[1:-1] = np.where(ok_y, (img[2:] - img[:-2]) / 2, 0.0)
    gx[:, 1:-1] = np.where(ok_x, (img[:, 2:] - img[:, :-2]) / 2, 0.0)
    best_gy, best_gx = np.zeros_like(img), np.zeros_like(img)
    pgy, pgx = np.pad(gy, 1), np.pad(gx, 1)
    h, w = img.shape
    for dy in range(3):
        for dx in range(3):
            cy, cx = pgy[dy:dy + h, dx:dx + w], pgx[dy:dy + h, dx:dx + w]
            take = np.hypot(cy, cx) > np.hypot(best_gy, best_gx)
            best_gy, best_gx = np.where(take, cy, best_gy), np.where(take, cx, best_gx)
    ny, nx = np.gradient(unknown.astype(np.float64))
    norm = np.hypot(ny, nx)
    norm[norm == 0] = 1.0
    # isophote = gradient rotated by 90 degrees: (-gx, gy) in (row, col)
    return np.abs(-best_gx * ny / norm + best_gy * nx / norm) / alpha + 1e-3


def _window_sums(a: np.ndarray, k: int) -> np.ndarray:
    c = np.pad(a, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]


def inpaint_exemplar(image: Any, mask: Any, patch_size: int = 9, alpha: float | None = None,
                     return_trace: bool = False) -> Any:
    """Criminisi exemplar-based inpainting of a grey (H, W) image; ``mask`` True = unknown.

    Args:
        patch_size: odd patch side (the notes suggest e.g. 3x3; Criminisi used 9x9).
        alpha: data-term normaliser (default 255 for images with max > 1, else 1).
        return_trace: also return an :class:`ExemplarTrace` (fill order and source patches).

    Returns:
        float64 (H, W) image (and the trace). Known pixels are never modified; every filled pixel is
        a verbatim copy of a pixel of the original known region.
    """
    img = as_image(image).astype(np.float64).copy()
    unknown = as_image(mask, "mask").astype(bool).copy()
    if unknown.shape != img.shape:
        raise ValueError(f"mask shape {unknown.shape} must equal image shape {img.shape}")
    k = check_odd(patch_size, "patch_size")
    h = k // 2
    a = alpha if alpha is not None else (255.0 if img.max() > 1 else 1.0)
    source_ok = _window_sums(unknown.astype(np.float64), k) == 0  # (H-k+1, W-k+1) fully known
    if not source_ok.any():
        raise ValueError(f"no fully known {k}x{k} source patch exists")
    src_r, src_c = np.nonzero(source_ok)
    conf = (~unknown).astype(np.float64)
    trace = ExemplarTrace()
    H, W = img.shape
    while unknown.any():
        front = _front(unknown)
        c_sum = _window_sums(np.pad(conf, h), k) / (k * k)
        prio = np.where(front, c_sum * _data_term(img, unknown, a), -1.0)
        r, c = np.unravel_index(int(np.argmax(prio)), prio.shape)
        r0, r1, c0, c1 = max(r - h, 0), min(r + h + 1, H), max(c - h, 0), min(c + h + 1, W)
        tgt, tmask = img[r0:r1, c0:c1], ~unknown[r0:r1, c0:c1]
        oy, ox = r0 - (r - h), c0 - (c - h)
        wins = np.lib.stride_tricks.sliding_window_view(img, (k, k))[src_r, src_c]
        wins = wins[:, oy:oy + tgt.shape[0], ox:ox + tgt.shape[1]]
        ssd = (((wins - tgt) ** 2) * tmask).sum((1, 2))
        best = int(np.argmin(ssd))
        fill = ~tmask
        img[r0:r1, c0:c1][fill] = wins[best][fill]
        conf[r0:r1, c0:c1][fill] = c_sum[r, c]
        unknown[r0:r1, c0:c1] = False
        trace.targets.append((int(r), int(c)))
        trace.sources.append((int(src_r[best] + h), int(src_c[best] + h)))
        trace.priorities.append(float(prio[r, c]))
    return (img, trace) if return_trace else img
