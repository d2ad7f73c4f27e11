"""Adagrad: per-coordinate rates from the accumulated squared gradients (torch.optim.Adagrad)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import (_check, _effective_grad, _ElementwiseOptimizer, _float, _incr_step,
                        _reject_unsupported, _scalar_state, _zeros_state)

__all__ = ["Adagrad", "adagrad_update"]


def adagrad_update(param: np.ndarray, grad: np.ndarray, state_sum: np.ndarray, step: float, *, lr: float,
                   lr_decay: float, weight_decay: float, eps: float, maximize: bool) -> None:
    """In place: ``G += g*g; param -= clr * g / (sqrt(G) + eps)``, ``clr = lr / (1 + (t-1)*lr_decay)``."""
    g = _effective_grad(param, grad, weight_decay, maximize)
    clr = lr / (1 + (step - 1) * lr_decay)
    state_sum += g * g
    std = np.sqrt(state_sum)
    std += eps
    param -= clr * (g / std)


class Adagrad(_ElementwiseOptimizer):
    """Adagrad: ``G <- G + g*g;  theta <- theta - lr_t * g / (sqrt(G) + eps)``.

    Pseudo-code (torch)::

        g_t = grad (+ weight_decay * theta)          (negated if maximize)
        lr_t = lr / (1 + (t - 1) * lr_decay)
        G_t = G_{t-1} + g_t^2          (G_0 = initial_accumulator_value)
        theta_t = theta_{t-1} - lr_t * g_t / (sqrt(G_t) + eps)

    Args:
        params: parameters or parameter groups.
        lr: learning rate. Default: 1e-2 (the notes' "usually 0.01").
        lr_decay: learning-rate decay. Default: 0.
        weight_decay: L2 penalty added to the gradient. Default: 0.
        initial_accumulator_value: initial value of G. Default: 0.
        eps: added to sqrt(G). Default: 1e-10 (torch; TOPICS 1.3 states eps inside the sqrt, torch
            and ember add it outside).
        foreach, maximize, differentiable, fused: as in torch (see SGD).

    Notes:
        The effective per-coordinate rate ``lr / (sqrt(G) + eps)`` only shrinks (claim C008); it favours
        rarely active features (C009). State: ``step`` (0-d float32), ``sum``; created in ``__init__``
        for every parameter, as torch does.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(lr_decay >= 0.0, f"Invalid lr_decay value: {lr_decay} (expected >= 0)")
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _check(initial_accumulator_value >= 0.0,
               f"Invalid initial_accumulator_value value: {initial_accumulator_value} (expected >= 0)")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps} (expected eps >= 0)")
        _reject_unsupported(differentiable, fused)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["step"] = _scalar_state(0.0)
                self.state[p]["sum"] = _zeros_state(p, initial_accumulator_value)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        if len(state) == 0:  # a group added later with add_param_group
            state["step"] = _scalar_state(0.0)
            state["sum"] = _zeros_state(p, self.defaults["initial_accumulator_value"])
        step = _incr_step(state)
        adagrad_update(p._data, p.grad._data, state["sum"]._data, step, lr=_float(group["lr"]),
                       lr_decay=group["lr_decay"], weight_decay=group["weight_decay"], eps=group["eps"],
                       maximize=group["maximize"])
