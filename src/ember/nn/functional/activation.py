"""Activation functions (torch.nn.functional names and defaults), composed from ember ops.

Each is written from primitives (STYLE S4), so gradients and double gradients come from the
primitives' backward. Piecewise functions use ``where`` with the unused branch clamped into a safe
range (``expm1(min(x, 0))``), so no inf/NaN leaks into the gradient of the branch not taken.
``inplace=True`` writes into ``input`` (torch's ``relu_`` etc.) through ``Tensor._inplace``.
"""
from __future__ import annotations

import math
import warnings
from typing import Any, Callable

from ... import ops
from ..._tensor import Tensor

__all__ = ["relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "prelu", "elu", "elu_", "selu",
           "selu_", "celu", "celu_", "gelu", "sigmoid", "tanh", "hardtanh", "hardtanh_",
           "hardsigmoid", "hardswish", "silu", "mish", "softplus", "softsign", "softmax",
           "log_softmax", "softmin", "threshold", "threshold_", "glu", "logsigmoid", "tanhshrink",
           "softshrink", "hardshrink", "maxout"]

# SELU constants (Klambauer et al. 2017), the same literals as torch
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _apply(fn: Callable[..., Tensor], input: Tensor, inplace: bool, *args: Any) -> Tensor:
    if not inplace:
        return fn(input, *args)
    results: list = []

    def run(x: Tensor, *a: Any) -> Tensor:
        results.append(fn(x, *a))
        return results[-1]
    out = input._inplace(run, *args)
    if out.grad_fn is not None:
        # an op that saved its own output (relu, sigmoid) holds it by weak reference; Tensor._inplace
        # copies the result into ``input`` and drops it, so keep it alive with the graph node
        out.grad_fn._inplace_result = results
    return out


def _relu(x: Tensor) -> Tensor:
    return ops.relu(x)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(0, x); the gradient at 0 is 0 (subgradient, as torch)."""
    return _apply(_relu, input, inplace)


def relu_(input: Tensor) -> Tensor:
    return relu(input, inplace=True)


def _hardtanh(x: Tensor, lo: float, hi: float) -> Tensor:
    # value clamp(x); gradient 1 strictly inside (lo, hi), 0 at and beyond the corners (torch)
    return ops.where((x > lo) & (x < hi), x, x.clamp(lo, hi).detach())


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """clamp(x, min_val, max_val)."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
    return _apply(_hardtanh, input, inplace, min_val, max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(0, x), 6) = hardtanh(x, 0, 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def _leaky(x: Tensor, slope: float) -> Tensor:
    return ops.where(x > 0, x, x * slope)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope * x."""
    return _apply(_leaky, input, inplace, negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x if x > 0 else a_c * x, one learned slope per channel (dim 1) or one shared slope.

    Shape:
        input (N, C, *) or (C,) / (); weight (1,) or (C,).
    """
    n = weight.numel()
    if n != 1:
        c = input.shape[1] if input.dim() >= 2 else (input.shape[0] if input.dim() == 1 else 0)
        if c != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter "
                               f"numbers = {n} and channel size = {c}.")
        if input.dim() >= 2:
            weight = weight.reshape((n,) + (1,) * (input.dim() - 2))  # (C, 1, ..., 1)
    else:
        weight = weight.reshape(())
    return ops.where(input > 0, input, weight * input)


def _elu(x: Tensor, alpha: float, scale: float = 1.0, input_scale: float = 1.0) -> Tensor:
    neg = alpha * ops.expm1(x.clamp(max=0) * input_scale)
    return ops.where(x > 0, x, neg) * scale if scale != 1.0 else ops.where(x > 0, x, neg)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha * (exp(x) - 1)."""
    return _apply(_elu, input, inplace, alpha)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with alpha = 1.6733, scale = 1.0507 (self-normalising)."""
    return _apply(_elu, input, inplace, _SELU_ALPHA, _SELU_SCALE)


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    if alpha == 0:
        raise ValueError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _apply(_elu, input, inplace, alpha, 1.0, 1.0 / alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)); approximate='tanh':
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    if approximate == "none":
        return 0.5 * input * (1 + ops.erf(input * (1 / math.sqrt(2.0))))
    if approximate == "tanh":
        inner = math.sqrt(2.0 / math.pi) * (input + 0.044715 * input * input * input)
        return 0.5 * input * (1 + ops.tanh(inner))
    raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x)); derivative s (1 - s) <= 1/4."""
    return ops.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x); derivative 1 - tanh^2 <= 1."""
    return ops.tanh(input)


def _hardsigmoid(x: Tensor) -> Tensor:
    return _hardtanh(x + 3, 0.0, 6.0) / 6


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6."""
    return _apply(_hardsigmoid, input, inplace)


def _hardswish(x: Tensor) -> Tensor:
    return x * _hardsigmoid(x)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6 (MobileNetV3)."""
    return _apply(_hardswish, input, inplace)


def _silu(x: Tensor) -> Tensor:
    return x * ops.sigmoid(x)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (swish with beta = 1)."""
    return _apply(_silu, input, inplace)


def _mish(x: Tensor) -> Tensor:
    return x * ops.tanh(softplus(x))


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    return _apply(_mish, input, inplace)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, and x where beta x > threshold (linear regime, torch)."""
    bx = input * beta
    soft = ops.log1p(ops.exp(bx.clamp(max=threshold))) / beta
    return ops.where(bx > threshold, input, soft)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (1 + input.abs())


def _softmax_dim(ndim: int, name: str) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x_i - max) / sum_j exp(x_j - max) along ``dim`` (dim=None: torch's legacy choice)."""
    return ops.softmax(input, _softmax_dim(input.dim(), "softmax") if dim is None else dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x_i - logsumexp(x) along ``dim``."""
    d = _softmax_dim(input.dim(), "log_softmax") if dim is None else dim
    return ops.log_softmax(input, d, dtype=dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along ``dim``."""
    d = _softmax_dim(input.dim(), "softmin") if dim is None else dim
    return ops.softmax(-input if dtype is None else -input.to(dtype), d)


def _threshold(x: Tensor, th: float, value: float) -> Tensor:
    return ops.where(x > th, x, ops.full_like(x, value))


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x if x > threshold else value."""
    return _apply(_threshold, input, inplace, threshold, value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _apply(_threshold, input, True, threshold, value)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a * sigmoid(b) where (a, b) are the two halves of ``input`` along ``dim``."""
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    n = input.shape[dim]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {n}")
    a, b = input.chunk(2, dim)
    return a * ops.sigmoid(b)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), stable for large |x|."""
    return -softplus(-input)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - ops.tanh(input)


def _check_lambd(lambd: float) -> None:
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd if x > lambd, x + lambd if x < -lambd, else 0 (the L1 proximal operator)."""
    _check_lambd(lambd)
    zero = ops.zeros_like(input)
    return ops.where(input > lambd, input - lambd, ops.where(input < -lambd, input + lambd, zero))


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x if |x| > lambd else 0."""
    _check_lambd(lambd)
    return ops.where((input > lambd) | (input < -lambd), input, ops.zeros_like(input))


def maxout(input: Tensor, num_pieces: int, dim: int = 1) -> Tensor:
    """Max over ``num_pieces`` consecutive groups of ``dim``: (.., C*k, ..) -> (.., C, ..).

    Not in torch (Goodfellow et al. 2013, "Maxout Networks"); the module form
    ``nn.Maxout(in_features, out_features, num_pieces)`` adds the k affine pieces.
    """
    if not isinstance(num_pieces, int) or num_pieces < 1:
        raise ValueError(f"maxout: num_pieces must be a positive integer, got {num_pieces!r}")
    dim = dim % input.dim()
    c = input.shape[dim]
    if c % num_pieces:
        raise ValueError(f"maxout: size {c} of dim {dim} is not divisible by num_pieces={num_pieces}")
    shape = tuple(input.shape[:dim]) + (c // num_pieces, num_pieces) + tuple(input.shape[dim + 1:])
    return input.reshape(shape).amax(dim + 1)  # (.., C, k, ..) -> (.., C, ..)
