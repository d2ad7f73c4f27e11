"""Loss functionals with torch.nn.functional's names, signatures and reductions (TOPICS.md 1.7).

Regression (l1, mse, smooth_l1, huber, poisson/gaussian NLL), binary and multi-label (BCE, BCE with
logits, soft-margin, multi-label soft-margin), divergences (kl_div), margin/embedding losses; NLL and
cross-entropy live in ``_cross_entropy``; losses the notes need that torch lacks in
``_loss_extra`` (focal, JS divergence, GAN/WGAN and distillation losses). All are compositions of
differentiable ember ops, so double backward (WGAN-GP, gradgradcheck) works.
"""
from __future__ import annotations

import math
import warnings

from ..._tensor import Tensor
from ..._backend import get_array_module
from ...ops import clamp, minimum, ones_like, where, zeros_like
from ._cross_entropy import cross_entropy, cross_entropy_staged, nll_loss
from ._loss_extra import (distillation_loss, focal_loss, gan_discriminator_loss,
                          gan_generator_loss, js_div, wasserstein_critic_loss,
                          wasserstein_generator_loss)
from ._loss_util import (check_reduction, legacy_reduction, log_sigmoid, apply_reduction,
                         warn_size_mismatch)

__all__ = ["l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "kl_div", "margin_ranking_loss",
           "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
           "multi_margin_loss", "triplet_margin_loss", "cosine_embedding_loss", "poisson_nll_loss",
           "gaussian_nll_loss", "nll_loss", "cross_entropy", "cross_entropy_staged", "focal_loss",
           "js_div", "wasserstein_critic_loss", "wasserstein_generator_loss",
           "gan_discriminator_loss", "gan_generator_loss", "distillation_loss"]


def _weighted(loss: Tensor, weight: Tensor | None, input: Tensor, reduction: str,
              mean_by_weight: bool = True) -> Tensor:
    """Optional per-element weight (same size as input); weighted 'mean' = sum(w*l)/sum(w)."""
    if weight is None:
        return apply_reduction(loss, reduction)
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    check_reduction(reduction)
    loss = loss * weight
    if reduction == "mean":
        return loss.sum() / weight.sum() if mean_by_weight else loss.mean()
    return loss.sum() if reduction == "sum" else loss


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """L1 / MAE: l = |x - y| (times weight); weighted 'mean' is sum(w*l) / sum(w)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    warn_size_mismatch(input, target)
    return _weighted((input - target).abs(), weight, input, reduction)


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """L2 / MSE: l = (x - y)^2 (times weight); weighted 'mean' is sum(w*l) / sum(w)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    warn_size_mismatch(input, target)
    d = input - target
    return _weighted(d * d, weight, input, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """l = 0.5 * d^2 / beta if |d| < beta else |d| - 0.5 * beta, d = x - y (Fast R-CNN, beta = 1).

    ``beta = 0`` is exactly L1. Gradients are bounded by 1 (robust to outliers, claim C046).
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta, got {beta}")
    warn_size_mismatch(input, target)
    d = (input - target).abs()
    if beta == 0:
        return apply_reduction(d, reduction)
    return apply_reduction(where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """l = 0.5 * d^2 if |d| < delta else delta * (|d| - 0.5 * delta); = delta * smooth_l1(beta=delta).

    With ``weight``, 'mean' is mean(w * l) (torch's rule for huber, unlike l1/mse).
    """
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta, got {delta}")
    warn_size_mismatch(input, target)
    d = (input - target).abs()
    loss = where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return _weighted(loss, weight, input, reduction, mean_by_weight=False)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """l = -w * (y * log(p) + (1 - y) * log(1 - p)), each log clamped at -100 as torch does.

    Shape: input p in [0, 1] and target y of the same shape; weight broadcastable to them.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({tuple(target.shape)}) that is different to the input "
                         f"size ({tuple(input.shape)}) is deprecated. Please ensure they have the "
                         "same size.")
    x = input._data
    if ((x < 0) | (x > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    loss = -(target * clamp(input.log(), min=-100) + (1 - target) * clamp((1 - input).log(), min=-100))
    if weight is not None:
        loss = loss * weight
    return apply_reduction(loss, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Sigmoid + BCE in one stable formula: l = -w * (pw * y * log s(x) + (1 - y) * log(1 - s(x))).

    Args:
        pos_weight: per-class weight of the positive term (broadcast along the last dim), e.g.
            n_neg / n_pos for imbalanced labels.

    Notes:
        Computed as (1 - y) * x - (1 + (pw - 1) * y) * log_sigmoid(x); dL/dx = s(x) - y without
        pos_weight (TOPICS.md 1.7: the matching pair of sigmoid and BCE).
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({tuple(target.shape)}) must be the same as input size "
                         f"({tuple(input.shape)})")
    lw = 1 if pos_weight is None else (pos_weight - 1) * target + 1
    loss = (1 - target) * input - lw * log_sigmoid(input)
    if weight is not None:
        loss = loss * weight
    return apply_reduction(loss, reduction)


def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Pointwise KL: l = y * (log y - x), x = log q (input is log-probabilities), 0 where y = 0.

    ``log_target=True``: target given as log y, l = exp(log y) * (log y - x). 'batchmean' divides
    the sum by N (the mathematical D_KL(p||q) per sample); 'mean' divides by every element.

    Notes:
        D_KL(p||q) = sum_i p_i * log(p_i / q_i) carries a sum over outcomes the notes' formula
        omits (TOPICS.md §3 E16); the sum is the reduction over the class dimension.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, ("none", "mean", "sum", "batchmean"))
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with the "
                      "KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", UserWarning, stacklevel=2)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        pos = target > 0
        loss = where(pos, target * where(pos, target, ones_like(target)).log(), zeros_like(target)) \
            - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.dim() else loss.sum()
    return apply_reduction(loss, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """l = max(0, -y * (x1 - x2) + margin), y in {1, -1} says which input should rank higher."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if not (input1.dim() == input2.dim() == target.dim()):
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but "
                           f"got sizes: input1: {tuple(input1.shape)}, input2: {tuple(input2.shape)}, "
                           f"target: {tuple(target.shape)} ")
    return apply_reduction(clamp(-target * (input1 - input2) + margin, min=0), reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """l = x if y == 1, max(0, margin - x) if y == -1 (x is usually a distance)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    zero = zeros_like(input)
    out = where(target != 1, clamp(margin - input, min=0), zero) + where(target != -1, input, zero)
    return apply_reduction(out, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """l = log(1 + exp(-y * x)), y in {1, -1} (logistic loss on a margin)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    return apply_reduction(-log_sigmoid(target * input), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Per-label sigmoid + BCE averaged over the C labels: the notes' multi-label loss (TOPICS 1.7).

    l_n = -1/C * sum_c w_c * (y_nc * log s(x_nc) + (1 - y_nc) * log s(-x_nc)); input/target (N, C).
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    loss = -(target * log_sigmoid(input) + (1 - target) * log_sigmoid(-input))
    if weight is not None:
        loss = loss * weight
    c = input.shape[-1] if input.dim() else 1
    return apply_reduction(loss.sum(dim=-1) / c if input.dim() else loss, reduction)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average=None, reduce=None,
                      reduction: str = "mean") -> Tensor:
    """Multi-class SVM hinge: l_n = 1/C * sum_{j != y} w_y * max(0, margin - x[y] + x[j])^p.

    Shape: input (N, C) or (C,), target (N,) or () of class indices; p in {1, 2}.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    x = input.unsqueeze(0) if input.dim() == 1 else input  # (N, C)
    t = target.reshape(-1)
    c = x.shape[1]
    if x.dim() != 2 or t.shape[0] != x.shape[0]:
        raise RuntimeError(f"inconsistent target size, expected {x.shape[0]} but got "
                           f"{tuple(target.shape)}")
    if t.dtype.is_floating_point:
        raise RuntimeError(f"expected target dtype to be Long, but got {t.dtype}")
    if ((t._data < 0) | (t._data >= c)).any():
        raise IndexError(f"target out of range: values must be in [0, {c - 1}], got "
                         f"{t._data.min()}..{t._data.max()}")
    xy = x.gather(1, t.unsqueeze(1))                         # (N, 1)
    h = clamp(margin - xy + x, min=0)
    if p == 2:
        h = h * h
    if weight is not None:
        h = h * weight[t].unsqueeze(1)
    xp = get_array_module(t._data)
    notself = Tensor._make((t._data[:, None] != xp.arange(c)[None, :]).astype(x.dtype.np))  # (N, C)
    loss = (h * notself).sum(1) / c
    return apply_reduction(loss.reshape(()) if input.dim() == 1 else loss, reduction)


def _pairwise_distance(x1: Tensor, x2: Tensor, p: float, eps: float) -> Tensor:
    """||x1 - x2 + eps||_p over the last dim (torch.pairwise_distance)."""
    return (x1 - x2 + eps).norm(p=p, dim=-1)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-06, swap: bool = False, size_average=None,
                        reduce=None, reduction: str = "mean") -> Tensor:
    """l = max(0, d(a, p) - d(a, n) + margin), d the p-norm distance with eps added to the difference.

    ``swap`` uses min(d(a, n), d(p, n)) as the negative distance (Balntas et al. 2016).
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    dims = {anchor.dim(), positive.dim(), negative.dim()}
    if len(dims) != 1:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same "
                           f"number of dimensions, but got: anchor {anchor.dim()}D, positive "
                           f"{positive.dim()}D, and negative {negative.dim()}D inputs")
    d_pos = _pairwise_distance(anchor, positive, p, eps)
    d_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = minimum(d_neg, _pairwise_distance(positive, negative, p, eps))
    return apply_reduction(clamp(margin + d_pos - d_neg, min=0), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """l = 1 - cos(x1, x2) if y == 1, max(0, cos(x1, x2) - margin) if y == -1.

    cos = <x1, x2> / sqrt((|x1|^2 + 1e-12) * (|x2|^2 + 1e-12)) over the last dim (torch's EPSILON).
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if input1.shape != input2.shape:
        raise RuntimeError(f"cosine_embedding_loss: input1 {tuple(input1.shape)} and input2 "
                           f"{tuple(input2.shape)} must have the same shape")
    eps = 1e-12
    dot = (input1 * input2).sum(-1)
    cos = dot / ((input1 * input1).sum(-1) + eps).mul((input2 * input2).sum(-1) + eps).sqrt()
    zero = zeros_like(cos)
    out = where(target == 1, 1 - cos, zero) + where(target == -1, clamp(cos - margin, min=0), zero)
    return apply_reduction(out, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-08, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """l = exp(x) - y * x (log_input) or x - y * log(x + eps); ``full`` adds Stirling's
    y * log y - y + 0.5 * log(2 * pi * y) where y > 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        big = target > 1
        ts = where(big, target, ones_like(target))
        stirling = ts * ts.log() - ts + 0.5 * (2 * math.pi * ts).log()
        loss = loss + where(big, stirling, zeros_like(stirling))
    return apply_reduction(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-06, reduction: str = "mean") -> Tensor:
    """l = 0.5 * (log(max(var, eps)) + (x - y)^2 / max(var, eps)) (+ 0.5 * log(2 * pi) if full).

    ``var``: same shape as input (heteroscedastic), one dim short, one broadcast dim, or a float.
    The clamp at eps passes the gradient straight through to var, as torch does.
    """
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = ones_like(input) * float(var)
    elif bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (input.dim() == var.dim() and sum(
                v for i, v in zip(input.shape, var.shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var + (clamp(var, min=eps) - var).detach()
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return apply_reduction(loss, reduction)

