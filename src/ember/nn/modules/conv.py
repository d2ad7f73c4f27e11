"""Conv1d/2d/3d and ConvTranspose1d/2d/3d with torch's constructors, init and state_dict keys."""
from __future__ import annotations

import math
from typing import Any

from ... import ops
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..functional._im2col import as_tuple
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]

_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """Shared constructor: validation, parameters (torch's shapes) and reset_parameters."""

    _nd = 2
    transposed = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", output_padding: Any = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        n = self._nd
        for name, v in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"{name} must be a positive integer, got {v!r}")
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError(f"groups must be a positive integer, got {groups!r}")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode not in _MODES:
            raise ValueError(f"padding_mode must be one of {list(_MODES)}, but got "
                             f"padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = as_tuple(kernel_size, n, "kernel_size")
        if any(k <= 0 for k in self.kernel_size):
            raise ValueError(f"kernel_size must be positive, got {self.kernel_size}")
        self.stride = as_tuple(stride, n, "stride")
        self.dilation = as_tuple(dilation, n, "dilation")
        self.output_padding = as_tuple(output_padding, n, "output_padding")
        self.transposed = type(self).transposed
        self.padding_mode = padding_mode
        self.padding = self._init_padding(padding)
        shape = ((in_channels, out_channels // groups) if self.transposed
                 else (out_channels, in_channels // groups)) + self.kernel_size
        self.weight = Parameter(ops.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(ops.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def _init_padding(self, padding: Any) -> Any:
        n = self._nd
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 "['valid', 'same']")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
            tot = [d * (k - 1) for k, d in zip(self.kernel_size, self.dilation)]
            pairs = [(t // 2, t - t // 2) if padding == "same" else (0, 0) for t in tot]
        else:
            padding = as_tuple(padding, n, "padding")
            pairs = [(p, p) for p in padding]
        # torch's F.pad order: last spatial dim first
        self._reversed_padding_repeated_twice = [v for lo_hi in reversed(pairs) for v in lo_hi]
        return padding

    def reset_parameters(self) -> None:
        # a=sqrt(5): U(-1/sqrt(fan_in), 1/sqrt(fan_in)), torch's default (pytorch issue 15314)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        n = self._nd
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, 0, device, dtype)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        fn = (F.conv1d, F.conv2d, F.conv3d)[self._nd - 1]
        if self.padding_mode != "zeros":
            x = ops.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return fn(x, weight, bias, self.stride, 0, self.dilation, self.groups)
        return fn(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """Conv2d over one spatial dim: input (N, C_in, L) -> (N, C_out, L_out); weight (C_out, C_in/groups, k)."""

    _nd = 1


class Conv2d(_Conv):
    """y = b + sum over channels of the group of w ⋆ x (2-D cross-correlation), NCHW.

    Args:
        in_channels, out_channels: C_in, C_out.   kernel_size, stride, dilation: int or (h, w).
        padding: int, (h, w), 'valid' or 'same' (stride 1 only). Default: 0.
        groups: C_in and C_out are split into groups convolved separately (groups = C_in:
            depthwise). Default: 1.   bias: Default: True.
        padding_mode: 'zeros' | 'reflect' | 'replicate' | 'circular'. Default: 'zeros'.

    Shape:
        input (N, C_in, H, W) or (C_in, H, W); output (N, C_out, H_out, W_out) with
        H_out = floor((H + 2*padding - dilation*(kernel_size - 1) - 1)/stride) + 1.

    Attributes:
        weight: (C_out, C_in/groups, kH, kW), U(-sqrt(k), sqrt(k)) with k = groups/(C_in*kH*kW)
            (kaiming_uniform_ with a=sqrt(5)).   bias: (C_out,), same distribution.

    Notes:
        Parameters (k_h*k_w*C_in/groups + 1)*C_out; MACs H_out*W_out*C_out*k_h*k_w*C_in/groups
        (TOPICS.md 1.11). Non-zero padding modes pad with ``ember.ops.pad`` first, like torch.

    Examples:
        >>> import ember, ember.nn as nn
        >>> tuple(nn.Conv2d(3, 8, 3, padding=1)(ember.randn(2, 3, 16, 16)).shape)
        (2, 8, 16, 16)
    """

    _nd = 2


class Conv3d(_Conv):
    """Conv2d over three spatial dims: input (N, C_in, D, H, W); weight (C_out, C_in/groups, kD, kH, kW)."""

    _nd = 3


class _ConvTranspose(_ConvNd):
    transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        if isinstance(padding, str):
            raise TypeError(f"{type(self).__name__}: padding must be an int or a tuple, got "
                            f"{padding!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, output_padding, device, dtype)

    def _output_padding(self, input: Tensor, output_size: Any) -> tuple:
        """output_padding that makes the output spatial size equal ``output_size`` (torch rule)."""
        if output_size is None:
            return self.output_padding
        n = self._nd
        size = [int(v) for v in output_size][-n:]
        if len(size) != n:
            raise ValueError(f"output_size must have {n} or {n + 2} elements (got {len(output_size)})")
        out = []
        for i in range(n):
            lo = ((input.shape[-n + i] - 1) * self.stride[i] - 2 * self.padding[i]
                  + self.dilation[i] * (self.kernel_size[i] - 1) + 1)
            if not lo <= size[i] < lo + self.stride[i]:
                raise ValueError(f"requested an output size of {size}, but valid sizes range from "
                                 f"{lo} to {lo + self.stride[i] - 1} (for an input of "
                                 f"{list(input.shape[-n:])})")
            out.append(size[i] - lo)
        return tuple(out)

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self._nd - 1]
        op = self._output_padding(input, output_size)
        return fn(input, self.weight, self.bias, self.stride, self.padding, op, self.groups,
                  self.dilation)


class ConvTranspose1d(_ConvTranspose):
    """1-D transposed convolution; weight (C_in, C_out/groups, k); L_out = (L-1)s - 2p + d(k-1) + op + 1."""

    _nd = 1


class ConvTranspose2d(_ConvTranspose):
    """Transposed convolution (learnable upsampling): the adjoint of Conv2d with the same weight.

    Args:
        in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias: as Conv2d.
        output_padding: added to one side of the output (< stride or dilation). Default: 0.

    Shape:
        input (N, C_in, H, W); output (N, C_out, H_out, W_out),
        H_out = (H - 1)*stride - 2*padding + dilation*(kernel_size - 1) + output_padding + 1.
        ``forward(input, output_size)`` picks output_padding to reach ``output_size``.

    Attributes:
        weight: (C_in, C_out/groups, kH, kW); bias: (C_out,); torch's default init.
    """

    _nd = 2


class ConvTranspose3d(_ConvTranspose):
    """3-D transposed convolution; weight (C_in, C_out/groups, kD, kH, kW)."""

    _nd = 3
