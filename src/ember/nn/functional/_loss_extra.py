"""Losses the notes use that torch.nn.functional does not have (TOPICS.md 1.7); not torch API.

focal_loss (multi-class, RetinaNet; the sigmoid form with torchvision's signature is
``ember.vision.ops.sigmoid_focal_loss``), js_div (Jensen-Shannon), the GAN minimax / non-saturating
losses, the WGAN critic and generator losses, and Hinton's distillation loss.
"""
from __future__ import annotations

from ..._tensor import Tensor
from ...ops import where, ones_like, zeros_like
from ._cross_entropy import _check_index_target, cross_entropy
from ._loss_util import check_reduction, log_sigmoid, apply_reduction

__all__ = ["focal_loss", "js_div", "gan_discriminator_loss", "gan_generator_loss",
           "wasserstein_critic_loss", "wasserstein_generator_loss", "distillation_loss"]


def focal_loss(input: Tensor, target: Tensor, alpha: float | Tensor | None = None,
               gamma: float = 2.0, ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """Multi-class focal loss: l_i = -alpha_{y_i} * (1 - p_{i,y_i})^gamma * log p_{i,y_i}.

    Args:
        input: logits (N, C, *) or (C,); target: class indices (N, *) or ().
        alpha: None (1), a float for every class, or a (C,) per-class weight tensor.
        gamma: focusing exponent (std 2, Lin et al. 2017); gamma = 0 and alpha = None is plain CE.
        reduction: 'none' | 'mean' (over non-ignored elements) | 'sum'.

    Notes:
        Not in torch. Down-weights well-classified (easy) examples whatever their class, not whole
        classes (TOPICS.md §3 E38); claim C050 checks the ratio FL/CE = alpha * (1 - p_t)^gamma.
    """
    check_reduction(reduction)
    _check_index_target(input, target, None, ignore_index)
    x = input.unsqueeze(0) if input.dim() == 1 else input  # (N, C, *)
    t = target.reshape(1) if input.dim() == 1 else target
    valid = t._data != ignore_index
    ts = Tensor._make(where(Tensor._make(valid), t, zeros_like(t))._data)
    logpt = x.log_softmax(1).gather(1, ts.unsqueeze(1)).squeeze(1)  # (N, *)
    loss = -((1 - logpt.exp()) ** gamma) * logpt
    if isinstance(alpha, Tensor):
        loss = loss * alpha[ts]
    elif alpha is not None:
        loss = loss * float(alpha)
    loss = loss * Tensor._make(valid.astype(x.dtype.np))
    if input.dim() == 1:
        loss = loss.reshape(())
    if reduction == "mean":
        return loss.sum() / float(valid.sum())
    return apply_reduction(loss, reduction)


def _xlogy_ratio(p: Tensor, m: Tensor) -> Tensor:
    """p * log(p / m) with 0 * log 0 = 0 (TOPICS.md §3 E16)."""
    pos = p > 0
    safe = where(pos, p, ones_like(p))
    return where(pos, p * (safe.log() - where(pos, m, ones_like(m)).log()), zeros_like(p))


def js_div(input: Tensor, target: Tensor, dim: int = -1, reduction: str = "mean") -> Tensor:
    """JS(p || q) = 0.5 * KL(p || m) + 0.5 * KL(q || m), m = (p + q) / 2, summed over ``dim``.

    Args:
        input, target: probability tensors p, q of the same shape (each sums to 1 over ``dim``).
        reduction: over the remaining dims, 'none' | 'mean' | 'sum'.

    Notes:
        Not in torch. Symmetric, bounded by log 2, reached for disjoint supports (why the original
        GAN's gradients vanish; TOPICS.md §3 E28: JS is not the cross-entropy).
    """
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError(f"js_div: input {tuple(input.shape)} and target {tuple(target.shape)} "
                         "must have the same shape")
    m = 0.5 * (input + target)
    js = 0.5 * (_xlogy_ratio(input, m).sum(dim) + _xlogy_ratio(target, m).sum(dim))
    return apply_reduction(js, reduction)


def gan_discriminator_loss(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """-(E[log D(x)] + E[log(1 - D(G(z)))]) with D = sigmoid(logits) (Goodfellow et al. 2014)."""
    return -(log_sigmoid(real_logits).mean() + log_sigmoid(-fake_logits).mean())


def gan_generator_loss(fake_logits: Tensor, non_saturating: bool = True) -> Tensor:
    """Generator loss: -E[log D(G(z))] (non-saturating, default) or E[log(1 - D(G(z)))] (minimax)."""
    if non_saturating:
        return -log_sigmoid(fake_logits).mean()
    return log_sigmoid(-fake_logits).mean()


def wasserstein_critic_loss(real_scores: Tensor, fake_scores: Tensor) -> Tensor:
    """Critic minimizes E[f(G(z))] - E[f(x)] (maximizes the W1 dual estimate; no sigmoid, no log)."""
    return fake_scores.mean() - real_scores.mean()


def wasserstein_generator_loss(fake_scores: Tensor) -> Tensor:
    """Generator minimizes -E[f(G(z))] (Arjovsky et al. 2017)."""
    return -fake_scores.mean()


def distillation_loss(student_logits: Tensor, teacher_logits: Tensor, target: Tensor,
                      T: float = 4.0, alpha: float = 0.9) -> Tensor:
    """alpha * T^2 * KL(softmax(t/T) || softmax(s/T)) + (1 - alpha) * CE(s, y) (Hinton et al. 2015).

    The KL term is per sample ('batchmean'); T^2 keeps its gradient scale independent of T. The
    defaults T = 4, alpha = 0.9 are common choices from the literature, not from the notes.
    """
    if T <= 0:
        raise ValueError(f"distillation_loss: T must be positive, got {T}")
    log_ps = (student_logits / T).log_softmax(-1)
    log_pt = (teacher_logits / T).log_softmax(-1)
    kl = (log_pt.exp() * (log_pt - log_ps)).sum() / student_logits.shape[0]
    return alpha * T * T * kl + (1 - alpha) * cross_entropy(student_logits, target)
