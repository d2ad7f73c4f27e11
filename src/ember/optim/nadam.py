"""NAdam: Adam with Nesterov momentum and a momentum-decay schedule (torch.optim.NAdam)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import (_check, _check_betas, _effective_grad, _ElementwiseOptimizer, _float, _incr_step,
                        _reject_unsupported, _scalar_state, _zeros_state)

__all__ = ["NAdam", "nadam_update"]


def nadam_update(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
                 mu_product: np.ndarray, step: float, *, lr: float, beta1: float, beta2: float, eps: float,
                 weight_decay: float, momentum_decay: float, decoupled_weight_decay: bool,
                 maximize: bool) -> None:
    """One NAdam step in place (``mu_product`` is the 0-d float32 running product of mu_t)."""
    if weight_decay != 0 and decoupled_weight_decay:
        param *= 1 - lr * weight_decay
        g = -grad if maximize else grad
    else:
        g = _effective_grad(param, grad, weight_decay, maximize)
    bias_correction2 = 1 - beta2 ** step
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
    mu_product *= mu  # float32, as torch keeps it
    mu_prod = float(mu_product)
    mu_product_next = mu_prod * mu_next
    exp_avg += (1 - beta1) * (g - exp_avg)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * (g * g)
    denom = np.sqrt(exp_avg_sq / bias_correction2)
    denom += eps
    param += (-lr * (1.0 - mu) / (1.0 - mu_prod)) * (g / denom)
    param += ((-lr * mu_next) / (1.0 - mu_product_next)) * (exp_avg / denom)


class NAdam(_ElementwiseOptimizer):
    """NAdam (Dozat 2016): ``theta <- theta - lr * (mu_{t+1} m^ + (1-mu_t) g^) / (sqrt(v^) + eps)``.

    Pseudo-code (torch)::

        mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
        m_t = beta1 m_{t-1} + (1 - beta1) g_t;   v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
        theta_t = theta_{t-1} - lr (1 - mu_t) / (1 - prod_{i<=t} mu_i) * g_t / (sqrt(v_t/(1-beta2^t)) + eps)
                              - lr mu_{t+1} / (1 - prod_{i<=t+1} mu_i) * m_t / (sqrt(v_t/(1-beta2^t)) + eps)

    Args:
        params: parameters or parameter groups.
        lr: learning rate. Default: 2e-3.   betas: (beta1, beta2). Default: (0.9, 0.999).
        eps: Default: 1e-8.   weight_decay: Default: 0.
        momentum_decay: psi of the mu_t schedule. Default: 4e-3.
        decoupled_weight_decay: NAdamW-style decay. Default: False.
        foreach, maximize, capturable, differentiable: as in torch (see SGD).

    Notes:
        TOPICS 1.3 writes the simplified form ``(b1 m^ + (1-b1) g/(1-b1^t))``; torch (and ember) use
        Dozat's momentum schedule. State: ``step``, ``mu_product`` (0-d float32), ``exp_avg``, ``exp_avg_sq``.
    """

    def __init__(self, params: Iterable[Any], lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps} (expected eps >= 0)")
        _check_betas(betas)
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _check(momentum_decay >= 0.0, f"Invalid momentum_decay value: {momentum_decay} (expected >= 0)")
        _reject_unsupported(differentiable, capturable=capturable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        if len(state) == 0:
            state["step"] = _scalar_state(0.0)
            state["mu_product"] = _scalar_state(1.0)
            state["exp_avg"] = _zeros_state(p)
            state["exp_avg_sq"] = _zeros_state(p)
        step = _incr_step(state)
        beta1, beta2 = group["betas"]
        nadam_update(p._data, p.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data,
                     state["mu_product"]._data, step, lr=_float(group["lr"]), beta1=beta1, beta2=beta2,
                     eps=group["eps"], weight_decay=group["weight_decay"],
                     momentum_decay=group["momentum_decay"],
                     decoupled_weight_decay=group["decoupled_weight_decay"], maximize=group["maximize"])
