"""Convolution (torch.nn.functional.conv{1,2,3}d, conv_transpose{1,2,3}d): im2col + one GEMM.

The ops themselves (forward, and backward as the adjoint ops) live in ``_conv_ops``; this file
validates arguments with torch's rules and messages and resolves padding ('same', 'valid', int,
tuple). Output size per spatial dim (TOPICS.md 1.11, floor as in torch; notes' E36):

    conv:            o = floor((S + 2p - d*(k - 1) - 1) / s) + 1
    conv_transpose:  o = (S - 1)*s - 2p + d*(k - 1) + output_padding + 1
"""
from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from ...autograd.grad_mode import is_grad_enabled
from ._conv_ops import Cfg, ConvNd, ConvTransposeNd
from ._im2col import as_tuple, batched

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d"]


def _check_tensor(x: Any, name: str) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{name} must be a Tensor, got {type(x).__name__}")


def _same_dtype(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"Input type ({input.dtype.name}) and weight type ({weight.dtype.name}) "
                           "should be the same")
    if bias is not None and bias.dtype is not weight.dtype:
        raise RuntimeError(f"Input type ({input.dtype.name}) and bias type ({bias.dtype.name}) "
                           "should be the same")


def _prelude(input: Tensor, weight: Tensor, bias: Tensor | None, nd: int, fname: str,
             layout: str) -> tuple[Tensor, bool]:
    """Type/rank/dtype checks shared by conv and conv_transpose; the batched input and a flag."""
    _check_tensor(input, "input")
    _check_tensor(weight, "weight")
    x, unbatched = batched(input, nd, f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) "
                                      f"input to {fname}")
    if weight.ndim != nd + 2:
        raise RuntimeError(f"{fname}: expected a {nd + 2}D weight ({layout}, *kernel_size), got "
                           f"weight of size {list(weight.shape)}")
    _same_dtype(x, weight, bias)
    return x, unbatched


def _positive(vals: tuple, what: str) -> None:
    if any(v <= 0 for v in vals):
        raise RuntimeError(f"non-positive {what} is not supported, got {what}={vals}")


def resolve_padding(padding: Any, k: tuple, d: tuple, s: tuple) -> tuple:
    """((lo, hi), ...) for int/tuple/'valid'/'same' (torch puts the odd extra cell on the right)."""
    nd = len(k)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding != "same":
            raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                             "{'valid', 'same'}")
        if any(v != 1 for v in s):
            raise ValueError("padding='same' is not supported for strided convolutions")
        tot = [dd * (kk - 1) for kk, dd in zip(k, d)]
        return tuple((t // 2, t - t // 2) for t in tot)
    p = as_tuple(padding, nd, "padding")
    if any(v < 0 for v in p):
        raise RuntimeError(f"negative padding is not supported, got padding={p}")
    return tuple((v, v) for v in p)


def _conv(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
          dilation: Any, groups: int, nd: int) -> Tensor:
    x, unbatched = _prelude(input, weight, bias, nd, f"conv{nd}d", "out_channels, in_channels/groups")
    s, d = as_tuple(stride, nd, "stride"), as_tuple(dilation, nd, "dilation")
    _positive(s, "stride")
    _positive(d, "dilation")
    if not isinstance(groups, int) or groups <= 0:
        raise RuntimeError(f"non-positive groups is not supported, got groups={groups}")
    O, k = weight.shape[0], tuple(weight.shape[2:])
    if O % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at "
                           f"dimension 0, but got weight of size {list(weight.shape)} instead")
    if x.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
                           f"input{list(x.shape)} to have {weight.shape[1] * groups} channels, but "
                           f"got {x.shape[1]} channels instead")
    if bias is not None and tuple(bias.shape) != (O,):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-"
                           f"dimensional with {O} elements, but got bias of size {list(bias.shape)}")
    pads = resolve_padding(padding, k, d, s)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[2:], pads))
    eff = tuple(dd * (kk - 1) + 1 for kk, dd in zip(k, d))
    if any(e > n for e, n in zip(eff, padded)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}"
                           f"). Kernel size: ({' x '.join(map(str, eff))}). Kernel size can't be "
                           "greater than actual input size")
    keep = weight.requires_grad and is_grad_enabled()
    y = ConvNd.apply(x, weight, bias, Cfg(s, pads, d, groups), keep)
    return y.squeeze(0) if unbatched else y


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation y[n, o, j] = b[o] + sum_{c, i} w[o, c, i] * xpad[n, c, j*s + i*d].

    Shape: input (N, C_in, L) or (C_in, L); weight (C_out, C_in/groups, k); output (N, C_out, L_out).
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation y[n,o,i,j] = b[o] + sum_{c,p,q} w[o,c,p,q] xpad[n,c,i*sh+p*dh,j*sw+q*dw].

    Args:
        input: (N, C_in, H, W) or (C_in, H, W).   weight: (C_out, C_in/groups, kH, kW).
        bias: (C_out,) or None.   stride, dilation: int or (h, w).   groups: channel groups.
        padding: int, (h, w), 'valid' (0) or 'same' (stride 1; odd extra cell on the right).

    Shape:
        output (N, C_out, H_out, W_out), H_out = floor((H + 2p - d*(k-1) - 1)/s) + 1.

    Notes:
        Computed as im2col over a strided view + one GEMM per group (TOPICS.md 1.11); the
        backward is the transposed convolution (input) and a GEMM with the columns (weight),
        written as ember ops so double backward works. Only zero padding here; the Conv2d
        module applies reflect/replicate/circular padding first, as torch does.
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D cross-correlation; input (N, C_in, D, H, W), weight (C_out, C_in/groups, kD, kH, kW)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3)


def _conv_transpose(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
                    output_padding: Any, groups: int, dilation: Any, nd: int) -> Tensor:
    fname = f"conv_transpose{nd}d"
    x, unbatched = _prelude(input, weight, bias, nd, fname, "in_channels, out_channels/groups")
    if isinstance(padding, str):
        raise TypeError(f"{fname}: padding must be an int or a tuple, got {padding!r}")
    s, d = as_tuple(stride, nd, "stride"), as_tuple(dilation, nd, "dilation")
    p, op = as_tuple(padding, nd, "padding"), as_tuple(output_padding, nd, "output_padding")
    _positive(s, "stride")
    _positive(d, "dilation")
    if any(v < 0 for v in p):
        raise RuntimeError(f"negative padding is not supported, got padding={p}")
    if any(o < 0 or (o >= ss and o >= dd) for o, ss, dd in zip(op, s, d)):
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                           f"output_padding={op}, stride={s}, dilation={d}")
    if not isinstance(groups, int) or groups <= 0:
        raise RuntimeError(f"non-positive groups is not supported, got groups={groups}")
    if x.shape[1] != weight.shape[0] or weight.shape[0] % groups:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{list(x.shape)} to have {weight.shape[0]} channels (divisible by "
                           f"groups={groups}), but got {x.shape[1]} channels instead")
    k = tuple(weight.shape[2:])
    size = tuple((n - 1) * ss - 2 * pp + dd * (kk - 1) + oo + 1
                 for n, ss, pp, dd, kk, oo in zip(x.shape[2:], s, p, d, k, op))
    if any(v <= 0 for v in size):
        raise RuntimeError(f"{fname}: computed output size {size} is too small (input "
                           f"{list(x.shape)}, padding={p}, kernel={k})")
    C_out = weight.shape[1] * groups
    if bias is not None and tuple(bias.shape) != (C_out,):
        raise RuntimeError(f"Given transposed weight of size {list(weight.shape)}, expected bias of "
                           f"size [{C_out}], but got bias of size {list(bias.shape)}")
    y = ConvTransposeNd.apply(x, weight, Cfg(s, tuple((v, v) for v in p), d, groups), size)
    if bias is not None:
        y = y + bias.view(1, -1, *([1] * nd))
    return y.squeeze(0) if unbatched else y


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """1-D transposed convolution (adjoint of conv1d); weight (C_in, C_out/groups, k)."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """2-D transposed convolution ("deconvolution"): the input-gradient of conv2d as a layer.

    Args:
        input: (N, C_in, H, W) or (C_in, H, W).   weight: (C_in, C_out/groups, kH, kW).
        output_padding: extra cells added on the bottom/right of the output (< stride or dilation).

    Shape:
        output (N, C_out, H_out, W_out), H_out = (H - 1)*s - 2p + d*(k - 1) + output_padding + 1.

    Notes:
        <conv2d(x, w), y> == <x, conv_transpose2d(y, w)> (claim C085); computed as columns
        w^T @ y followed by col2im (a scatter-add per kernel offset).
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """3-D transposed convolution; weight (C_in, C_out/groups, kD, kH, kW)."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 3)
