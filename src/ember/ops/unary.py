"""Unary elementwise ops. Each: forward on arrays, derivative in ember ops (so it differentiates
again). ``y`` is the output, ``g`` the incoming gradient."""
from __future__ import annotations

import math

import numpy as np

from .._backend import get_array_module, special_module
from .._tensor import Tensor
from ..autograd.function import Op


def _special(x):
    return special_module(get_array_module(x))


class Neg(Op):
    """y = -x.   dx = -g."""

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, g):
        return -g


class Exp(Op):
    """y = e^x.   dx = g * y."""

    @staticmethod
    def forward(ctx, x):
        y = get_array_module(x).exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


class Exp2(Op):
    """y = 2^x.   dx = g * y * ln 2."""

    @staticmethod
    def forward(ctx, x):
        y = get_array_module(x).exp2(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y * math.log(2.0)


class Expm1(Op):
    """y = e^x - 1 (accurate near 0).   dx = g * (y + 1)."""

    @staticmethod
    def forward(ctx, x):
        y = get_array_module(x).expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y + 1)


class Log(Op):
    """y = ln x.   dx = g / x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return get_array_module(x).log(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / x


class Log2(Op):
    """y = log2 x.   dx = g / (x ln 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return get_array_module(x).log2(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x * math.log(2.0))


class Log10(Op):
    """y = log10 x.   dx = g / (x ln 10)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return get_array_module(x).log10(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x * math.log(10.0))


class Log1p(Op):
    """y = ln(1 + x) (accurate near 0).   dx = g / (1 + x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return get_array_module(x).log1p(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x + 1)


class Sqrt(Op):
    """y = sqrt(x).   dx = g / (2 y)."""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(invalid="ignore"):
            y = get_array_module(x).sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g / (y * 2)


class Rsqrt(Op):
    """y = 1 / sqrt(x).   dx = -g y^3 / 2."""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(divide="ignore", invalid="ignore"):
            y = 1 / get_array_module(x).sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y * y * y * -0.5


class Reciprocal(Op):
    """y = 1 / x.   dx = -g y^2."""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(divide="ignore"):
            y = 1 / x
        ctx.save_for_backward(y)
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return -g * y * y


class Abs(Op):
    """y = |x|.   dx = g * sign(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_array_module(x).abs(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.sign()


class Sin(Op):
    """y = sin x.   dx = g cos x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_array_module(x).sin(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cos()


class Cos(Op):
    """y = cos x.   dx = -g sin x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_array_module(x).cos(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return -g * x.sin()


class Tan(Op):
    """y = tan x.   dx = g (1 + y^2)."""

    @staticmethod
    def forward(ctx, x):
        y = get_array_module(x).tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y * y + 1)


class Asin(Op):
    """y = asin x.   dx = g / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(invalid="ignore"):
            return get_array_module(x).arcsin(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (1 - x * x).rsqrt()


class Acos(Op):
    """y = acos x.   dx = -g / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(invalid="ignore"):
            return get_array_module(x).arccos(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return -g * (1 - x * x).rsqrt()


class Atan(Op):
    """y = atan x.   dx = g / (1 + x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_array_module(x).arctan(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (x * x + 1)


class Sinh(Op):
    """y = sinh x.   dx = g cosh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_array_module(x).sinh(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cosh()


class Cosh(Op):
    """y = cosh x.   dx = g sinh x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return get_array_module(x).cosh(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.sinh()


class Tanh(Op):
    """y = tanh x.   dx = g (1 - y^2)."""

    @staticmethod
    def forward(ctx, x):
        y = get_array_module(x).tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (1 - y * y)


class Sigmoid(Op):
    """y = 1 / (1 + e^-x) (computed stably).   dx = g y (1 - y)."""

    @staticmethod
    def forward(ctx, x):
        xp = get_array_module(x)
        if x.dtype in (np.float32, np.float64):
            # 1 / (1 + e^-x) in place: e^-x = inf for very negative x gives exactly 0 (the true
            # value is below the smallest normal number there), never NaN; ~10x faster than
            # the masked two-branch form (np.where with a data-dependent mask is branchy)
            y = xp.negative(x, out=xp.empty_like(x))  # out=: stays an array for 0-d x
            with np.errstate(over="ignore"):
                xp.exp(y, out=y)
            y += 1
            xp.reciprocal(y, out=y)
        else:  # half precision: e^-x overflows early, keep the two-branch form
            e = xp.exp(-xp.abs(x))  # exp of a non-positive number never overflows
            y = xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y * (1 - y)


class Relu(Op):
    """y = max(x, 0).   dx = g * (x > 0)."""

    @staticmethod
    def forward(ctx, x):
        y = get_array_module(x).maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y > 0)


class Erf(Op):
    """y = erf(x).   dx = g * 2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _special(x).erf(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (-(x * x)).exp() * (2.0 / math.sqrt(math.pi))


class Erfinv(Op):
    """y = erfinv(x).   dx = g * sqrt(pi)/2 * exp(y^2)."""

    @staticmethod
    def forward(ctx, x):
        y = _special(x).erfinv(x).astype(x.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (y * y).exp() * (math.sqrt(math.pi) / 2.0)


class ZeroGrad(Op):
    """Piecewise-constant functions (sign, floor, ceil, round, trunc): dx = 0."""

    @staticmethod
    def forward(ctx, x, fn):
        return fn(x)

    @staticmethod
    def backward(ctx, g):
        return g * 0, None


def _zero_grad_op(name: str):
    def fn(input: Tensor) -> Tensor:
        xp = get_array_module(input._data)
        f = getattr(xp, name if name != "round" else "rint")
        if not input.dtype.is_floating_point:
            return Tensor._make(f(input._data)) if name == "sign" else input.clone()
        return ZeroGrad.apply(input, f)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name}(x); its gradient is zero almost everywhere."
    return fn


sign = _zero_grad_op("sign")
floor = _zero_grad_op("floor")
ceil = _zero_grad_op("ceil")
trunc = _zero_grad_op("trunc")
fix = trunc


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Round half to even (like torch.round)."""
    if decimals == 0:
        return _zero_grad_op("round")(input)
    scale = 10.0 ** decimals
    return _zero_grad_op("round")(input * scale) / scale


def sgn(input: Tensor) -> Tensor:
    return sign(input)


def frac(input: Tensor) -> Tensor:
    return input - trunc(input)


def _float_input(input: Tensor) -> Tensor:
    """Integer inputs of float functions (exp, sqrt…) are promoted to the default float."""
    if not isinstance(input, Tensor):
        raise TypeError(f"expected a Tensor, got {type(input).__name__}")
    if input.dtype.is_floating_point:
        return input
    from .. import _dtype

    return input.to(_dtype.get_default_dtype())


def _float_fn(op: type, name: str):
    def fn(input: Tensor) -> Tensor:
        return op.apply(_float_input(input))

    fn.__name__ = name
    fn.__doc__ = op.__doc__
    return fn


exp = _float_fn(Exp, "exp")
exp2 = _float_fn(Exp2, "exp2")
expm1 = _float_fn(Expm1, "expm1")
log = _float_fn(Log, "log")
log2 = _float_fn(Log2, "log2")
log10 = _float_fn(Log10, "log10")
log1p = _float_fn(Log1p, "log1p")
sqrt = _float_fn(Sqrt, "sqrt")
rsqrt = _float_fn(Rsqrt, "rsqrt")
reciprocal = _float_fn(Reciprocal, "reciprocal")
sin = _float_fn(Sin, "sin")
cos = _float_fn(Cos, "cos")
tan = _float_fn(Tan, "tan")
asin = arcsin = _float_fn(Asin, "asin")
acos = arccos = _float_fn(Acos, "acos")
atan = arctan = _float_fn(Atan, "atan")
sinh = _float_fn(Sinh, "sinh")
cosh = _float_fn(Cosh, "cosh")
tanh = _float_fn(Tanh, "tanh")
sigmoid = _float_fn(Sigmoid, "sigmoid")
erf = _float_fn(Erf, "erf")
erfinv = _float_fn(Erfinv, "erfinv")


def neg(input: Tensor) -> Tensor:
    return Neg.apply(input)


negative = neg


def abs(input: Tensor) -> Tensor:
    return Abs.apply(input)


absolute = abs


def relu(input: Tensor) -> Tensor:
    return Relu.apply(input)


def square(input: Tensor) -> Tensor:
    return input * input
