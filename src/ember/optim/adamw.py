"""AdamW: Adam with decoupled weight decay (torch.optim.AdamW)."""
from __future__ import annotations

from typing import Any, Iterable

from .adam import Adam

__all__ = ["AdamW"]


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019): ``theta <- theta * (1 - lr*weight_decay)`` then the Adam step.

    Same algorithm, state and arguments as :class:`Adam` with ``decoupled_weight_decay=True``;
    the default ``weight_decay`` is 1e-2 (torch).

    Notes:
        L2-in-the-loss (Adam's ``weight_decay``) is rescaled by the adaptive denominator; the
        decoupled decay shrinks every weight by the same factor (TOPICS 1.8 "L2 / weight decay").
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
