"""torchvision.ops.sigmoid_focal_loss: the binary / multi-label focal loss of RetinaNet."""
from __future__ import annotations

from ..._tensor import Tensor
from ...nn.functional import binary_cross_entropy_with_logits

__all__ = ["sigmoid_focal_loss"]


def sigmoid_focal_loss(inputs: Tensor, targets: Tensor, alpha: float = 0.25, gamma: float = 2,
                       reduction: str = "none") -> Tensor:
    """FL = alpha_t * (1 - p_t)^gamma * BCE(x, y), p = sigmoid(x), p_t = p y + (1 - p)(1 - y).

    Args:
        inputs: logits of any shape.   targets: same shape, 0/1 (or soft) labels.
        alpha: weight of the positive class in (0, 1); alpha_t = alpha y + (1 - alpha)(1 - y);
            a negative value disables it. Default: 0.25.
        gamma: focusing exponent; 0 gives (alpha-weighted) BCE. Default: 2.
        reduction: 'none' (default, torchvision's) | 'mean' | 'sum'.

    Notes:
        torchvision semantics (Lin et al. 2017, RetinaNet); the defaults gamma = 2, alpha = 0.25 are
        the paper's, not the notes' (TOPICS.md 1.7). Pair it with the prior-probability bias init
        b = -log((1 - pi) / pi), pi = 0.01, for the classification head.
    """
    p = inputs.sigmoid()
    ce = binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"Invalid Value for arg 'reduction': '{reduction} \n Supported reduction modes: "
                     "'none', 'mean', 'sum'")
