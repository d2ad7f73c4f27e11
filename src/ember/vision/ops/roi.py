"""RoI pooling and RoI Align with torchvision.ops semantics (Fast/Mask R-CNN), differentiable.

roi_align is linear in the feature map and *separable*: for RoI k every output bin is
``out[k, c] = My_k @ X[b_k, c] @ Mx_k^T`` where ``My_k`` (PH, H) / ``Mx_k`` (PW, W) hold the
bilinear weights of the sampling points averaged over each bin. We build those small matrices (cropped to the RoI's footprint) in
NumPy; the op and its adjoint are each other's backward, so double backward comes for free.
roi_pool takes the max of each quantised bin; its gradient goes to the argmax only.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

import ember
from ember import Tensor
from ember.autograd.function import Op

__all__ = ["roi_align", "roi_pool", "RoIAlign", "RoIPool"]


def _rois(boxes: Any, dtype: Any) -> np.ndarray:
    """(K, 5) array of (batch_index, x1, y1, x2, y2) from a Tensor[K, 5] or a list of Tensor[L, 4]."""
    if isinstance(boxes, (list, tuple)):
        parts = []
        for i, b in enumerate(boxes):
            b = np.asarray(b._data if isinstance(b, Tensor) else b, dtype=np.float64).reshape(-1, 4)
            parts.append(np.concatenate([np.full((len(b), 1), i, np.float64), b], 1))
        return np.concatenate(parts, 0) if parts else np.zeros((0, 5))
    arr = np.asarray(boxes._data if isinstance(boxes, Tensor) else boxes, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 5:
        raise ValueError(f"boxes must be a Tensor[K, 5] (batch_idx, x1, y1, x2, y2) or a list of "
                         f"Tensor[L, 4], got shape {arr.shape}")
    return arr


def _pair(v: Any) -> tuple[int, int]:
    return (int(v), int(v)) if isinstance(v, (int, np.integer)) else (int(v[0]), int(v[1]))


def _axis_weights(start: float, size: float, bins: int, grid: int, n: int) -> np.ndarray:
    """(bins, n) matrix: bilinear weights of the grid sample points along one axis, averaged per
    bin (torchvision's bilinear_interpolate: points beyond [-1, n] count as 0, others clamp)."""
    bin_size = size / bins
    W = np.zeros((bins, n))
    for p in range(bins):
        for i in range(grid):
            c = start + p * bin_size + (i + 0.5) * bin_size / grid
            if c < -1.0 or c > n:
                continue
            c = max(c, 0.0)
            lo = int(c)
            if lo >= n - 1:
                lo = hi = n - 1
                c = float(lo)
            else:
                hi = lo + 1
            frac = c - lo
            W[p, lo] += (1 - frac) / grid
            W[p, hi] += frac / grid
    return W


def _support(M: np.ndarray) -> tuple[int, int]:
    """[lo, hi) of the columns where the weight matrix is non-zero (the RoI's footprint)."""
    nz = np.nonzero(M.any(0))[0]
    return (int(nz[0]), int(nz[-1]) + 1) if len(nz) else (0, 0)


class RoIAlignOp(Op):
    """y[k] = My_k X[b_k] Mx_k^T per RoI on its footprint (linear in X).
    dX = the adjoint (RoIAlignAdjoint), whose own backward is this op again."""

    @staticmethod
    def forward(ctx, x, plan, out_shape):
        out = np.zeros(out_shape, dtype=x.dtype)
        for k, (b, h0, h1, w0, w1, My, Mx) in enumerate(plan):
            if h1 > h0 and w1 > w0:
                out[k] = (My @ x[b, :, h0:h1, w0:w1]) @ Mx.T  # (C, P, Q)
        ctx.in_shape = x.shape
        return out

    @staticmethod
    def backward(ctx, g):
        _, plan, _ = ctx.inputs
        return RoIAlignAdjoint.apply(g, plan, ctx.in_shape), None, None


class RoIAlignAdjoint(Op):
    """dX[b_k] += My_k^T G[k] Mx_k (scatter of every RoI's gradient onto its footprint)."""

    @staticmethod
    def forward(ctx, g, plan, in_shape):
        dx = np.zeros(in_shape, dtype=g.dtype)
        for k, (b, h0, h1, w0, w1, My, Mx) in enumerate(plan):
            if h1 > h0 and w1 > w0:
                dx[b, :, h0:h1, w0:w1] += (My.T @ g[k]) @ Mx  # (C, hh, ww)
        ctx.out_shape = g.shape
        return dx

    @staticmethod
    def backward(ctx, gg):
        _, plan, _ = ctx.inputs
        return RoIAlignOp.apply(gg, plan, ctx.out_shape), None, None


def roi_align(input: Tensor, boxes: Any, output_size: Any, spatial_scale: float = 1.0,
              sampling_ratio: int = -1, aligned: bool = False) -> Tensor:
    """RoI Align (Mask R-CNN): average of bilinear samples in each of PH x PW bins.

    Args:
        input: (N, C, H, W) feature map.
        boxes: Tensor[K, 5] (batch_idx, x1, y1, x2, y2) in image coordinates, or list of Tensor[L, 4].
        output_size: (PH, PW) or int.
        spatial_scale: image -> feature-map scale (e.g. 1/16).
        sampling_ratio: samples per bin side; <= 0 means ceil(roi_size / output_size).
        aligned: shift boxes by -0.5 px (pixel-centre model, Detectron2's default).

    Returns:
        (K, C, PH, PW) tensor.
    """
    if input.ndim != 4:
        raise ValueError(f"roi_align: input must be (N, C, H, W), got shape {tuple(input.shape)}")
    rois = _rois(boxes, input.dtype)
    ph, pw = _pair(output_size)
    N, C, H, W = input.shape
    offset = 0.5 if aligned else 0.0
    dt = input._data.dtype
    plan = []
    for k in range(len(rois)):
        b = int(rois[k, 0])
        if not 0 <= b < N:
            raise ValueError(f"roi_align: batch index {b} out of range for input batch {N}")
        x1, y1, x2, y2 = rois[k, 1:] * spatial_scale - offset
        rw, rh = x2 - x1, y2 - y1
        if not aligned:
            rw, rh = max(rw, 1.0), max(rh, 1.0)
        gh = sampling_ratio if sampling_ratio > 0 else math.ceil(rh / ph)
        gw = sampling_ratio if sampling_ratio > 0 else math.ceil(rw / pw)
        My = _axis_weights(y1, rh, ph, max(gh, 1), H) * (gh > 0)
        Mx = _axis_weights(x1, rw, pw, max(gw, 1), W) * (gw > 0)
        (h0, h1), (w0, w1) = _support(My), _support(Mx)
        plan.append((b, h0, h1, w0, w1, My[:, h0:h1].astype(dt), Mx[:, w0:w1].astype(dt)))
    return RoIAlignOp.apply(input, tuple(plan), (len(rois), C, ph, pw))


def _c_round(x: float) -> int:
    """C's round(): half away from zero (torchvision's roi_pool box quantisation)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


class RoIPoolOp(Op):
    """y[k, c, i, j] = max of x[b_k, c] over quantised bin (i, j) (0 for an empty bin).
    dx = g routed to the argmax of each bin."""

    @staticmethod
    def forward(ctx, x, rois, ph, pw, scale):
        N, C, H, W = x.shape
        K = len(rois)
        out = np.zeros((K, C, ph, pw), dtype=x.dtype)
        arg = np.full((K, C, ph, pw), -1, dtype=np.int64)
        for k in range(K):
            b = int(rois[k, 0])
            xs, ys, xe, ye = (_c_round(v * scale) for v in rois[k, 1:])
            rh, rw = max(ye - ys + 1, 1), max(xe - xs + 1, 1)
            bh, bw = rh / ph, rw / pw
            for i in range(ph):
                h0 = min(max(int(math.floor(i * bh)) + ys, 0), H)
                h1 = min(max(int(math.ceil((i + 1) * bh)) + ys, 0), H)
                for j in range(pw):
                    w0 = min(max(int(math.floor(j * bw)) + xs, 0), W)
                    w1 = min(max(int(math.ceil((j + 1) * bw)) + xs, 0), W)
                    if h1 <= h0 or w1 <= w0:
                        continue
                    win = x[b, :, h0:h1, w0:w1].reshape(C, -1)
                    a = win.argmax(1)
                    out[k, :, i, j] = win[np.arange(C), a]
                    ww = w1 - w0
                    arg[k, :, i, j] = (b * C + np.arange(C)) * H * W + (h0 + a // ww) * W + w0 + a % ww
        ctx.shape = x.shape
        ctx.arg = arg
        return out

    @staticmethod
    def backward(ctx, g):
        valid = ctx.arg.reshape(-1) >= 0
        flat_idx = Tensor._make(ctx.arg.reshape(-1)[valid])
        gv = g.reshape(-1)[Tensor._make(np.nonzero(valid)[0])]
        n = int(np.prod(ctx.shape))
        zeros = ember.zeros(n, dtype=g.dtype)
        return zeros.index_add(0, flat_idx, gv).reshape(ctx.shape), None, None, None, None


def roi_pool(input: Tensor, boxes: Any, output_size: Any, spatial_scale: float = 1.0) -> Tensor:
    """RoI max pooling (Fast R-CNN) with torchvision's quantisation (C-rounded corners, +1 size).

    Shapes: input (N, C, H, W), boxes as in roi_align, output (K, C, PH, PW).
    """
    if input.ndim != 4:
        raise ValueError(f"roi_pool: input must be (N, C, H, W), got shape {tuple(input.shape)}")
    rois = _rois(boxes, input.dtype)
    if len(rois) and (rois[:, 0].min() < 0 or rois[:, 0].max() >= input.shape[0]):
        raise ValueError(f"roi_pool: batch indices must be in [0, {input.shape[0]})")
    ph, pw = _pair(output_size)
    return RoIPoolOp.apply(input, rois, ph, pw, float(spatial_scale))


class RoIAlign(ember.nn.Module):
    """Module form of :func:`roi_align`."""

    def __init__(self, output_size: Any, spatial_scale: float, sampling_ratio: int,
                 aligned: bool = False) -> None:
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale
        self.sampling_ratio, self.aligned = sampling_ratio, aligned

    def forward(self, input: Tensor, rois: Any) -> Tensor:
        return roi_align(input, rois, self.output_size, self.spatial_scale, self.sampling_ratio,
                         self.aligned)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, spatial_scale={self.spatial_scale}, "
                f"sampling_ratio={self.sampling_ratio}, aligned={self.aligned}")


class RoIPool(ember.nn.Module):
    """Module form of :func:`roi_pool`."""

    def __init__(self, output_size: Any, spatial_scale: float) -> None:
        super().__init__()
        self.output_size, self.spatial_scale = output_size, spatial_scale

    def forward(self, input: Tensor, rois: Any) -> Tensor:
        return roi_pool(input, rois, self.output_size, self.spatial_scale)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}, spatial_scale={self.spatial_scale}"
