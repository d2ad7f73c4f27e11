"""RMSprop with optional centering and momentum (torch.optim.RMSprop)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import (_check, _effective_grad, _ElementwiseOptimizer, _float, _incr_step,
                        _reject_unsupported, _scalar_state, _zeros_state)

__all__ = ["RMSprop", "rmsprop_update"]


def rmsprop_update(param: np.ndarray, grad: np.ndarray, square_avg: np.ndarray, grad_avg: np.ndarray | None,
                   buf: np.ndarray | None, *, lr: float, alpha: float, eps: float, weight_decay: float,
                   momentum: float, maximize: bool) -> None:
    """In place: ``v = alpha v + (1-alpha) g^2``; ``avg = sqrt(v - gbar^2) (centered) or sqrt(v)``, ``+ eps``;
    ``b = momentum b + g/avg; param -= lr b`` (momentum > 0) or ``param -= lr g/avg``.
    ``grad_avg`` is None unless centered; ``buf`` is None unless momentum > 0."""
    g = _effective_grad(param, grad, weight_decay, maximize)
    square_avg *= alpha
    square_avg += (1 - alpha) * (g * g)
    if grad_avg is not None:
        grad_avg += (1 - alpha) * (g - grad_avg)  # lerp_(g, 1 - alpha)
        avg = np.sqrt(square_avg - grad_avg * grad_avg)
    else:
        avg = np.sqrt(square_avg)
    avg += eps
    if buf is not None:
        buf *= momentum
        buf += g / avg
        param -= lr * buf
    else:
        param -= lr * (g / avg)


class RMSprop(_ElementwiseOptimizer):
    """RMSprop (Hinton): ``v <- alpha*v + (1-alpha)*g^2;  theta <- theta - lr * g / (sqrt(v) + eps)``.

    Pseudo-code (torch)::

        g_t = grad (+ weight_decay * theta)                  (negated if maximize)
        v_t = alpha * v_{t-1} + (1 - alpha) * g_t^2
        centered:  gbar_t = alpha * gbar_{t-1} + (1 - alpha) * g_t;  v~ = v_t - gbar_t^2  else v~ = v_t
        momentum > 0:  b_t = momentum * b_{t-1} + g_t / (sqrt(v~) + eps);  theta_t = theta_{t-1} - lr * b_t
        else:          theta_t = theta_{t-1} - lr * g_t / (sqrt(v~) + eps)

    Args:
        params: parameters or parameter groups.
        lr: learning rate. Default: 1e-2 (torch; the notes give 0.001).
        alpha: smoothing constant (the notes' gamma). Default: 0.99 (torch; the notes give 0.9).
        eps: added to the denominator (outside the root). Default: 1e-8.
        weight_decay: L2 penalty. Default: 0.   momentum: momentum factor. Default: 0.
        centered: normalise by the estimated variance instead of the second moment. Default: False.
        capturable, foreach, maximize, differentiable: as in torch (see SGD).

    Notes:
        State: ``step``, ``square_avg``, ``momentum_buffer`` (momentum > 0), ``grad_avg`` (centered).
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps} (expected eps >= 0)")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum} (expected momentum >= 0)")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _check(alpha >= 0.0, f"Invalid alpha value: {alpha} (expected alpha >= 0)")
        _reject_unsupported(differentiable, capturable=capturable)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        if len(state) == 0:
            state["step"] = _scalar_state(0.0)
            state["square_avg"] = _zeros_state(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = _zeros_state(p)
            if group["centered"]:
                state["grad_avg"] = _zeros_state(p)
        _incr_step(state)
        grad_avg = state["grad_avg"]._data if group["centered"] else None
        buf = state["momentum_buffer"]._data if group["momentum"] > 0 else None
        rmsprop_update(p._data, p.grad._data, state["square_avg"]._data, grad_avg, buf,
                       lr=_float(group["lr"]), alpha=group["alpha"], eps=group["eps"],
                       weight_decay=group["weight_decay"], momentum=group["momentum"],
                       maximize=group["maximize"])
