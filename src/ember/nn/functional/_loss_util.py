"""Shared pieces of the loss functionals: reduction, legacy size_average/reduce, log-sigmoid op."""
from __future__ import annotations

import warnings

from ..._backend import get_array_module
from ..._tensor import Tensor
from ...autograd.function import Op
from ...ops import sigmoid

REDUCTIONS = ("none", "mean", "sum")


def legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """torch's mapping of the deprecated ``size_average``/``reduce`` flags onto ``reduction``."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    out = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{out}' "
                  "instead.", UserWarning, stacklevel=3)
    return out


def check_reduction(reduction: str, allowed: tuple = REDUCTIONS) -> None:
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def apply_reduction(loss: Tensor, reduction: str) -> Tensor:
    """Apply 'none' / 'mean' / 'sum' (ValueError, torch's message, for anything else)."""
    check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def warn_size_mismatch(input: Tensor, target: Tensor) -> None:
    """torch warns (does not raise) when a pointwise loss broadcasts target against input."""
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({tuple(target.shape)}) that is different to the input "
                      f"size ({tuple(input.shape)}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)


def check_float_target(target: Tensor, fn: str) -> None:
    if not target.dtype.is_floating_point:
        raise RuntimeError(f"{fn}: expected a floating-point target, got {target.dtype}; "
                           "convert it with target.float()")


class LogSigmoid(Op):
    """y = log(sigmoid(x)) = -(max(-x, 0) + log1p(exp(-|x|))) (stable).   dx = g * sigmoid(-x)."""

    @staticmethod
    def forward(ctx, x):
        xp = get_array_module(x)
        y = -(xp.maximum(-x, 0) + xp.log1p(xp.exp(-xp.abs(x))))
        ctx.save_for_backward(x)
        return y.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * sigmoid(-x)


def log_sigmoid(x: Tensor) -> Tensor:
    """log(sigmoid(x)) computed without overflow; exact derivative sigmoid(-x) (also at x = 0)."""
    return LogSigmoid.apply(x)
