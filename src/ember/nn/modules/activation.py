"""Activation modules (torch.nn names, constructor defaults, extra_repr); forward calls F.*."""
from __future__ import annotations

from typing import Any

from ... import ops
from ..._tensor import Tensor
from .. import functional as F
from ..parameter import Parameter
from .linear import Linear
from .module import Module

__all__ = ["ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "Sigmoid", "Tanh",
           "Hardtanh", "Hardsigmoid", "Hardswish", "SiLU", "Mish", "Softplus", "Softsign", "Softmax",
           "LogSoftmax", "Softmin", "Threshold", "GLU", "LogSigmoid", "Tanhshrink", "Softshrink",
           "Hardshrink", "Maxout"]


def _ip(inplace: bool, lead: str = "") -> str:
    return (lead + "inplace=True") if inplace else ""


class _Inplace(Module):
    """An elementwise activation with only an ``inplace`` flag; ``_fn`` names the F function."""

    _fn = ""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return _ip(self.inplace)


class _Plain(Module):
    """A parameter-free elementwise activation; ``_fn`` names the F function."""

    _fn = ""

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input)


class ReLU(_Inplace):
    """max(0, x). Shape: input (*), output same shape."""

    _fn = "relu"


class SELU(_Inplace):
    """scale * (max(0, x) + min(0, alpha (exp(x) - 1))), alpha = 1.6733, scale = 1.0507."""

    _fn = "selu"


class SiLU(_Inplace):
    """x * sigmoid(x)."""

    _fn = "silu"


class Mish(_Inplace):
    """x * tanh(softplus(x))."""

    _fn = "mish"


class Hardsigmoid(_Inplace):
    """relu6(x + 3) / 6."""

    _fn = "hardsigmoid"

    def extra_repr(self) -> str:
        return ""


class Hardswish(Hardsigmoid):
    """x * relu6(x + 3) / 6."""

    _fn = "hardswish"


class Sigmoid(_Plain):
    """1 / (1 + exp(-x)); output in (0, 1), derivative <= 1/4 (TOPICS.md §1.6, claim C036)."""

    _fn = "sigmoid"


class Tanh(_Plain):
    """tanh(x); output in (-1, 1), zero-centred, derivative <= 1."""

    _fn = "tanh"


class Softsign(_Plain):
    """x / (1 + |x|)."""

    _fn = "softsign"


class LogSigmoid(_Plain):
    """log(sigmoid(x))."""

    _fn = "logsigmoid"


class Tanhshrink(_Plain):
    """x - tanh(x)."""

    _fn = "tanhshrink"


class Hardtanh(Module):
    """clamp(x, min_val, max_val). Args: min_val=-1.0, max_val=1.0, inplace=False."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        if max_val <= min_val:
            raise ValueError(f"Hardtanh: max_val ({max_val}) must be greater than min_val ({min_val})")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}{_ip(self.inplace, ', ')}"


class ReLU6(Hardtanh):
    """min(max(0, x), 6)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _ip(self.inplace)


class LeakyReLU(Module):
    """x if x > 0 else negative_slope * x. Args: negative_slope=0.01, inplace=False."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}{_ip(self.inplace, ', ')}"


class ELU(Module):
    """x if x > 0 else alpha (exp(x) - 1). Args: alpha=1.0, inplace=False."""

    _fn = "elu"

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_ip(self.inplace, ', ')}"


class CELU(ELU):
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)). Args: alpha=1.0, inplace=False."""

    _fn = "celu"


class PReLU(Module):
    """x if x > 0 else a * x with a learned slope a (one, or one per channel = dim 1).

    Args:
        num_parameters: 1 or the number of channels. Default: 1.   init: initial slope. Default: 0.25.

    Attributes:
        weight: (num_parameters), filled with ``init``.
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(ops.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        from .. import init as nn_init

        nn_init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class GELU(Module):
    """x * Phi(x), exact (erf) or approximate='tanh'."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + exp(beta x)) / beta, linear where beta x > threshold. Args: beta=1.0, threshold=20.0."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class _DimSoftmax(Module):
    _fn = ""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_DimSoftmax):
    """exp(x_i) / sum_j exp(x_j) along ``dim`` (smooth everywhere, no dead units: TOPICS §3 E13)."""

    _fn = "softmax"


class LogSoftmax(_DimSoftmax):
    """log(softmax(x)) along ``dim``."""

    _fn = "log_softmax"


class Softmin(_DimSoftmax):
    """softmax(-x) along ``dim``."""

    _fn = "softmin"


class Threshold(Module):
    """x if x > threshold else value."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_ip(self.inplace, ', ')}"


class GLU(Module):
    """a * sigmoid(b), (a, b) the halves of the input along ``dim`` (default -1)."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softshrink(Module):
    """x - lambd (x > lambd), x + lambd (x < -lambd), else 0. Default lambd=0.5."""

    _fn = "softshrink"

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Hardshrink(Softshrink):
    """x if |x| > lambd else 0. Default lambd=0.5."""

    _fn = "hardshrink"


class Maxout(Module):
    """y_j = max_k (x W_{jk}^T + b_{jk}): the max over ``num_pieces`` affine pieces.

    Not in torch: Goodfellow et al. 2013, "Maxout Networks" (TOPICS.md §1.6; k = 2 is the usual
    choice). One ``Linear(in_features, out_features * num_pieces)`` computes all pieces; piece k
    of unit j is output column j * num_pieces + k.

    Shape:
        input (*, in_features), output (*, out_features).

    Attributes:
        linear: the Linear layer holding all pieces (state_dict keys ``linear.weight``/``linear.bias``).
    """

    def __init__(self, in_features: int, out_features: int, num_pieces: int = 2, bias: bool = True) -> None:
        super().__init__()
        if not isinstance(num_pieces, int) or num_pieces < 1:
            raise ValueError(f"Maxout: num_pieces must be a positive integer, got {num_pieces!r}")
        self.in_features, self.out_features, self.num_pieces = in_features, out_features, num_pieces
        self.linear = Linear(in_features, out_features * num_pieces, bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.maxout(self.linear(input), self.num_pieces, dim=-1)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, num_pieces={self.num_pieces}"
