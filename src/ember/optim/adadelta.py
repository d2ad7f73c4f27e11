"""Adadelta: unit-corrected RMS update without a global learning rate (torch.optim.Adadelta)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import (_check, _effective_grad, _ElementwiseOptimizer, _float, _incr_step,
                        _reject_unsupported, _scalar_state, _zeros_state)

__all__ = ["Adadelta", "adadelta_update"]


def adadelta_update(param: np.ndarray, grad: np.ndarray, square_avg: np.ndarray, acc_delta: np.ndarray, *,
                    lr: float, rho: float, eps: float, weight_decay: float, maximize: bool) -> None:
    """In place: ``E[g2] = rho E[g2] + (1-rho) g^2;  dx = sqrt(E[dx2]+eps)/sqrt(E[g2]+eps) * g;
    E[dx2] = rho E[dx2] + (1-rho) dx^2;  param -= lr * dx``."""
    g = _effective_grad(param, grad, weight_decay, maximize)
    square_avg *= rho
    square_avg += (1 - rho) * (g * g)
    std = np.sqrt(square_avg + eps)
    delta = np.sqrt(acc_delta + eps)
    delta /= std
    delta *= g
    acc_delta *= rho
    acc_delta += (1 - rho) * (delta * delta)
    param -= lr * delta


class Adadelta(_ElementwiseOptimizer):
    """Adadelta (Zeiler 2012): the step is ``RMS[dx]_{t-1} / RMS[g]_t * g``.

    Pseudo-code (torch)::

        g_t = grad (+ weight_decay * theta)             (negated if maximize)
        v_t = rho * v_{t-1} + (1 - rho) * g_t^2
        dx_t = sqrt(u_{t-1} + eps) / sqrt(v_t + eps) * g_t
        u_t = rho * u_{t-1} + (1 - rho) * dx_t^2
        theta_t = theta_{t-1} - lr * dx_t

    Args:
        params: parameters or parameter groups.
        lr: multiplier of the update. Default: 1.0 (the algorithm needs no learning rate, C011).
        rho: decay of the running averages. Default: 0.9 (torch; the paper uses 0.95, Ruder 0.9).
        eps: added inside the square roots. Default: 1e-6.
        weight_decay: L2 penalty added to the gradient. Default: 0.
        foreach, capturable, maximize, differentiable: as in torch (see SGD).

    Notes:
        State: ``step`` (0-d float32), ``square_avg`` (v), ``acc_delta`` (u).
    """

    def __init__(self, params: Iterable[Any], lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(0.0 <= rho <= 1.0, f"Invalid rho value: {rho} (expected 0 <= rho <= 1)")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps} (expected eps >= 0)")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _reject_unsupported(differentiable, capturable=capturable)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        if len(state) == 0:
            state["step"] = _scalar_state(0.0)
            state["square_avg"] = _zeros_state(p)
            state["acc_delta"] = _zeros_state(p)
        _incr_step(state)
        adadelta_update(p._data, p.grad._data, state["square_avg"]._data, state["acc_delta"]._data,
                        lr=_float(group["lr"]), rho=group["rho"], eps=group["eps"],
                        weight_decay=group["weight_decay"], maximize=group["maximize"])
