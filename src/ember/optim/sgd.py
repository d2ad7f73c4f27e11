"""SGD with momentum, dampening, Nesterov, weight decay and maximize (torch.optim.SGD)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import _check, _effective_grad, _ElementwiseOptimizer, _float, _reject_unsupported

__all__ = ["SGD", "sgd_update"]


def sgd_update(param: np.ndarray, grad: np.ndarray, buf: np.ndarray | None, *, lr: float, momentum: float,
               dampening: float, weight_decay: float, nesterov: bool, maximize: bool) -> np.ndarray | None:
    """One SGD step on raw arrays, in place on ``param`` (and ``buf``); returns the momentum buffer.

    ``g = grad + weight_decay * param``; with momentum ``b = momentum * b + (1 - dampening) * g``
    (``b = g`` on the first step) and ``g = g + momentum * b`` (Nesterov) or ``g = b``;
    finally ``param -= lr * g``.
    """
    g = _effective_grad(param, grad, weight_decay, maximize)
    if momentum != 0:
        if buf is None:
            buf = g.copy()
        else:
            buf *= momentum
            buf += g if dampening == 0 else (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    param -= lr * g
    return buf


class SGD(_ElementwiseOptimizer):
    """Stochastic gradient descent (optionally with momentum): ``theta <- theta - lr * v``.

    Pseudo-code (torch's form)::

        g_t = grad f(theta_{t-1})            (negated if maximize)
        g_t = g_t + weight_decay * theta_{t-1}            if weight_decay != 0
        b_t = g_t (t = 1)  else  momentum * b_{t-1} + (1 - dampening) * g_t
        g_t = g_t + momentum * b_t  (nesterov)  or  b_t
        theta_t = theta_{t-1} - lr * g_t

    Args:
        params: parameters or parameter groups.
        lr: learning rate. Default: 1e-3.
        momentum: momentum factor mu. Default: 0.
        dampening: dampening of the momentum. Default: 0.
        weight_decay: L2 penalty coefficient (added to the gradient). Default: 0.
        nesterov: Nesterov momentum (TOPICS 1.3 NAG, torch's reformulation). Default: False.
        maximize: maximize the objective instead. Default: False.
        foreach, differentiable, fused: accepted for torch compatibility; ember has one numpy path
            (foreach is recorded only; differentiable/fused must stay off).

    Notes:
        The notes' momentum form ``v <- gamma*v + lr*g; theta <- theta - v`` equals torch's
        ``v <- mu*v + g; theta <- theta - lr*v`` (v scaled by lr) for a constant lr (TOPICS 1.3).
        "Plain GD / per-sample SGD / mini-batch" differ only in the data fed to the gradient
        (see ember.experiments.optimization, claims C002-C004, C019).

    State: ``momentum_buffer`` (only when momentum != 0).
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(momentum >= 0.0, f"Invalid momentum value: {momentum} (expected momentum >= 0)")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _check(not (nesterov and (momentum <= 0 or dampening != 0)),
               f"Nesterov momentum requires a momentum and zero dampening (got momentum={momentum}, "
               f"dampening={dampening})")
        _reject_unsupported(differentiable, fused)
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        buf = state.get("momentum_buffer") if group["momentum"] != 0 else None
        new = sgd_update(p._data, p.grad._data, None if buf is None else buf._data, lr=_float(group["lr"]),
                         momentum=group["momentum"], dampening=group["dampening"],
                         weight_decay=group["weight_decay"], nesterov=group["nesterov"],
                         maximize=group["maximize"])
        if new is not None and buf is None:
            state["momentum_buffer"] = Tensor._make(new)
