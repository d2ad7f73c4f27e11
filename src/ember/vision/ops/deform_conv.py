"""Deformable convolution v1/v2 (torchvision.ops.deform_conv2d semantics), built from ember ops.

Each kernel tap k of output cell (y, x) samples the input at the fractional position

    p = (y*s_h - pad_h + i*d_h + dy_k(y, x),  x*s_w - pad_w + j*d_w + dx_k(y, x))

by bilinear interpolation with zeros outside the image (a corner outside contributes 0, as in
torchvision's kernel; no border clamp), optionally multiplies by a modulation mask (DCN v2),
then the usual GEMM with the weight. With zero offsets and unit mask it is conv2d (claim C086).
Because it is composed of gather/matmul/arithmetic ops, gradients w.r.t. input, offset, weight
and mask (and double backward) come from autograd.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import ops
from ..._backend import get_array_module
from ..._tensor import Tensor
from ...nn import Module, Parameter, init
from ...nn.functional._im2col import as_tuple

__all__ = ["DeformConv2d", "deform_conv2d"]


def _check(input: Tensor, offset: Tensor, weight: Tensor, mask: Tensor | None, out: tuple) -> int:
    """Validate shapes like torchvision; return the number of offset groups."""
    for name, t in (("input", input), ("offset", offset), ("weight", weight)):
        if not isinstance(t, Tensor) or t.ndim != 4:
            raise ValueError(f"deform_conv2d: {name} must be a 4-D Tensor, got "
                             f"{getattr(t, 'shape', type(t).__name__)}")
    K = weight.shape[2] * weight.shape[3]
    if offset.shape[1] % (2 * K) or offset.shape[1] == 0:
        raise RuntimeError("the shape of the offset tensor at dimension 1 is not valid. It should be "
                           f"a multiple of 2 * weight.size[2] * weight.size[3].\nGot offset.shape[1]="
                           f"{offset.shape[1]}, while 2 * weight.size[2] * weight.size[3]={2 * K}")
    og = offset.shape[1] // (2 * K)
    C = input.shape[1]
    if C % weight.shape[1] or weight.shape[0] % (C // weight.shape[1]):
        raise RuntimeError(f"deform_conv2d: input channels {C} and weight {list(weight.shape)} do not "
                           "define a valid number of groups")
    if C % og:
        raise RuntimeError(f"deform_conv2d: input channels {C} must be divisible by the number of "
                           f"offset groups {og}")
    if tuple(offset.shape[2:]) != out or offset.shape[0] != input.shape[0]:
        raise RuntimeError(f"offset output dims: ({offset.shape[2]}, {offset.shape[3]}) - computed "
                           f"output dims: {out}")
    if mask is not None and (tuple(mask.shape) != (input.shape[0], og * K, *out)):
        raise RuntimeError(f"mask must have shape {[input.shape[0], og * K, *out]}, got "
                           f"{list(mask.shape)}")
    return og


def _sample(x: Tensor, py: Tensor, px: Tensor, og: int) -> Tensor:
    """Bilinear samples of x (N, C, H, W) at (py, px) (N, og, K, L): (N, og, C/og, K*L)."""
    xp = get_array_module(x._data)
    N, C, H, W = x.shape
    y0 = py.detach().floor()
    x0 = px.detach().floor()
    ly, lx = py - y0, px - x0
    y0a, x0a = y0._data.astype(np.int64), x0._data.astype(np.int64)
    xf = x.reshape(N, og, C // og, H * W)
    M = py.shape[2] * py.shape[3] * py.shape[4]  # K * L
    out = None
    for dy, dx, wgt in ((0, 0, (1 - ly) * (1 - lx)), (0, 1, (1 - ly) * lx),
                        (1, 0, ly * (1 - lx)), (1, 1, ly * lx)):
        yc, xc = y0a + dy, x0a + dx
        valid = (yc >= 0) & (yc < H) & (xc >= 0) & (xc < W)
        flat = (xp.clip(yc, 0, H - 1) * W + xp.clip(xc, 0, W - 1)).reshape(N, og, 1, M)
        idx = Tensor._make(xp.ascontiguousarray(xp.broadcast_to(flat, (N, og, C // og, M))))
        w = (wgt * Tensor._make(valid.astype(x._data.dtype))).reshape(N, og, 1, M)
        term = xf.gather(3, idx) * w
        out = term if out is None else out + term
    return out


def deform_conv2d(input: Tensor, offset: Tensor, weight: Tensor, bias: Tensor | None = None,
                  stride: Any = (1, 1), padding: Any = (0, 0), dilation: Any = (1, 1),
                  mask: Tensor | None = None) -> Tensor:
    """Deformable 2-D convolution (Dai et al. 2017; with ``mask``: DCN v2, Zhu et al. 2019).

    Args:
        input: (N, C_in, H, W).   weight: (C_out, C_in/groups, kH, kW).   bias: (C_out,) or None.
        offset: (N, 2*offset_groups*kH*kW, H_out, W_out); channel 2*(g*K + k) is the row (dy)
            and 2*(g*K + k) + 1 the column (dx) displacement of tap k = i*kW + j of group g.
        mask: (N, offset_groups*kH*kW, H_out, W_out) modulation scalars, or None (all ones).
        stride, padding, dilation: int or (h, w).

    Shape:
        output (N, C_out, H_out, W_out), H_out = floor((H + 2p - d(k-1) - 1)/s) + 1.

    Notes:
        Matches torchvision's forward: a sample whose corner falls outside the image takes 0 for
        that corner. Gradients are the exact derivatives of this forward (autograd).
    """
    s, p, d = (as_tuple(v, 2, n) for v, n in ((stride, "stride"), (padding, "padding"),
                                              (dilation, "dilation")))
    N, C, H, W = input.shape
    O, _, kh, kw = weight.shape
    out = tuple((n + 2 * pp - dd * (k - 1) - 1) // ss + 1
                for n, pp, dd, k, ss in zip((H, W), p, d, (kh, kw), s))
    og = _check(input, offset, weight, mask, out)
    G = C // weight.shape[1]
    K, L = kh * kw, out[0] * out[1]
    xp = get_array_module(input._data)
    dt = input._data.dtype
    iy = (xp.arange(kh) * d[0]).repeat(kw)[:, None, None]  # (K, 1, 1) tap row offsets
    ix = xp.tile(xp.arange(kw) * d[1], kh)[:, None, None]
    by = Tensor._make((iy + (xp.arange(out[0]) * s[0] - p[0])[None, :, None]).astype(dt))
    bx = Tensor._make((ix + (xp.arange(out[1]) * s[1] - p[1])[None, None, :]).astype(dt))
    off = offset.reshape(N, og, K, 2, *out)
    py = by + off[:, :, :, 0]  # (N, og, K, H_out, W_out)
    px = bx + off[:, :, :, 1]
    cols = _sample(input, py, px, og)  # (N, og, C/og, K*L)
    if mask is not None:
        cols = cols * mask.reshape(N, og, 1, K * L)
    cols = cols.reshape(N, G, (C // G) * K, L)
    y = weight.reshape(G, O // G, -1) @ cols  # (N, G, O/G, L)
    y = y.reshape(N, O, *out)
    if bias is not None:
        y = y + bias.reshape(1, O, 1, 1)
    return y


class DeformConv2d(Module):
    """torchvision.ops.DeformConv2d: Conv2d's parameters and init; forward(input, offset, mask=None).

    Attributes:
        weight: (C_out, C_in/groups, kH, kW), kaiming_uniform_(a=sqrt(5)).   bias: (C_out,) or None.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True) -> None:
        super().__init__()
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = as_tuple(kernel_size, 2, "kernel_size")
        self.stride, self.padding = as_tuple(stride, 2, "stride"), as_tuple(padding, 2, "padding")
        self.dilation = as_tuple(dilation, 2, "dilation")
        self.weight = Parameter(ops.empty(out_channels, in_channels // groups, *self.kernel_size))
        if bias:
            self.bias = Parameter(ops.empty(out_channels))
        else:
            self.register_parameter("bias", None)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.weight[0].numel())
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor, offset: Tensor, mask: Tensor | None = None) -> Tensor:
        return deform_conv2d(input, offset, self.weight, self.bias, self.stride, self.padding,
                             self.dilation, mask)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}, "
                f"groups={self.groups}, bias={self.bias is not None}")
