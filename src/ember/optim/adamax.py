"""Adamax: Adam with an infinity-norm second moment (torch.optim.Adamax)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import (_check, _check_betas, _effective_grad, _ElementwiseOptimizer, _float, _incr_step,
                        _reject_unsupported, _scalar_state, _zeros_state)

__all__ = ["Adamax", "adamax_update"]


def adamax_update(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_inf: np.ndarray, step: float,
                  *, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
                  maximize: bool) -> None:
    """In place: ``m = b1 m + (1-b1) g;  u = max(b2 u, |g| + eps);  param -= lr/(1-b1^t) * m / u``."""
    g = _effective_grad(param, grad, weight_decay, maximize)
    exp_avg += (1 - beta1) * (g - exp_avg)
    exp_inf *= beta2
    np.maximum(exp_inf, np.abs(g) + eps, out=exp_inf)
    clr = lr / (1 - beta1 ** step)
    param -= clr * (exp_avg / exp_inf)


class Adamax(_ElementwiseOptimizer):
    """Adamax (Kingma & Ba, section 7.1): ``u <- max(beta2*u, |g|);  theta <- theta - lr/(1-beta1^t) * m/u``.

    Args:
        params: parameters or parameter groups.
        lr: learning rate. Default: 2e-3.   betas: (beta1, beta2). Default: (0.9, 0.999).
        eps: added to |g| inside the max (torch's placement). Default: 1e-8.
        weight_decay: L2 penalty. Default: 0.
        foreach, maximize, differentiable, capturable: as in torch (see SGD).

    Notes:
        State: ``step``, ``exp_avg`` (m), ``exp_inf`` (u).
    """

    def __init__(self, params: Iterable[Any], lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps} (expected eps >= 0)")
        _check_betas(betas)
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _reject_unsupported(differentiable, capturable=capturable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        if len(state) == 0:
            state["step"] = _scalar_state(0.0)
            state["exp_avg"] = _zeros_state(p)
            state["exp_inf"] = _zeros_state(p)
        step = _incr_step(state)
        beta1, beta2 = group["betas"]
        adamax_update(p._data, p.grad._data, state["exp_avg"]._data, state["exp_inf"]._data, step,
                      lr=_float(group["lr"]), beta1=beta1, beta2=beta2, eps=group["eps"],
                      weight_decay=group["weight_decay"], maximize=group["maximize"])
