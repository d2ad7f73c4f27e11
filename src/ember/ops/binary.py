"""Binary elementwise ops with broadcasting and torch type promotion, plus where/clamp/lerp,
comparisons, logical ops and dtype/device casts."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .. import _backend, _dtype
from .._backend import get_array_module
from .._tensor import Tensor
from ..autograd.function import Op
from ._util import binary_operands, shape_of, sum_to


class Add(Op):
    """z = a + b.   da = sum_to(g, a),  db = sum_to(g, b)."""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return sum_to(g, shape_of(a)), sum_to(g, shape_of(b))


class Sub(Op):
    """z = a - b.   da = g,  db = -g (both un-broadcast)."""

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return sum_to(g, shape_of(a)), sum_to(-g, shape_of(b))


class Mul(Op):
    """z = a * b.   da = g b,  db = g a."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        return (sum_to(g * b, shape_of(a)) if na else None,
                sum_to(g * a, shape_of(b)) if nb else None)


class Div(Op):
    """z = a / b.   da = g / b,  db = -g a / b^2."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return a / b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        return (sum_to(g / b, shape_of(a)) if na else None,
                sum_to(-g * a / (b * b), shape_of(b)) if nb else None)


class Pow(Op):
    """z = a ** b.   da = g b a^(b-1),  db = g z ln(a) (0 where a == 0 and b >= 0, like torch)."""

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            z = a ** b
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx, g):
        a, b, z = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = gb = None
        if na:
            if isinstance(b, numbers.Number):
                ga = g * b * a ** (b - 1) if b != 0 else g * 0
            else:
                ga = sum_to(g * b * a ** (b - 1), shape_of(a))
        if nb:
            safe = where(a == 0, 1.0, a) if isinstance(a, Tensor) else (a if a != 0 else 1.0)
            lg = safe.log() if isinstance(safe, Tensor) else float(np.log(safe))
            gb = sum_to(g * z * lg, shape_of(b))
        return ga, gb


class Maximum(Op):
    """z = max(a, b).   Gradient to the larger input; ties split it half/half (torch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return get_array_module(a, b).maximum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        w = (a > b) + (a == b) * 0.5
        return sum_to(g * w, shape_of(a)), sum_to(g * (1 - w), shape_of(b))


class Minimum(Op):
    """z = min(a, b).   Gradient to the smaller input; ties split it half/half (torch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return get_array_module(a, b).minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        w = (a < b) + (a == b) * 0.5
        return sum_to(g * w, shape_of(a)), sum_to(g * (1 - w), shape_of(b))


class Atan2(Op):
    """z = atan2(a, b).   da = g b / (a^2 + b^2),  db = -g a / (a^2 + b^2)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return get_array_module(a, b).arctan2(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        r = a * a + b * b
        return sum_to(g * b / r, shape_of(a)), sum_to(-g * a / r, shape_of(b))


class Remainder(Op):
    """z = a - floor(a / b) b (sign of b, Python's %).   da = g,  db = -g floor(a / b)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return get_array_module(a, b).remainder(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return sum_to(g, shape_of(a)), sum_to(-g * (a / b).floor(), shape_of(b))


class Fmod(Op):
    """z = a - trunc(a / b) b (sign of a, C's fmod).   da = g,  db = -g trunc(a / b)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return get_array_module(a, b).fmod(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return sum_to(g, shape_of(a)), sum_to(-g * (a / b).trunc(), shape_of(b))


class Where(Op):
    """z = cond ? a : b.   da = g where cond,  db = g where not cond."""

    @staticmethod
    def forward(ctx, cond, a, b):
        return get_array_module(cond).where(cond, a, b)

    @staticmethod
    def backward(ctx, g):
        cond, a, b = ctx.inputs
        zero = g * 0 if g.ndim == 0 else Tensor._make(get_array_module(g._data).zeros((), g._data.dtype))
        ga = sum_to(where(cond, g, zero), shape_of(a)) if isinstance(a, Tensor) else None
        gb = sum_to(where(cond, zero, g), shape_of(b)) if isinstance(b, Tensor) else None
        return None, ga, gb


class Clamp(Op):
    """y = min(max(x, lo), hi).   dx = g where lo <= x <= hi (inclusive, like torch)."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        return get_array_module(x).clip(x, lo, hi)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        _, lo, hi = ctx.inputs
        mask = None
        if lo is not None:
            mask = x >= lo
        if hi is not None:
            m = x <= hi
            mask = m if mask is None else mask & m
        return g * mask, None, None


class ToDtype(Op):
    """y = x cast to ``dtype``.   dx = g cast back to x's dtype."""

    @staticmethod
    def forward(ctx, x, dt):
        ctx.src = _dtype._FROM_NP[x.dtype]
        return x.astype(dt.np)

    @staticmethod
    def backward(ctx, g):
        return (ToDtype.apply(g, ctx.src) if ctx.src.is_floating_point else None), None


class ToDevice(Op):
    """y = x copied to another device.   dx = g copied back."""

    @staticmethod
    def forward(ctx, x, dev):
        ctx.src = _backend.device_of(x)
        return _backend.to_device(x, dev)

    @staticmethod
    def backward(ctx, g):
        return ToDevice.apply(g, ctx.src), None


class Clone(Op):
    """y = a copy of x.   dx = g."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        return g


class CopyFrom(Op):
    """y = src broadcast to dst's shape, cast to dst's dtype (the value of dst.copy_(src)).
    d dst = 0,  d src = sum_to(g, src.shape)."""

    @staticmethod
    def forward(ctx, dst, src):
        xp = get_array_module(dst)
        src = _backend.to_device(src, _backend.device_of(dst))
        return xp.broadcast_to(src.astype(dst.dtype, copy=False), dst.shape).copy()

    @staticmethod
    def backward(ctx, g):
        dst, src = ctx.inputs
        gs = sum_to(g, src.shape).to(src.dtype) if src.dtype.is_floating_point else None
        return g * 0, gs


def copy_from(dst: Tensor, src: Tensor) -> Tensor:
    """Out-of-place value of ``dst.copy_(src)``."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
    try:
        np.broadcast_shapes(src.shape, dst.shape)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({dst.shape}) must match the size of tensor b "
                           f"({src.shape})") from None
    return CopyFrom.apply(dst, src)


def scalar_tensor(value: Any, like: Tensor) -> Tensor:
    """A 0-d tensor holding ``value`` with ``like``'s dtype."""
    return Tensor._make(get_array_module(like._data).asarray(value, dtype=like._data.dtype))


def to_dtype(input: Tensor, dt: Any) -> Tensor:
    dt = _dtype.to_dtype(dt)
    if input.dtype is dt:
        return input
    return ToDtype.apply(input, dt)


def to_device(input: Tensor, dev: Any) -> Tensor:
    return ToDevice.apply(input, _backend.device(dev))


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    return Clone.apply(input)


def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input + alpha * other, with broadcasting and type promotion."""
    if alpha != 1:
        other = other * alpha
    a, b = binary_operands(input, other)
    return Add.apply(a, b)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """input - alpha * other."""
    if getattr(input, "dtype", None) is _dtype.bool and getattr(other, "dtype", None) is _dtype.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    if alpha != 1:
        other = other * alpha
    a, b = binary_operands(input, other)
    return Sub.apply(a, b)


subtract = sub


def rsub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    return sub(other, input, alpha=alpha)


def mul(input: Any, other: Any) -> Tensor:
    """Elementwise (Hadamard) product with broadcasting; a scalar scales every entry."""
    a, b = binary_operands(input, other)
    return Mul.apply(a, b)


multiply = mul


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """True division (integers give floats); rounding_mode 'trunc' or 'floor' rounds the result."""
    if rounding_mode is None:
        a, b = binary_operands(input, other, float_result=True)
        return Div.apply(a, b)
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                         f"found '{rounding_mode}'")
    a, b = binary_operands(input, other)
    if not (a.dtype if isinstance(a, Tensor) else b.dtype).is_floating_point:
        xa = a._data if isinstance(a, Tensor) else a
        xb = b._data if isinstance(b, Tensor) else b
        xp = get_array_module(xa, xb)
        q = xp.floor_divide(xa, xb) if rounding_mode == "floor" else xp.trunc(xa / xb).astype(
            (a if isinstance(a, Tensor) else b)._data.dtype)
        return Tensor._make(q)
    q = Div.apply(a, b)
    return q.floor() if rounding_mode == "floor" else q.trunc()


divide = true_divide = div


def floor_divide(input: Any, other: Any) -> Tensor:
    return div(input, other, rounding_mode="floor")


def pow(input: Any, exponent: Any) -> Tensor:
    """input ** exponent (elementwise, broadcasting)."""
    if isinstance(input, Tensor) and isinstance(exponent, numbers.Number) and \
            not isinstance(exponent, bool):
        if not input.dtype.is_floating_point and isinstance(exponent, float):
            input = input.to(_dtype.get_default_dtype())
        if not input.dtype.is_floating_point and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return Pow.apply(input, exponent)
    a, b = binary_operands(input, exponent)
    return Pow.apply(a, b)


def float_power(input: Any, exponent: Any) -> Tensor:
    return pow(input.to(_dtype.float64) if isinstance(input, Tensor) else input,
               exponent.to(_dtype.float64) if isinstance(exponent, Tensor) else exponent)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    a, b = binary_operands(input, other)
    return Maximum.apply(a, b)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    a, b = binary_operands(input, other)
    return Minimum.apply(a, b)


fmax, fmin = maximum, minimum


def atan2(input: Tensor, other: Tensor) -> Tensor:
    a, b = binary_operands(input, other, float_result=True)
    return Atan2.apply(a, b)


arctan2 = atan2


def remainder(input: Any, other: Any) -> Tensor:
    a, b = binary_operands(input, other)
    return Remainder.apply(a, b)


def fmod(input: Any, other: Any) -> Tensor:
    a, b = binary_operands(input, other)
    return Fmod.apply(a, b)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """condition ? input : other (broadcasting). With only ``condition``: nonzero(as_tuple=True)."""
    if input is None and other is None:
        from .index import nonzero

        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor) or condition.dtype is not _dtype.bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with "
                           f"dtype {getattr(condition, 'dtype', type(condition).__name__)}")
    a, b = binary_operands(input, other) if (isinstance(input, Tensor) or isinstance(other, Tensor)) \
        else (Tensor._make(np.asarray(input, _dtype.scalar_dtype(input).np)), other)
    return Where.apply(condition, a, b)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Clip to [min, max] (either may be None; tensors broadcast)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        out = input
        if min is not None:
            out = maximum(out, min)
        if max is not None:
            out = minimum(out, max)
        return out
    if (isinstance(min, float) or isinstance(max, float)) and not input.dtype.is_floating_point:
        input = input.to(_dtype.get_default_dtype())
    return Clamp.apply(input, min, max)


clip = clamp


def clamp_min(input: Tensor, min: Any) -> Tensor:
    return clamp(input, min=min)


def clamp_max(input: Tensor, max: Any) -> Tensor:
    return clamp(input, max=max)


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """input + weight * (end - input)."""
    return input + weight * (end - input)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    return input + value * tensor1 * tensor2


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    return input + value * tensor1 / tensor2


# ---- comparisons and logic (not differentiable: bool results) ------------------------------

def _compare(name: str):
    def fn(input: Any, other: Any) -> Tensor:
        a, b = binary_operands(input, other)
        xa = a._data if isinstance(a, Tensor) else a
        xb = b._data if isinstance(b, Tensor) else b
        return Tensor._make(getattr(get_array_module(xa, xb), name)(xa, xb))

    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name} with broadcasting; returns a bool tensor."
    return fn


eq = _compare("equal")
ne = _compare("not_equal")
lt = _compare("less")
le = _compare("less_equal")
gt = _compare("greater")
ge = _compare("greater_equal")
logical_and = _compare("logical_and")
logical_or = _compare("logical_or")
logical_xor = _compare("logical_xor")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _bitwise(name: str):
    def fn(input: Any, other: Any) -> Tensor:
        a, b = binary_operands(input, other)
        for t in (a, b):
            if isinstance(t, Tensor) and t.dtype.is_floating_point:
                raise RuntimeError(f"\"{name}_cpu\" not implemented for '{t.dtype.name}'")
        xa = a._data if isinstance(a, Tensor) else a
        xb = b._data if isinstance(b, Tensor) else b
        return Tensor._make(getattr(get_array_module(xa, xb), name)(xa, xb))

    fn.__name__ = name
    return fn


bitwise_and = _bitwise("bitwise_and")
bitwise_or = _bitwise("bitwise_or")
bitwise_xor = _bitwise("bitwise_xor")


def bitwise_not(input: Tensor) -> Tensor:
    if input.dtype.is_floating_point:
        raise RuntimeError("\"bitwise_not_cpu\" not implemented for 'Float'")
    return Tensor._make(get_array_module(input._data).invert(input._data))


def logical_not(input: Tensor) -> Tensor:
    return Tensor._make(get_array_module(input._data).logical_not(input._data))


def _unary_pred(name: str):
    def fn(input: Tensor) -> Tensor:
        return Tensor._make(getattr(get_array_module(input._data), name)(input._data))

    fn.__name__ = name
    return fn


isnan = _unary_pred("isnan")
isinf = _unary_pred("isinf")
isfinite = _unary_pred("isfinite")
isposinf = _unary_pred("isposinf")
isneginf = _unary_pred("isneginf")
signbit = _unary_pred("signbit")


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    a, b = binary_operands(input, other)
    xa = a._data if isinstance(a, Tensor) else a
    xb = b._data if isinstance(b, Tensor) else b
    return Tensor._make(get_array_module(xa, xb).isclose(xa, xb, rtol=rtol, atol=atol,
                                                         equal_nan=equal_nan))


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both have the same shape and elements."""
    return input.shape == other.shape and bool((input._data == other._data).all())
