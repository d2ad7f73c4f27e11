"""Adam and AMSGrad, with L2 or decoupled weight decay (torch.optim.Adam)."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from .._tensor import Tensor
from .optimizer import (_check, _check_betas, _effective_grad, _ElementwiseOptimizer, _float, _incr_step,
                        _reject_unsupported, _scalar_state, _zeros_state)

__all__ = ["Adam", "adam_update"]


def adam_update(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
                max_exp_avg_sq: np.ndarray | None, step: float, *, lr: float, beta1: float, beta2: float,
                eps: float, weight_decay: float, decoupled_weight_decay: bool, maximize: bool) -> None:
    """One Adam step on raw arrays (in place); ``max_exp_avg_sq`` is given only for AMSGrad.

    ``m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  param -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)``.
    """
    if weight_decay != 0 and decoupled_weight_decay:
        param *= 1 - lr * weight_decay
        g = -grad if maximize else grad
    else:
        g = _effective_grad(param, grad, weight_decay, maximize)
    exp_avg += (1 - beta1) * (g - exp_avg)  # lerp_(g, 1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * (g * g)
    step_size = lr / (1 - beta1 ** step)
    bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
    if max_exp_avg_sq is not None:
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        denom = np.sqrt(max_exp_avg_sq)
    else:
        denom = np.sqrt(exp_avg_sq)
    denom /= bias_correction2_sqrt
    denom += eps
    param -= step_size * (exp_avg / denom)


class Adam(_ElementwiseOptimizer):
    """Adam (Kingma & Ba, Algorithm 1): bias-corrected first and second moments.

    Pseudo-code (torch)::

        g_t = grad (negated if maximize)
        weight_decay != 0:  decoupled: theta <- theta * (1 - lr * weight_decay)  else  g_t += weight_decay * theta
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2
        m^ = m_t / (1 - beta1^t);   v^ = v_t / (1 - beta2^t)    (amsgrad: vmax = max(vmax, v_t), v^ uses vmax)
        theta_t = theta_{t-1} - lr * m^ / (sqrt(v^) + eps)

    Args:
        params: parameters or parameter groups.
        lr: learning rate. Default: 1e-3.
        betas: (beta1, beta2). Default: (0.9, 0.999).
        eps: added to sqrt(v^). Default: 1e-8 (the notes' "10e-8" is a typo, TOPICS E07).
        weight_decay: weight decay coefficient. Default: 0.
        amsgrad: use the running maximum of v (Reddi et al. 2018). Default: False.
        decoupled_weight_decay: AdamW-style decay (Loshchilov & Hutter). Default: False.
        foreach, maximize, capturable, differentiable, fused: as in torch (see SGD).

    Notes:
        eps is added after the square root of the bias-corrected v (torch/Kingma & Ba); TensorFlow's
        "epsilon hat" form differs by a sqrt(1 - beta2^t) factor. With beta1 = 0 and no bias
        correction Adam is RMSprop (claim C013). State: ``step`` (0-d float32), ``exp_avg``,
        ``exp_avg_sq``, ``max_exp_avg_sq`` (amsgrad).
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        _check(_float(lr) >= 0.0, f"Invalid learning rate: {lr} (expected lr >= 0)")
        _check(eps >= 0.0, f"Invalid epsilon value: {eps} (expected eps >= 0)")
        _check_betas(betas)
        _check(weight_decay >= 0.0, f"Invalid weight_decay value: {weight_decay} (expected >= 0)")
        _reject_unsupported(differentiable, fused, capturable)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _update(self, p: Tensor, state: dict, group: dict) -> None:
        if len(state) == 0:
            state["step"] = _scalar_state(0.0)
            state["exp_avg"] = _zeros_state(p)
            state["exp_avg_sq"] = _zeros_state(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = _zeros_state(p)
        step = _incr_step(state)
        beta1, beta2 = group["betas"]
        max_sq = state["max_exp_avg_sq"]._data if group["amsgrad"] else None
        adam_update(p._data, p.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data, max_sq, step,
                    lr=_float(group["lr"]), beta1=_float(beta1), beta2=_float(beta2), eps=group["eps"],
                    weight_decay=group["weight_decay"], maximize=group["maximize"],
                    decoupled_weight_decay=group["decoupled_weight_decay"])
