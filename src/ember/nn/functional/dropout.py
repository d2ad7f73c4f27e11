"""Dropout family (torch.nn.functional names) plus DropConnect (not in torch).

All are *inverted*: at training time kept values are scaled by 1/(1-p), so evaluation is the
identity (TOPICS.md §1.8). ``p`` is the DROP probability as in torch; the notes' "keep 0.8 /
0.5" are p = 0.2 / 0.5 (TOPICS.md §3 E33).
"""
from __future__ import annotations

from ... import ops
from ..._tensor import Tensor

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
           "drop_connect"]

# -scale * alpha of SELU: the value SELU saturates to for x -> -inf (Klambauer et al. 2017)
_ALPHA_PRIME = 1.7580993408473766


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(input: Tensor, shape: tuple, p: float) -> Tensor:
    """Bernoulli(1 - p) mask of ``shape`` scaled by 1 / (1 - p) (all zeros when p = 1)."""
    if p == 1.0:
        return ops.zeros(shape, dtype=input.dtype, device=input.device)
    keep = ops.rand(shape, dtype=input.dtype, device=input.device) >= p
    return keep.to(input.dtype) * (1.0 / (1.0 - p))


def _masked(input: Tensor, shape: tuple, p: float, inplace: bool) -> Tensor:
    mask = _keep_mask(input, shape, p)
    return input.mul_(mask) if inplace else input * mask


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """y = x * m / (1 - p), m ~ Bernoulli(1 - p) elementwise, in training; y = x otherwise."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    return _masked(input, tuple(input.shape), p, inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, spatial: int, name: str) -> Tensor:
    _check_p(p)
    if input.dim() not in (spatial + 1, spatial + 2):
        raise RuntimeError(f"{name}: Expected {spatial + 1}D or {spatial + 2}D input, but received a "
                           f"{input.dim()}D input of shape {list(input.shape)}")
    if not training or p == 0.0:
        return input
    shape = tuple(input.shape[: input.dim() - spatial]) + (1,) * spatial  # (N, C, 1, ..) or (C, 1, ..)
    return _masked(input, shape, p, inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) or (C, L) input with probability p; scale by 1/(1-p)."""
    return _feature_dropout(input, p, training, inplace, 1, "dropout1d")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) or (C, H, W) input with probability p (Tompson et al.)."""
    return _feature_dropout(input, p, training, inplace, 2, "dropout2d")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p."""
    return _feature_dropout(input, p, training, inplace, 3, "dropout3d")


def _alpha(input: Tensor, shape: tuple, p: float, training: bool) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = (ops.rand(shape, dtype=input.dtype, device=input.device) >= p).to(input.dtype)
    a = ((_ALPHA_PRIME ** 2 * p + 1) * (1 - p)) ** -0.5
    # dropped units take SELU's saturation value -alpha'; a, b restore zero mean and unit variance
    return input * (keep * a) + (keep - 1) * (_ALPHA_PRIME * a) + _ALPHA_PRIME * a * p


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """SELU-preserving dropout: y = a (x m + alpha' (m - 1)) + alpha' a p, m ~ Bernoulli(1 - p),
    a = ((alpha'^2 p + 1)(1 - p))^(-1/2), alpha' = 1.7581. Note torch's default training=False."""
    out = _alpha(input, tuple(input.shape), p, training)
    return input.copy_(out) if inplace and out is not input else out


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """alpha_dropout with one mask entry per (N, C) channel."""
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2)
    out = _alpha(input, shape, p, training)
    return input.copy_(out) if inplace and out is not input else out


def drop_connect(weight: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """DropConnect (Wan et al. 2013; not in torch): W * M / (1 - p), M ~ Bernoulli(1 - p) per weight.

    Inverted like ``dropout``: evaluation uses W itself, which equals the notes' mean-field
    inference ``(1 - p) W`` of the unscaled formulation (TOPICS.md §1.8). Dropped weights get zero
    gradient for that step.
    """
    return dropout(weight, p, training)
