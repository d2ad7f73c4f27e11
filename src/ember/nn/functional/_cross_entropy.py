"""Negative log-likelihood and cross-entropy (TOPICS.md 1.7: categorical CE = log-softmax + NLL).

``cross_entropy`` with class-index targets runs one fused op, ``SoftmaxCrossEntropy`` (log-softmax,
pick, weights, ignore_index and label smoothing in one pass; backward ``p - onehot`` on arrays).
``cross_entropy_staged`` is its twin built from primitives (``x - logsumexp(x)`` then ``nll_loss``
by gather); a float64 test checks both agree in value and gradient (STYLE S4).
"""
from __future__ import annotations

import numpy as np

from ..._backend import get_array_module
from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import is_grad_enabled
from ...ops import logsumexp, softmax
from ._loss_util import check_reduction, legacy_reduction

__all__ = ["nll_loss", "cross_entropy", "cross_entropy_staged"]


def _check_index_target(input: Tensor, target: Tensor, weight: Tensor | None,
                        ignore_index: int) -> None:
    """torch's shape/dtype/range checks for class-index targets; input (N, C, *) or (C,)."""
    if target.dtype.is_floating_point or target.dtype.name == "bool":
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{target.dtype.name.capitalize()}")
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() == 1:
        if target.dim() != 0:
            raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported "
                               f"(input shape {tuple(input.shape)}, target {tuple(target.shape)})")
    else:
        if target.dim() == 0 or input.shape[0] != target.shape[0]:
            tb = target.shape[0] if target.dim() else 0
            raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                             f"batch_size ({tb}).")
        want = (input.shape[0],) + tuple(input.shape[2:])
        if tuple(target.shape) != want:
            if input.dim() == 2:
                raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
            if input.dim() == 3:
                raise RuntimeError(f"Expected target size {list(want)}, got {list(target.shape)}")
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: "
                               f"{list(target.shape)}")
    c = input.shape[0] if input.dim() == 1 else input.shape[1]
    if weight is not None and tuple(weight.shape) != (c,):
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    t = target._data
    bad = (t != ignore_index) & ((t < 0) | (t >= c))
    if bad.any():
        raise IndexError(f"Target {int(t[bad].reshape(-1)[0])} is out of bounds.")


def _as_batched(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """(C,) input with () target becomes (1, C) with (1,) (unbatched form)."""
    if input.dim() == 1:
        return input.unsqueeze(0), target.reshape(1)  # (1, C), (1,)
    return input, target


def _weights_per_target(t, weight, ignore_index):
    """valid mask and w[y] (0 where ignored), arrays of the target's shape."""
    xp = get_array_module(t)
    valid = t != ignore_index
    ts = xp.where(valid, t, 0)
    wy = valid.astype(np.float64) if weight is None else xp.where(valid, weight[ts], 0)
    return valid, ts, wy


def _reduce_weighted(loss: Tensor, wy, reduction: str) -> Tensor:
    """'mean' divides by sum of w[y_i] over non-ignored elements (torch's NLL convention)."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / float(wy.sum())


class SoftmaxCrossEntropy(Op):
    """loss_i = (1-eps) * w[y_i] * (-logp[i, y_i]) + eps/C * sum_c w_c * (-logp[i, c]),
    logp = log_softmax(x, dim=1); ignored i give 0.  Shapes: x (N, C, *), y (N, *), loss (N, *).

    dx_i = g_i * ((1-eps) * w[y_i] * (p_i - onehot(y_i)) + eps/C * (sum(w) * p_i - w)) * valid_i.
    """

    @staticmethod
    def forward(ctx, x, t, weight, ignore_index, label_smoothing):
        xp = get_array_module(x)
        logp = x - x.max(axis=1, keepdims=True)
        e = xp.exp(logp)  # kept: backward's softmax is e / sum(e), no second exp
        se = e.sum(axis=1, keepdims=True)
        logp -= xp.log(se)  # in place: z - logsumexp(z)
        valid, ts, wy = _weights_per_target(t, weight, ignore_index)
        loss = -xp.take_along_axis(logp, ts[:, None], axis=1)[:, 0] * wy
        c = x.shape[1]
        if label_smoothing > 0:
            wl = logp if weight is None else logp * weight.reshape((1, c) + (1,) * (x.ndim - 2))
            loss = (1 - label_smoothing) * loss - (label_smoothing / c) * wl.sum(axis=1) * valid
        ctx.save_for_backward(x)
        ctx.e, ctx.se, ctx.ts, ctx.wy, ctx.valid, ctx.weight = e, se, ts, wy, valid, weight
        ctx.eps = label_smoothing
        return loss.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        shape = (1, x.shape[1]) + (1,) * (x.dim() - 2)
        eps, c = ctx.eps, x.shape[1]
        xp = get_array_module(ctx.e)
        wvec = xp.ones(c) if ctx.weight is None else ctx.weight
        a = ((1 - eps) * ctx.wy)[:, None]                     # (N, 1, *)
        s = ((eps / c) * ctx.valid)[:, None]                  # (N, 1, *)
        if is_grad_enabled():  # create_graph: differentiable again through softmax(x)
            onehot = xp.arange(c).reshape(shape) == ctx.ts[:, None]  # (N, C, *) bool
            p = softmax(x, dim=1)
            coef = Tensor._make((a + s * wvec.sum()).astype(x.dtype.np))
            const = Tensor._make((a * onehot + s * wvec.reshape(shape)).astype(x.dtype.np))
            return g.unsqueeze(1) * (p * coef - const), None, None, None, None
        # float32 throughout: per-row coefficients (small) are cast, the (N, C, *) array is
        # g*coef*e/sum(e) in one pass, then g*a is subtracted at the target class only
        dt, gd = x.dtype.np, g._data[:, None]
        dx = ctx.e * (gd * (a + s * wvec.sum()) / ctx.se).astype(dt, copy=False)  # g*coef*p
        idx = ctx.ts[:, None]
        picked = xp.take_along_axis(dx, idx, axis=1) - (gd * a).astype(dt, copy=False)
        xp.put_along_axis(dx, idx, picked, axis=1)
        if eps > 0:
            dx -= (gd * s * wvec.reshape(shape)).astype(dt, copy=False)
        return Tensor._make(dx), None, None, None, None


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """loss_i = -weight[y_i] * input[i, y_i] (input holds log-probabilities); ignored i give 0.

    Shape:
        input (N, C, *) or (C,); target (N, *) or () of class indices in [0, C).
        'mean' divides by sum_i weight[y_i] over non-ignored i (NaN when every target is ignored).
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    _check_index_target(input, target, weight, ignore_index)
    x, t = _as_batched(input, target)
    w = None if weight is None else weight._data
    valid, ts, wy = _weights_per_target(t._data, w, ignore_index)
    picked = x.gather(1, Tensor._make(ts).unsqueeze(1)).squeeze(1)  # (N, *)
    loss = -picked * Tensor._make(wy.astype(x.dtype.np))
    out = _reduce_weighted(loss, wy, reduction)
    return out.reshape(()) if input.dim() == 1 and reduction == "none" else out


def _check_ce_args(input: Tensor, target: Tensor, label_smoothing: float) -> bool:
    """True when ``target`` holds class probabilities (float, same shape as input)."""
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if target.dtype.is_floating_point:
        if tuple(target.shape) != tuple(input.shape):
            if input.dim() >= 2 and target.dim() == input.dim() - 1:
                raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                                   f"{target.dtype.name.capitalize()} (class-index targets must "
                                   "be integers; probability targets must match the input shape)")
            raise RuntimeError(f"Expected target size {list(input.shape)}, got {list(target.shape)}")
        return True
    return False


def _cross_entropy_probs(input, target, weight, reduction, label_smoothing):
    """CE with class-probability targets: -sum_c w_c * t_c * log_softmax(x)_c; 'mean' over N*prod(*)."""
    dim = 0 if input.dim() == 1 else 1
    c = input.shape[dim]
    logp = input.log_softmax(dim)
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / c
    prod = logp * target
    if weight is not None:
        prod = prod * weight.reshape((c,) + (1,) * (input.dim() - dim - 1))  # (C, 1, ...)
    loss = -prod.sum(dim)
    if reduction == "mean":
        return loss.sum() / (input.numel() // c) if input.numel() else loss.sum() / 0.0
    return loss.sum() if reduction == "sum" else loss


def _cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing, staged):
    check_reduction(reduction)
    if _check_ce_args(input, target, label_smoothing):
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing)
    _check_index_target(input, target, weight, ignore_index)
    x, t = _as_batched(input, target)
    w = None if weight is None else weight._data
    if staged:
        loss = _cross_entropy_staged_loss(x, t, weight, ignore_index, label_smoothing)
    else:
        loss = SoftmaxCrossEntropy.apply(x, t._data, w, ignore_index, label_smoothing)
    wy = _weights_per_target(t._data, w, ignore_index)[2]
    out = _reduce_weighted(loss, wy, reduction)
    return out.reshape(()) if input.dim() == 1 and reduction == "none" else out


def _cross_entropy_staged_loss(x, t, weight, ignore_index, label_smoothing):
    """Per-element CE from primitives: logp = x - logsumexp(x), then NLL by gather, then smoothing."""
    logp = x - logsumexp(x, 1, keepdim=True)                       # (N, C, *)
    loss = nll_loss(logp, t, weight, ignore_index=ignore_index, reduction="none")
    if label_smoothing > 0:
        c = x.shape[1]
        wl = logp if weight is None else logp * weight.reshape((1, c) + (1,) * (x.dim() - 2))
        valid = Tensor._make((t._data != ignore_index).astype(x.dtype.np))
        loss = (1 - label_smoothing) * loss - (label_smoothing / c) * wl.sum(1) * valid
    return loss


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """loss_i = -sum_c w_c * q_ic * log_softmax(x_i)_c: softmax + categorical CE on logits.

    Args:
        input: logits (N, C, *) or (C,).
        target: class indices (N, *) / () (int), or class probabilities of the input's shape (float).
        weight: per-class weights (C,). ignore_index: targets with this value contribute nothing.
        reduction: 'none' | 'mean' | 'sum'. label_smoothing: eps in [0, 1]; q = (1-eps)*onehot + eps/C.

    Shape:
        index targets: 'mean' divides by sum_i w[y_i] over non-ignored i; probability targets:
        'mean' divides by N * prod(*) (torch's rules, both).

    Notes:
        The gradient w.r.t. the logits is ``p - q`` (times weights): no softmax derivative factor
        appears, which holds only because CE is paired with softmax (TOPICS.md §3 E65).
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    return _cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing, False)


def cross_entropy_staged(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         ignore_index: int = -100, reduction: str = "mean",
                         label_smoothing: float = 0.0) -> Tensor:
    """``cross_entropy`` composed from primitive ops (teaching twin of the fused op; same values)."""
    return _cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing, True)
