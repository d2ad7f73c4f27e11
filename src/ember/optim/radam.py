"""RAdam: Adam with a variance-rectified adaptive term (torch.optim.RAdam)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import (_check, _check_betas, _effective_grad, _ElementwiseOptimizer, _float, _incr_step,
                        _reject_unsupported, _scalar_state, _zeros_state)

__all__ = ["RAdam", "radam_update"]


def radam_update(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
                 step: float, *, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
                 decoupled_weight_decay: bool, maximize: bool) -> None:
    """One RAdam step in place: rectified Adam step when rho_t > 5, otherwise SGD with momentum m^."""
    if weight_decay != 0 and decoupled_weight_decay:
        param *= 1 - lr * weight_decay
        g = -grad if maximize else grad
    else:
        g = _effective_grad(param, grad, weight_decay, maximize)
    exp_avg += (1 - beta1) * (g - exp_avg)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * (g * g)
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    corrected = exp_avg / bias_correction1
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
    if rho_t > 5.0:
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        adaptive = bias_correction2 ** 0.5 / (np.sqrt(exp_avg_sq) + eps)
        param -= corrected * lr * adaptive * rect
    else:
        param -= corrected * lr


class RAdam(_ElementwiseOptimizer):
    """RAdam (Liu et al. 2020): Adam whose adaptive term is switched on only when its variance is tractable.

    Pseudo-code (torch)::

        m_t, v_t as in Adam;  m^ = m_t / (1 - beta1^t)
        rho_inf = 2/(1 - beta2) - 1;   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
        rho_t > 5:  r_t = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t))
                    theta_t = theta_{t-1} - lr * m^ * r_t * sqrt(1 - beta2^t) / (sqrt(v_t) + eps)
        else:       theta_t = theta_{t-1} - lr * m^

    Args:
        params: parameters or parameter groups.
        lr: Default: 1e-3.   betas: Default: (0.9, 0.999).   eps: Default: 1e-8.
        weight_decay: Default: 0.   decoupled_weight_decay: RAdamW-style decay. Default: False.
        foreach, maximize, capturable, differentiable: as in torch (see SGD).

    Notes:
        State: ``step``, ``exp_avg``, ``exp_avg_sq``.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps} (expected eps >= 0)")
        _check_betas(betas)
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _reject_unsupported(differentiable, capturable=capturable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay, differentiable=differentiable)
        super().__init__(params, defaults)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        if len(state) == 0:
            state["step"] = _scalar_state(0.0)
            state["exp_avg"] = _zeros_state(p)
            state["exp_avg_sq"] = _zeros_state(p)
        step = _incr_step(state)
        beta1, beta2 = group["betas"]
        radam_update(p._data, p.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data, step,
                     lr=_float(group["lr"]), beta1=beta1, beta2=beta2, eps=group["eps"],
                     weight_decay=group["weight_decay"], maximize=group["maximize"],
                     decoupled_weight_decay=group["decoupled_weight_decay"])
