"""The three bilinear ops of convolution, each the others' adjoint (fused, im2col + one GEMM).

With B(x, w) = conv(x, w) (cross-correlation, torch's convention):

* ``ConvNd``            y  = B(x, w) + b
* ``ConvTransposeNd``   dx = B_x^T(g; w)   (the input-gradient of B; torch's conv_transpose)
* ``ConvWeightNd``      dw = B_w^T(g; x)   (the weight-gradient of B)

Because B is bilinear, every backward is again one of these three ops with other arguments,
written in ember ops: double (and higher) backward works with no extra code (gradgradcheck in
tests/nn/test_conv.py). ``Cfg`` carries stride s, padding (lo, hi) per dim, dilation d, groups.

Layouts (G groups, d spatial dims, K = prod(kernel), L = prod(out)):
x (N, C, *S), w (O, C/G, *k), y (N, O, *o); columns (G, C/G*K, N*L); GEMM (G, O/G, C/G*K) @ cols.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from ..._backend import get_array_module
from ...autograd.function import Op
from ._im2col import _prod, col2im, crop, im2col, pad_array, scratch


class Cfg(NamedTuple):
    stride: tuple
    pads: tuple  # ((lo, hi), ...) per spatial dim
    dilation: tuple
    groups: int


def conv_forward(x: Any, w: Any, cfg: Cfg) -> tuple[Any, Any]:
    """y[n, o, j] = sum_{c in group(o), i} w[o, c, i] * xpad[n, c, j*s + i*d]; also the columns."""
    xp = get_array_module(x, w)
    G, O = cfg.groups, w.shape[0]
    k = tuple(w.shape[2:])
    cols, o = im2col(pad_array(x, cfg.pads), k, cfg.stride, cfg.dilation)  # (C*K, N*L)
    cols = cols.reshape(G, -1, cols.shape[1])
    wm = w.reshape(G, O // G, -1)
    y = _gemm(wm, cols, pooled=True)  # (G, O/G, N*L), a scratch buffer: copied out below
    y = y.reshape(O, x.shape[0], *o)
    return xp.ascontiguousarray(xp.moveaxis(y, 0, 1)), cols  # (N, O, *o)


def conv_transpose_forward(g: Any, w: Any, cfg: Cfg, size: tuple) -> Any:
    """dx = B_x^T(g; w): columns w^T g, then col2im (scatter-add per kernel offset), then crop.

    With stride 1 it is the plain convolution of g, padded by d*(k-1) - pad, with the flipped,
    in/out-swapped kernel: one im2col and a GEMM with a small output instead of a GEMM writing
    C*K*N*L columns plus K scatter-adds (measured ~1.5x faster on 3x3 layers); not when g's
    columns would be more than twice as many values (LeNet's 6->16 5x5 unpadded conv: 5x)."""
    xp = get_array_module(g, w)
    k, o = tuple(w.shape[2:]), tuple(g.shape[2:])
    O, C = w.shape[0], w.shape[1] * cfg.groups
    # g's columns hold O*K*prod(size) values against C*K*prod(o) for w^T g: skip when far larger
    if all(s == 1 for s in cfg.stride) and O * _prod(size) <= 2 * C * _prod(o):
        lo = [dd * (kk - 1) - plo for dd, kk, (plo, _) in zip(cfg.dilation, k, cfg.pads)]
        hi = [n + dd * (kk - 1) - oo - l for n, dd, kk, oo, l in zip(size, cfg.dilation, k, o, lo)]
        if min(lo + hi) >= 0:
            return conv_forward(g, _flipped_kernel(w, cfg.groups),
                                Cfg(cfg.stride, tuple(zip(lo, hi)), cfg.dilation, cfg.groups))[0]
    G, N = cfg.groups, g.shape[0]
    gm = xp.moveaxis(g, 1, 0).reshape(G, O // G, -1)  # (G, O/G, N*L)
    wm = w.reshape(G, O // G, -1)
    cols = _gemm(wm.transpose(0, 2, 1), gm, pooled=True)  # (G, C/G*K, N*L), temporary
    cols = cols.reshape(-1, *k, N, *o)  # (C, *k, N, *o)
    padded = tuple(lo + n + hi for (lo, hi), n in zip(cfg.pads, size))
    img = col2im(cols, padded, cfg.stride, cfg.dilation)  # (C, N, *padded)
    return xp.ascontiguousarray(xp.moveaxis(crop(img, cfg.pads, size), 0, 1))


def _flipped_kernel(w: Any, groups: int) -> Any:
    """w (O, C/G, *k) -> (C, O/G, *k) with every spatial axis reversed, per group."""
    O, cg, k = w.shape[0], w.shape[1], tuple(w.shape[2:])
    v = w.reshape(groups, O // groups, cg, *k).swapaxes(1, 2).reshape(groups * cg, O // groups, *k)
    return v[(slice(None), slice(None)) + (slice(None, None, -1),) * len(k)]


def conv_weight_forward(x: Any, g: Any, cfg: Cfg, k: tuple, cols: Any = None) -> Any:
    """dw[o, c, i] = sum_{n, j} g[n, o, j] * xpad[n, c, j*s + i*d]  (one GEMM g @ cols^T).

    ``cols``: x's columns if the forward kept them (saves the second im2col)."""
    xp = get_array_module(x, g)
    G, O = cfg.groups, g.shape[1]
    if cols is None:
        cols, _ = im2col(pad_array(x, cfg.pads), k, cfg.stride, cfg.dilation, g.shape[2:])
    cols = cols.reshape(G, -1, cols.shape[-1])  # (G, C/G*K, N*L)
    gm = xp.moveaxis(g, 1, 0).reshape(G, O // G, -1)  # (G, O/G, N*L)
    # cols @ g^T, not g @ cols^T: OpenBLAS is ~10x slower on the latter (small M, huge K, B^T)
    dw = _gemm(cols, gm.transpose(0, 2, 1)).transpose(0, 2, 1)  # (G, O/G, C/G*K)
    return xp.ascontiguousarray(dw).reshape(O, -1, *k)


def _gemm(a: Any, b: Any, pooled: bool = False) -> Any:
    """Per-group a[g] @ b[g]. numpy's stacked matmul skips BLAS for transposed operands (measured
    ~10x slower on the weight-gradient GEMM), so groups loop over 2-D BLAS calls.

    ``pooled``: write into a reusable scratch buffer (for results that are only temporaries)."""
    xp = get_array_module(a, b)
    shape, dt = (a.shape[0], a.shape[1], b.shape[2]), xp.result_type(a, b)
    if not pooled and a.shape[0] == 1:
        return (a[0] @ b[0])[None]
    out = scratch(xp, shape, dt) if pooled else xp.empty(shape, dtype=dt)
    for i in range(a.shape[0]):
        xp.matmul(a[i], b[i], out=out[i])
    return out


class ConvNd(Op):
    """y = conv(x, w) + b.   dx = conv_transpose(g, w),  dw = conv_weight(x, g),  db = sum g.

    keep_cols: hold x's im2col columns until backward (one im2col less for dw; costs memory
    C*K*N*L, as torch's old slow_conv2d "finput" buffer)."""

    @staticmethod
    def forward(ctx, x, w, b, cfg, keep_cols=False):
        ctx.cfg, ctx.size = cfg, tuple(x.shape[2:])
        ctx.save_for_backward(x, w)
        y, cols = conv_forward(x, w, cfg)
        ctx.cols = cols if keep_cols else None
        if b is not None:
            y += b.reshape((1, -1) + (1,) * (y.ndim - 2))
        return y

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = ConvTransposeNd.apply(g, w, ctx.cfg, ctx.size) if need[0] else None
        cols, ctx.cols = ctx.cols, None  # used once; a retained graph recomputes them
        gw = ConvWeightNd.apply(x, g, ctx.cfg, tuple(w.shape[2:]), cols) if need[1] else None
        gb = g.sum(dim=(0, *range(2, g.ndim))) if need[2] else None
        return gx, gw, gb, None, None


class ConvTransposeNd(Op):
    """dx = B_x^T(g; w) of spatial size ``size``.   dg = conv(h, w),  dw = conv_weight(h, g)."""

    @staticmethod
    def forward(ctx, g, w, cfg, size):
        ctx.cfg = cfg
        ctx.save_for_backward(g, w)
        return conv_transpose_forward(g, w, cfg, size)

    @staticmethod
    def backward(ctx, h):
        g, w = ctx.saved_tensors
        need = ctx.needs_input_grad
        gg = _crop_to(ConvNd.apply(h, w, None, ctx.cfg), g.shape) if need[0] else None
        gw = ConvWeightNd.apply(h, g, ctx.cfg, tuple(w.shape[2:])) if need[1] else None
        return gg, gw, None, None


class ConvWeightNd(Op):
    """dw = B_w^T(g; x) with kernel size ``k``.   dx = conv_transpose(g, v),  dg = conv(x, v)."""

    @staticmethod
    def forward(ctx, x, g, cfg, k, cols=None):
        ctx.cfg, ctx.size = cfg, tuple(x.shape[2:])
        ctx.save_for_backward(x, g)
        return conv_weight_forward(x, g, cfg, k, cols)

    @staticmethod
    def backward(ctx, v):
        x, g = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = ConvTransposeNd.apply(g, v, ctx.cfg, ctx.size) if need[0] else None
        gg = ConvNd.apply(x, v, None, ctx.cfg) if need[1] else None
        return gx, gg, None, None, None


def _crop_to(y: Any, shape: tuple) -> Any:
    """conv of a transposed conv's output can see one more window when output_padding >= stride
    (allowed while output_padding < dilation): keep the first ones, as the forward did."""
    if tuple(y.shape) == tuple(shape):
        return y
    return y[tuple(slice(0, n) for n in shape)]
