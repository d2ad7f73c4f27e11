"""Pooling (torch.nn.functional): max / avg / lp / adaptive pooling and max_unpool.

Output size per spatial dim (torch's pooling_output_shape; Caffe-style ceil_mode, notes' E36):

    o = floor_or_ceil((S + 2p - d*(k - 1) - 1) / s) + 1,
    and with ceil_mode the last window must start inside the input or the left padding.

Adaptive pooling uses torch's bins: cell i covers [floor(i*S/o), ceil((i+1)*S/o)).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import ops
from ..._backend import get_array_module
from ..._tensor import Tensor
from ._im2col import as_tuple, batched
from ._pool_ops import ArgmaxPool, MaxPoolNd, PoolCfg, WindowSum, window_max

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "lp_pool1d",
    "lp_pool2d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
]


def _batched(input: Tensor, nd: int, fname: str) -> tuple[Tensor, bool]:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): input must be a Tensor, got {type(input).__name__}")
    return batched(input, nd, f"{fname}: Expected {nd + 1}D or {nd + 2}D (batch mode) tensor for input")


def _pool_cfg(x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
              ceil_mode: bool, nd: int, fname: str, max_pool: bool) -> PoolCfg:
    """Validate like torch's pool2d_shape_check and compute the output size and padding."""
    k = as_tuple(kernel_size, nd, "kernel_size")
    s = k if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0) \
        else as_tuple(stride, nd, "stride")
    p, d = as_tuple(padding, nd, "padding"), as_tuple(dilation, nd, "dilation")
    for name, v in (("kernel_size", k), ("stride", s), ("dilation", d)):
        if any(e <= 0 for e in v):
            raise RuntimeError(f"{fname}: {name} should be greater than zero, but got {name}={v}")
    size = tuple(x.shape[2:])
    out, pads = [], []
    for n, kk, ss, pp, dd in zip(size, k, s, p, d):
        eff = dd * (kk - 1) + 1
        if pp < 0 or pp > (eff // 2 if max_pool else kk // 2):
            what = "effective kernel size" if max_pool else "kernel size"
            raise RuntimeError(f"{fname}: pad should be at most half of {what}, but got pad={pp}, "
                               f"kernel_size={kk}" + (f" and dilation={dd}" if max_pool else ""))
        o = (n + 2 * pp - eff + ((ss - 1) if ceil_mode else 0)) // ss + 1
        if ceil_mode and (o - 1) * ss >= n + pp:
            o -= 1
        out.append(o)
        pads.append((pp, max(pp, (o - 1) * ss + eff - n - pp)))
    if any(o < 1 for o in out):
        raise RuntimeError(f"{fname}: Given input size: ({'x'.join(map(str, x.shape[1:]))}). "
                           f"Calculated output size: ({'x'.join(map(str, [x.shape[1], *out]))}). "
                           "Output size is too small")
    return PoolCfg(k, s, tuple(pads), d, tuple(out))


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    fname = f"max_pool{nd}d"
    x, unb = _batched(input, nd, fname)
    cfg = _pool_cfg(x, kernel_size, stride, padding, dilation, ceil_mode, nd, fname, True)
    y, idx = MaxPoolNd.apply(x, cfg)
    if unb:
        y, idx = y.squeeze(0), idx.squeeze(0)
    return (y, idx) if return_indices else y


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """y[n, c, j] = max_i xpad[n, c, j*s + i*d] (padding is -inf); (N, C, L) -> (N, C, L_out)."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over each (dilated) kH x kW window; stride defaults to kernel_size.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, H_out, W_out). With ``return_indices`` also the
    argmax as a flat index h*W + w into each input plane (int64), the input of max_unpool2d.

    Notes: ties pick the first window element and NaN propagates, like torch. The gradient goes
    to the argmax only (scatter-add when windows overlap).
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """3-D max pooling; (N, C, D, H, W) -> (N, C, D_out, H_out, W_out)."""
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3)


def _divisor(cfg: PoolCfg, size: tuple, count_include_pad: bool, xp: Any, dtype: Any) -> Any:
    """Per-output divisor (torch): window clipped to the padded input, or to the input itself."""
    div = xp.ones((), dtype=dtype)
    for i, n in enumerate(size):
        (p, _), kk, ss = cfg.pads[i], cfg.kernel[i], cfg.stride[i]
        start = np.arange(cfg.out[i]) * ss - p
        end = np.minimum(start + kk, n + p)
        cnt = end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0)
        div = div[..., None] * xp.asarray(cnt, dtype=dtype)
    return div


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
              nd):
    fname = f"avg_pool{nd}d"
    x, unb = _batched(input, nd, fname)
    cfg = _pool_cfg(x, kernel_size, stride, padding, 1, ceil_mode, nd, fname, False)
    xp = get_array_module(x._data)
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError(f"{fname}: divisor must be not zero")
        inv = xp.asarray(1.0 / divisor_override, dtype=x._data.dtype)
    else:
        inv = 1.0 / _divisor(cfg, tuple(x.shape[2:]), count_include_pad, xp, x._data.dtype)
    y = WindowSum.apply(x, cfg) * Tensor._make(inv)
    return y.squeeze(0) if unb else y


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """Mean over each window; (N, C, L) -> (N, C, L_out)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """y = (sum of the window) / divisor; (N, C, H, W) -> (N, C, H_out, W_out).

    The divisor is ``divisor_override`` if given, else the window size clipped to the padded
    input (count_include_pad=True) or to the real input (False), as in torch.
    """
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, 2)


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """3-D average pooling; (N, C, D, H, W) -> (N, C, D_out, H_out, W_out)."""
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, 3)


def _out_size(output_size: Any, size: tuple, nd: int, fname: str) -> tuple:
    if isinstance(output_size, (list, tuple)):
        if len(output_size) != nd:
            raise ValueError(f"{fname}: output_size must have {nd} elements, got {output_size}")
        out = tuple(n if o is None else int(o) for o, n in zip(output_size, size))
    else:
        out = (int(output_size),) * nd
    if any(o <= 0 for o in out):
        raise RuntimeError(f"{fname}: elements of output_size must be greater than 0, got {out}")
    return out


def _bins(n: int, o: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(o)
    return (i * n) // o, -((-(i + 1) * n) // o)  # floor(i*n/o), ceil((i+1)*n/o)


def _adaptive_avg(input: Tensor, output_size: Any, nd: int) -> Tensor:
    """y = P_1 ... P_d x: one averaging matrix per dim, applied with matmul (differentiable)."""
    fname = f"adaptive_avg_pool{nd}d"
    x, unb = _batched(input, nd, fname)
    out = _out_size(output_size, tuple(x.shape[2:]), nd, fname)
    xp = get_array_module(x._data)
    y = x
    for i, (n, o) in enumerate(zip(x.shape[2:], out)):
        lo, hi = _bins(n, o)
        cols = np.arange(n)
        m = ((cols >= lo[:, None]) & (cols < hi[:, None])) / (hi - lo)[:, None]  # (o, n)
        y = apply_along(y, xp.asarray(m, dtype=x._data.dtype), 2 + i)
    return y.squeeze(0) if unb else y


def apply_along(x: Tensor, m: Any, dim: int) -> Tensor:
    """y = x with dim ``dim`` (size n) mapped by the (o, n) matrix m: y[..., o, ...] = m @ x[..., :, ...].

    Separable resampling/pooling as one matmul per dim (differentiable, double backward too)."""
    mat = Tensor._make(m.T)  # (n, o)
    if dim == x.ndim - 1:
        return x @ mat
    return (x.movedim(dim, -1) @ mat).movedim(-1, dim)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Mean over torch's adaptive bins; (N, C, L) -> (N, C, output_size)."""
    return _adaptive_avg(input, output_size, 1)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Mean over adaptive bins [floor(i*H/o), ceil((i+1)*H/o)); output_size 1 = global average
    pooling (TOPICS.md 1.11). (N, C, H, W) -> (N, C, *output_size); None keeps that dim."""
    return _adaptive_avg(input, output_size, 2)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """3-D adaptive average pooling."""
    return _adaptive_avg(input, output_size, 3)


class AdaptiveMaxNd(ArgmaxPool):
    """y = max over each adaptive bin (gathered, short bins padded with -inf).   dx = scatter g."""

    @staticmethod
    def forward(ctx, x, out):
        xp = get_array_module(x)
        nd, size = len(out), tuple(x.shape[2:])
        idx, valid = [], []
        for i, (n, o) in enumerate(zip(size, out)):
            lo, hi = _bins(n, o)
            kmax = int((hi - lo).max())
            pos = lo[:, None] + np.arange(kmax)  # (o, kmax)
            shape = [1] * (2 * nd)
            shape[2 * i], shape[2 * i + 1] = o, kmax
            idx.append(xp.asarray(np.minimum(pos, n - 1).reshape(shape)))
            valid.append(xp.asarray((pos < hi[:, None]).reshape(shape)))
        g = x[(slice(None), slice(None), *idx)]  # (N, C, o1, k1, o2, k2, ...)
        ok = valid[0]
        flat = idx[0]
        for i in range(1, nd):
            ok, flat = ok & valid[i], flat * size[i] + idx[i]
        fill = -np.inf if xp.issubdtype(x.dtype, xp.floating) else xp.iinfo(x.dtype).min
        g = xp.where(ok, g, fill)
        perm = (0, 1, *range(2, 2 + 2 * nd, 2), *range(3, 3 + 2 * nd, 2))
        g = g.transpose(perm).reshape(*x.shape[:2], *out, -1)  # (N, C, *o, K)
        fl = xp.broadcast_to(flat, ok.shape).transpose(_perm0(nd)).reshape(*out, -1)  # (*o, K)
        return window_max(ctx, g, lambda kidx: xp.take_along_axis(fl[None, None], kidx[..., None],
                                                                 axis=-1)[..., 0].astype(xp.int64), size)


def _perm0(nd: int) -> tuple:
    return (*range(0, 2 * nd, 2), *range(1, 2 * nd, 2))


def _adaptive_max(input, output_size, return_indices, nd):
    fname = f"adaptive_max_pool{nd}d"
    x, unb = _batched(input, nd, fname)
    out = _out_size(output_size, tuple(x.shape[2:]), nd, fname)
    y, idx = AdaptiveMaxNd.apply(x, out)
    if unb:
        y, idx = y.squeeze(0), idx.squeeze(0)
    return (y, idx) if return_indices else y


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max over torch's adaptive bins; (N, C, L) -> (N, C, output_size)."""
    return _adaptive_max(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max over adaptive bins; (N, C, H, W) -> (N, C, *output_size) (+ flat argmax indices)."""
    return _adaptive_max(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """3-D adaptive max pooling."""
    return _adaptive_max(input, output_size, return_indices, 3)


def _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, nd):
    k = as_tuple(kernel_size, nd, "kernel_size")
    out = _avg_pool(input.pow(norm_type), k, stride, 0, ceil_mode, True, None, nd)
    return (ops.sign(out) * ops.relu(out.abs())).mul(math.prod(k)).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """y = (sum over the window of x^p)^(1/p) (torch's formula, via avg_pool * window size)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """y = (sum over the kH x kW window of x^p)^(1/p); p = inf is max pooling, p = 1 sum pooling."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, nd):
    fname = f"max_unpool{nd}d"
    x, unb = _batched(input, nd, fname)
    ind = indices.unsqueeze(0) if unb else indices
    if tuple(ind.shape) != tuple(x.shape):
        raise RuntimeError(f"{fname}: Expected shape of indices to be same as that of the input "
                           f"tensor ({list(x.shape)}) but got indices tensor with shape "
                           f"{list(ind.shape)}")
    k = as_tuple(kernel_size, nd, "kernel_size")
    s = k if stride is None else as_tuple(stride, nd, "stride")
    p = as_tuple(padding, nd, "padding")
    default = tuple((n - 1) * ss - 2 * pp + kk for n, ss, pp, kk in zip(x.shape[2:], s, p, k))
    size = default if output_size is None else tuple(int(v) for v in list(output_size)[-nd:])
    for n, dflt, ss in zip(size, default, s):
        if not dflt - ss < n < dflt + ss:
            raise ValueError(f"{fname}: invalid output_size {size} (expected each dim in "
                             f"({dflt - ss}, {dflt + ss}), default {default})")
    P = math.prod(size)
    if ind.numel() and (int(ind.min()) < 0 or int(ind.max()) >= P):
        raise RuntimeError(f"{fname}: Found an invalid max index: {int(ind.max())} (output volumes "
                           f"are of size {'x'.join(map(str, size))})")
    N, C = x.shape[:2]
    zeros = ops.zeros((N, C, P), dtype=x.dtype)
    y = zeros.scatter(2, ind.reshape(N, C, -1), x.reshape(N, C, -1)).reshape(N, C, *size)
    return y.squeeze(0) if unb else y


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of max_pool1d: values put back at their argmax, zeros elsewhere."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of max_pool2d: y.flat[indices] = x per plane, zeros elsewhere.

    Default output size (H - 1)*stride - 2*padding + kernel_size; ``output_size`` may pick any
    size within one stride of it (torch).
    """
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """3-D max unpooling."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)
