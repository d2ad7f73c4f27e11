"""Gradient clipping (torch.nn.utils names): global-norm and value clipping, in place.

Clipping is a remedy for EXPLODING gradients: it only ever shrinks large gradients and never
raises small ones to a floor (TOPICS.md §3 E09; claims C061/C062).
"""
from __future__ import annotations

import math
from typing import Any, Iterable

from ... import ops
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_"]


def _grads(parameters: Any) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _norm_type(norm_type: Any) -> float:
    return math.inf if norm_type in ("inf", math.inf) else float(norm_type)


def get_total_norm(tensors: Iterable[Tensor] | Tensor, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: Any = None) -> Tensor:
    """The ``norm_type``-norm of all tensors viewed as one vector (norm of the per-tensor norms)."""
    tensors = [tensors] if isinstance(tensors, Tensor) else [t for t in tensors if t is not None]
    p = _norm_type(norm_type)
    if not tensors:
        return ops.tensor(0.0)
    with no_grad():
        norms = ops.stack([t.detach().norm(p) for t in tensors])
        total = norms.norm(p)
    if error_if_nonfinite and not bool(ops.isfinite(total)):
        raise RuntimeError(f"The total norm of order {float(norm_type)} for gradients from `parameters` is "
                           "non-finite, so it cannot be clipped. To disable this error and scale the "
                           "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters: Any, max_norm: float, total_norm: Tensor, foreach: Any = None) -> None:
    """Scale every grad by min(1, max_norm / (total_norm + 1e-6))."""
    coef = (float(max_norm) / (total_norm + 1e-6)).clamp(max=1.0)
    with no_grad():
        for g in _grads(parameters):
            g.mul_(coef.to(g.dtype))


def clip_grad_norm_(parameters: Any, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: Any = None) -> Tensor:
    """g <- g * min(1, max_norm / (||g||_p + 1e-6)) with ||g|| the norm over ALL parameters.

    Args:
        parameters: a Tensor or an iterable of tensors with ``.grad``.   max_norm: the cap.
        norm_type: p of the norm (``inf`` allowed).   error_if_nonfinite: raise on nan/inf norm.
        foreach: accepted and ignored (there is one CPU path).

    Returns:
        The total norm before clipping (0-d tensor).
    """
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_value_(parameters: Any, clip_value: float, foreach: Any = None) -> None:
    """g <- clamp(g, -clip_value, clip_value) elementwise, in place."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(min=-clip_value, max=clip_value)
