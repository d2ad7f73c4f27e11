"""Identity, Linear, Bilinear with torch's constructors, default init and state_dict keys."""
from __future__ import annotations

import math
from typing import Any

from ... import ops
from ..._tensor import Tensor
from .. import init
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["Identity", "Linear", "Bilinear"]


def _check_features(**sizes: Any) -> None:
    for name, v in sizes.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {v!r}")


def _add_bias(module: Module, bias: bool, n: int, device: Any, dtype: Any) -> None:
    """Register ``bias`` (n,) or None, then run the layer's ``reset_parameters``."""
    if bias:
        module.bias = Parameter(ops.empty(n, device=device, dtype=dtype))
    else:
        module.register_parameter("bias", None)
    module.reset_parameters()


class Identity(Module):
    """y = x; accepts and ignores any constructor arguments (torch)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x W^T + b.

    Args:
        in_features: size of each input sample.   out_features: size of each output sample.
        bias: learn an additive bias. Default: True.   device, dtype: of the parameters.

    Shape:
        input (*, in_features), output (*, out_features).

    Attributes:
        weight: (out_features, in_features), U(-1/sqrt(in_features), 1/sqrt(in_features)) — torch's
            ``kaiming_uniform_(a=sqrt(5))``.
        bias: (out_features), U(-1/sqrt(in_features), 1/sqrt(in_features)).

    Examples:
        >>> import ember, ember.nn as nn
        >>> tuple(nn.Linear(20, 30)(ember.randn(128, 20)).shape)
        (128, 30)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        _check_features(in_features=in_features, out_features=out_features)
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(ops.empty((out_features, in_features), device=device, dtype=dtype))
        _add_bias(self, bias, out_features, device, dtype)

    def reset_parameters(self) -> None:
        # a=sqrt(5) makes the bound 1/sqrt(fan_in), torch's legacy default (pytorch issue 57109)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1]
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Bilinear(Module):
    """y = x1^T A x2 + b.

    Args:
        in1_features, in2_features: sizes of the two inputs.   out_features: output size.
        bias: learn an additive bias. Default: True.

    Shape:
        input1 (*, in1_features), input2 (*, in2_features), output (*, out_features).

    Attributes:
        weight: (out_features, in1_features, in2_features), U(-1/sqrt(in1), 1/sqrt(in1)).
        bias: (out_features), same distribution.
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        _check_features(in1_features=in1_features, in2_features=in2_features, out_features=out_features)
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        self.weight = Parameter(ops.empty((out_features, in1_features, in2_features), device=device, dtype=dtype))
        _add_bias(self, bias, out_features, device, dtype)

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.weight.shape[1]) if self.weight.shape[1] > 0 else 0
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
