"""Vision functions (torch.nn.functional): interpolate/upsample, pixel_(un)shuffle, unfold/fold."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._backend import get_array_module
from ..._tensor import Tensor
from ...autograd.function import Op
from . import _resample as R
from ._im2col import as_tuple, col2im, crop, out_size, pad_array, windows
from .pooling import _adaptive_avg, apply_along

__all__ = [
    "fold",
    "interpolate",
    "pixel_shuffle",
    "pixel_unshuffle",
    "unfold",
    "upsample",
    "upsample_bilinear",
    "upsample_nearest",
]

_MODES = {"nearest": None, "nearest-exact": None, "linear": 1, "bilinear": 2, "bicubic": 2,
          "trilinear": 3, "area": None}


def _sizes(x: Tensor, size: Any, scale_factor: Any, recompute: bool | None) -> tuple[list, list]:
    """Output sizes and the scale factors handed to the kernels (None = use in/out)."""
    nd = x.ndim - 2
    if (size is None) == (scale_factor is None):
        raise ValueError("only one of size or scale_factor should be defined" if size is not None
                         else "either size or scale_factor should be defined")
    if size is not None:
        out = list(size) if isinstance(size, (list, tuple)) else [size] * nd
        if len(out) != nd:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, "
                             f"but got input with spatial dimensions of {list(x.shape[2:])} and "
                             f"output size of {list(out)}. Please provide input tensor in (N, C, "
                             "d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.")
        out = [int(v) for v in out]
        if any(v <= 0 for v in out):
            raise ValueError(f"interpolate(): size must be positive, got {out}")
        return out, [None] * nd
    sf = list(scale_factor) if isinstance(scale_factor, (list, tuple)) else [scale_factor] * nd
    if len(sf) != nd:
        raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions,"
                         f" but got input with spatial dimensions of {list(x.shape[2:])} and "
                         f"scale_factor of shape {sf}.")
    out = [math.floor(float(n) * float(f)) for n, f in zip(x.shape[2:], sf)]
    if any(v <= 0 for v in out):
        raise ValueError(f"interpolate(): scale_factor {sf} gives an empty output {out}")
    return out, [None] * nd if recompute else [float(f) for f in sf]


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resample the spatial dims of (N, C, *S) to ``size`` or floor(S * scale_factor).

    Modes: 'nearest' (src = floor(dst * in/out), torch's legacy rule), 'nearest-exact'
    (floor((dst + 0.5) * in/out)), 'linear' / 'bilinear' / 'trilinear' (separable linear),
    'bicubic' (Keys a = -0.75, border taps clamped), 'area' (adaptive average pooling).
    Source coordinate: align_corners=True maps corner pixel centres onto each other
    (src = dst * (in-1)/(out-1)); False (default) uses half-pixel centres
    (src = (dst + 0.5) * in/out - 0.5, clamped at 0 for linear modes). With ``scale_factor``
    and recompute_scale_factor not True, the kernels use 1/scale_factor instead of in/out.

    Notes:
        Each linear/cubic mode is a product of one (out, in) matrix per dim applied by matmul
        (exactly torch's taps), so gradients and double gradients come from matmul.
        antialias=True (bilinear/bicubic downsampling) widens the filter like torch/PIL.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"interpolate(): input must be a Tensor, got {type(input).__name__}")
    if mode not in _MODES:
        raise ValueError(f"interpolate(): mode must be one of {list(_MODES)}, got {mode!r}")
    nd = input.ndim - 2
    if nd not in (1, 2, 3) or (_MODES[mode] is not None and _MODES[mode] != nd):
        raise ValueError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                         f"{input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | "
                         f"trilinear | area | nearest-exact (got {mode})")
    if align_corners is not None and mode in ("nearest", "nearest-exact", "area"):
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if antialias and mode not in ("bilinear", "bicubic"):
        raise ValueError(f"Anti-alias option is restricted to bilinear and bicubic modes and "
                         f"requires a 4-D tensor as input, got mode={mode!r}")
    out, scales = _sizes(input, size, scale_factor, recompute_scale_factor)
    if mode == "area":
        return _adaptive_avg(input, tuple(out), nd)
    xp = get_array_module(input._data)
    dt = input._data.dtype.type if input.dtype.is_floating_point else np.float32
    ac = bool(align_corners)
    y = input
    for i, (n, o, sc) in enumerate(zip(input.shape[2:], out, scales)):
        if mode in ("nearest", "nearest-exact"):
            idx = R.nearest_index(n, o, sc, mode == "nearest-exact")
            y = y.index_select(2 + i, Tensor._make(xp.asarray(idx)))
            continue
        if antialias:
            m = R.antialias_matrix(n, o, ac, sc, dt, mode == "bicubic")
        elif mode == "bicubic":
            m = R.cubic_matrix(n, o, ac, sc, dt)
        else:
            m = R.linear_matrix(n, o, ac, sc, dt)
        y = apply_along(y, xp.asarray(m), 2 + i)
    return y


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of interpolate (torch)."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """interpolate(mode='nearest')."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """interpolate(mode='bilinear', align_corners=True) (torch's legacy behaviour)."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C*r^2, H, W) -> (*, C, H*r, W*r): y[c, h*r + i, w*r + j] = x[c*r^2 + i*r + j, h, w]."""
    r = int(upscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, C, H, W = input.shape
    if C % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible "
                           f"by the square of upscale_factor, but input.size(-3)={C} is not "
                           f"divisible by {r * r}")
    k = len(lead)
    y = input.reshape(*lead, C // (r * r), r, r, H, W)
    y = y.permute(*range(k), k, k + 3, k + 1, k + 4, k + 2)  # (*, C, H, r, W, r)
    return y.reshape(*lead, C // (r * r), H * r, W * r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H*r, W*r) -> (*, C*r^2, H, W); the inverse of pixel_shuffle."""
    r = int(downscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, C, H, W = input.shape
    for name, n, dim in (("height", H, -2), ("width", W, -1)):
        if n % r:
            raise RuntimeError(f"pixel_unshuffle expects {name} to be divisible by "
                               f"downscale_factor, but input.size({dim})={n} is not divisible by {r}")
    k = len(lead)
    y = input.reshape(*lead, C, H // r, r, W // r, r)
    y = y.permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)  # (*, C, r, r, H/r, W/r)
    return y.reshape(*lead, C * r * r, H // r, W // r)


class Unfold(Op):
    """cols[n, (c, i), l] = xpad[n, c, j(l)*s + i*d] (im2col).   dx = Fold(g)."""

    @staticmethod
    def forward(ctx, x, k, d, p, s):
        xp = get_array_module(x)
        ctx.args, ctx.size = (k, d, p, s), tuple(x.shape[2:])
        w = windows(pad_array(x, p), k, s, d)  # (C, *k, N, *o)
        nd = len(k)
        w = xp.moveaxis(w, nd + 1, 0)  # (N, C, *k, *o)
        return xp.ascontiguousarray(w).reshape(x.shape[0], x.shape[1] * math.prod(k), -1)

    @staticmethod
    def backward(ctx, g):
        k, d, p, s = ctx.args
        return Fold.apply(g, ctx.size, k, d, p, s), None, None, None, None


class Fold(Op):
    """y = col2im(cols): each column summed back into its window (the adjoint of Unfold)."""

    @staticmethod
    def forward(ctx, c, size, k, d, p, s):
        xp = get_array_module(c)
        ctx.args = (k, d, p, s)
        padded = tuple(lo + n + hi for (lo, hi), n in zip(p, size))
        o = out_size(padded, k, s, d)
        N = c.shape[0]
        cols = xp.moveaxis(c.reshape(N, -1, *k, *o), 0, len(k) + 1)  # (C, *k, N, *o)
        img = col2im(cols, padded, s, d)  # (C, N, *padded)
        return xp.ascontiguousarray(xp.moveaxis(crop(img, p, size), 0, 1))

    @staticmethod
    def backward(ctx, g):
        k, d, p, s = ctx.args
        return Unfold.apply(g, k, d, p, s), None, None, None, None, None


def _fold_args(kernel_size, dilation, padding, stride):
    k, d = as_tuple(kernel_size, 2, "kernel_size"), as_tuple(dilation, 2, "dilation")
    p, s = as_tuple(padding, 2, "padding"), as_tuple(stride, 2, "stride")
    for name, v in (("kernel_size", k), ("dilation", d), ("stride", s)):
        if any(e <= 0 for e in v):
            raise RuntimeError(f"{name} should be greater than zero, but got {name}={v}")
    if any(e < 0 for e in p):
        raise RuntimeError(f"padding should be non-negative, but got padding={p}")
    return k, d, tuple((v, v) for v in p), s


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> Tensor:
    """Extract sliding blocks (im2col): (N, C, H, W) -> (N, C*kH*kW, L), L = H_out*W_out."""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"Input Error: Only 3D or 4D input Tensors are supported (got "
                           f"{input.ndim}D)")
    x = input.unsqueeze(0) if input.ndim == 3 else input
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    padded = [n + 2 * lo for n, (lo, _) in zip(x.shape[2:], p)]
    if any(dd * (kk - 1) + 1 > n for dd, kk, n in zip(d, k, padded)):
        raise RuntimeError(f"Given input with spatial size {list(x.shape[2:])}, kernel_size={k}, "
                           f"dilation={d}, padding={tuple(v for v, _ in p)}, calculated shape of the"
                           " array of sliding blocks is non-positive")
    y = Unfold.apply(x, k, d, p, s)
    return y.squeeze(0) if input.ndim == 3 else y


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Combine sliding blocks (col2im, overlaps summed): (N, C*kH*kW, L) -> (N, C, *output_size)."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Input Error: Only unbatched (2D) or batched (3D) input Tensors are "
                           f"supported (got {input.ndim}D)")
    c = input.unsqueeze(0) if input.ndim == 2 else input
    size = as_tuple(output_size, 2, "output_size")
    k, d, p, s = _fold_args(kernel_size, dilation, padding, stride)
    if c.shape[1] % math.prod(k):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of"
                           f" kernel_size, but got input.size(1)={c.shape[1]} and kernel_size={k}")
    blocks = out_size([n + 2 * lo for n, (lo, _) in zip(size, p)], k, s, d)
    if c.shape[2] != math.prod(blocks) or any(b <= 0 for b in blocks):
        raise RuntimeError(f"Given output_size={size}, kernel_size={k}, dilation={d}, padding="
                           f"{tuple(v for v, _ in p)}, stride={s}, expected size of input's "
                           f"dimension 2 to match the calculated number of sliding blocks "
                           f"{blocks[0]} * {blocks[1]} = {math.prod(blocks)}, but got "
                           f"input.size(2)={c.shape[2]}.")
    y = Fold.apply(c, size, k, d, p, s)
    return y.squeeze(0) if input.ndim == 2 else y
