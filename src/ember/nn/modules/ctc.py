"""nn.CTCLoss: the module form of ``F.ctc_loss`` (torch's constructor and forward signature)."""
from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["CTCLoss"]


class CTCLoss(Module):
    """Connectionist Temporal Classification loss, -log p(target | input) summed over alignments.

    Args:
        blank: blank label index. Default 0.
        reduction: "none" | "mean" (each loss / its target length, then batch mean) | "sum".
        zero_infinity: zero out infinite losses and their gradients. Default False.

    Shape:
        log_probs (T, N, C) or (T, C); targets (N, S) or (sum(target_lengths),);
        input_lengths (N,); target_lengths (N,); output scalar, or (N,) with reduction="none".

    Notes:
        Gradients w.r.t. raw ``log_probs`` are the true derivative (torch's differ by exp(log_probs),
        a term that cancels through log_softmax); see ``ember.nn.functional.ctc_loss``.

    Examples:
        >>> import ember, ember.nn as nn
        >>> lp = ember.randn(6, 2, 4).log_softmax(2)
        >>> loss = nn.CTCLoss()(lp, ember.tensor([[1, 2], [3, 3]]), [6, 5], [2, 2])
        >>> loss.dim()
        0
    """

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__()
        self.blank, self.reduction, self.zero_infinity = blank, reduction, zero_infinity

    def forward(self, log_probs: Tensor, targets: Any, input_lengths: Any, target_lengths: Any) -> Tensor:
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                          self.zero_infinity)
