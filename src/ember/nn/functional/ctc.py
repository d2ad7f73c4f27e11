"""Connectionist Temporal Classification loss: forward-backward recursion in log space.

For a target l of length L the extended label sequence is l' = (blank, l_1, blank, …, l_L, blank)
(length S = 2L + 1). With y_t(k) = exp(log_probs[t, k]):

    alpha_0(0) = y_0(blank), alpha_0(1) = y_0(l_1);
    alpha_t(s) = y_t(l'_s) * (alpha_{t-1}(s) + alpha_{t-1}(s-1) + [skip_s] alpha_{t-1}(s-2)),
    skip_s = l'_s != blank and l'_s != l'_{s-2};   p(l | x) = alpha_{T-1}(S-1) + alpha_{T-1}(S-2);
    beta is the mirror image (beta_{T-1}(S-1) = y_{T-1}(blank), …), alpha_t(s) beta_t(s) / y_t(l'_s)
    = total probability of the alignments through (t, s).

The loss is -log p(l | x); every quantity is kept as a logarithm (logsumexp instead of sums). The
recursion is vectorized over the batch and the extended-label positions; only time is a loop.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import ops
from ..._backend import get_array_module
from ..._tensor import Tensor
from ...autograd.function import Op

__all__ = ["ctc_loss"]

NEG = -np.inf


def _lse(*xs: Any) -> Any:
    """Elementwise log(sum(exp(x))) of equally shaped arrays; -inf when all are -inf."""
    xp = get_array_module(xs[0])
    m = xs[0]
    for x in xs[1:]:
        m = xp.maximum(m, x)
    safe = xp.where(xp.isfinite(m), m, 0.0)
    s = sum(xp.exp(x - safe) for x in xs)
    with np.errstate(divide="ignore"):
        return xp.where(xp.isfinite(m), safe + xp.log(s), m)


def _shift(a: Any, k: int) -> Any:
    """a[..., s - k] along the last axis (k > 0: from the left, k < 0: from the right), -inf fill."""
    xp = get_array_module(a)
    out = xp.full_like(a, NEG)
    if k > 0:
        out[..., k:] = a[..., :-k]
    else:
        out[..., :k] = a[..., -k:]
    return out


def _alpha_beta(lpe: Any, skip: Any, S_n: Any, T_n: Any) -> tuple:
    """alpha, beta (T, N, S) in log space; lpe[t, n, s] = log y_t(l'_s) for sample n."""
    xp = get_array_module(lpe)
    T, N, S = lpe.shape
    pos = xp.arange(S)[None, :]
    valid = pos < S_n[:, None]  # (N, S)
    alpha, beta = xp.full_like(lpe, NEG), xp.full_like(lpe, NEG)
    alpha[0] = xp.where(valid & (pos < 2) & (T_n[:, None] > 0), lpe[0], NEG)
    for t in range(1, T):
        prev = alpha[t - 1]
        a = _lse(prev, _shift(prev, 1), xp.where(skip, _shift(prev, 2), NEG)) + lpe[t]
        alpha[t] = xp.where(valid & (t < T_n)[:, None], a, NEG)
    last = valid & (pos >= S_n[:, None] - 2)
    skip_next = _shift(skip.astype(lpe.dtype), -2) > 0  # s -> s + 2 allowed
    for t in range(T - 1, -1, -1):
        init = xp.where(last, lpe[t], NEG)
        if t < T - 1:
            nxt = beta[t + 1]
            b = _lse(nxt, _shift(nxt, -1), xp.where(skip_next, _shift(nxt, -2), NEG)) + lpe[t]
        else:
            b = xp.full_like(init, NEG)
        b = xp.where((t < T_n - 1)[:, None] & valid, b, NEG)
        beta[t] = xp.where((t == T_n - 1)[:, None], init, b)
    return alpha, beta


class CTCNegLogLikelihood(Op):
    """nll[n] = -log p(target_n | log_probs[:T_n, n]) (per sample, no reduction).

    d nll / d log_probs[t, n, k] = -exp(logsumexp_{s: l'_s = k}(log alpha_t(s) + log beta_t(s))
                                       - log_probs[t, n, k] - log p)   for t < T_n, else 0.
    """

    @staticmethod
    def forward(ctx, log_probs, ext, S_n, T_n, blank, zero_infinity):
        xp = get_array_module(log_probs)
        lp = log_probs.astype(np.float64)  # the recursion runs in float64 (cast back at the end)
        T, N, C = lp.shape
        lpe = xp.take_along_axis(lp, xp.broadcast_to(ext[None], (T,) + ext.shape), axis=2)  # (T, N, S)
        skip = (ext != blank) & (ext != _shift(ext.astype(np.float64), 2))
        alpha, beta = _alpha_beta(lpe, skip, S_n, T_n)
        n = xp.arange(N)
        tl = xp.maximum(T_n - 1, 0)
        end = alpha[tl, n]  # (N, S) alpha at each sample's last frame
        e1 = end[n, xp.maximum(S_n - 1, 0)]
        e2 = xp.where(S_n >= 2, end[n, xp.maximum(S_n - 2, 0)], NEG)
        loglik = xp.where(T_n > 0, _lse(e1, e2), xp.where(S_n == 1, 0.0, NEG))
        nll = -loglik
        inf = ~xp.isfinite(nll)
        with np.errstate(invalid="ignore", over="ignore"):
            w = xp.exp(alpha + beta - lpe - loglik[None, :, None])  # (T, N, S) path mass / y
        w = xp.where(xp.isfinite(w), w, 0.0)
        flat = ((xp.arange(T)[:, None, None] * N + n[None, :, None]) * C + ext[None]).ravel()
        grad = -xp.bincount(flat, weights=w.ravel(), minlength=T * N * C).reshape(T, N, C)
        if zero_infinity:
            nll = xp.where(inf, 0.0, nll)
            grad = xp.where(inf[None, :, None], 0.0, grad)
        ctx.grad = grad.astype(log_probs.dtype)
        return nll.astype(log_probs.dtype)

    @staticmethod
    def backward(ctx, g):
        return g._data[None, :, None] * ctx.grad, None, None, None, None, None


def _as_int_array(x: Any, name: str) -> np.ndarray:
    arr = x.numpy() if isinstance(x, Tensor) else np.asarray(x)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must contain integers, got dtype {arr.dtype}")
    return np.atleast_1d(arr.astype(np.int64))


def _extended_targets(targets: np.ndarray, tl: np.ndarray, blank: int) -> np.ndarray:
    """(N, 2*max(L)+1) extended label sequences (blank-interleaved), padded with blank."""
    N = tl.size
    if targets.ndim == 2:
        if tl.size and tl.max() > targets.shape[1]:
            raise RuntimeError(f"Expected tensor to have size at least {int(tl.max())} at dimension 1, "
                               f"but got size {targets.shape[1]} for argument #2 'targets' (while "
                               "checking arguments for ctc_loss)")
        rows = [targets[i, :tl[i]] for i in range(N)]
    else:
        if tl.sum() > targets.size:
            raise RuntimeError(f"Expected 1-D targets to hold sum(target_lengths) = {int(tl.sum())} "
                               f"labels, got {targets.size}")
        rows = np.split(targets[:tl.sum()], np.cumsum(tl)[:-1])
    ext = np.full((N, 2 * (int(tl.max()) if N else 0) + 1), blank, dtype=np.int64)
    for i, r in enumerate(rows):
        ext[i, 1:2 * len(r):2] = r
    return ext


def ctc_loss(log_probs: Tensor, targets: Any, input_lengths: Any, target_lengths: Any, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """CTC loss of ``log_probs`` (T, N, C) (log_softmax output) against label sequences.

    Args:
        log_probs: (T, N, C) or unbatched (T, C) log-probabilities.
        targets: (N, S) padded or 1-D concatenated (sum(target_lengths)) int labels (never blank).
        input_lengths, target_lengths: (N,) ints (Tensor, list or tuple).
        blank: index of the blank label. Default 0.
        reduction: "none" (N,), "sum", or "mean": each loss divided by its target length (at least
            1), then averaged over the batch (torch). Default "mean".
        zero_infinity: replace infinite losses (impossible alignments, e.g. a target longer than
            its input) and their gradients by zero. Default False.

    Notes:
        The gradient is the true derivative of the loss with respect to ``log_probs``. torch's CTC
        backward returns that derivative plus ``exp(log_probs)``; the extra term cancels through a
        ``log_softmax`` (its backward removes any multiple of the softmax), so gradients w.r.t. the
        logits agree with torch while raw ``log_probs`` gradients differ (ORACLES.md CTC row,
        pytorch/pytorch#52241). A target that cannot fit its input gives an infinite loss, as in
        torch (not an error). Errors are RuntimeError like torch's.
    """
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_probs.dim() not in (2, 3):
        raise RuntimeError(f"ctc_loss expects log_probs of shape (T, N, C) or (T, C), got {list(log_probs.shape)}")
    unbatched = log_probs.dim() == 2
    lp = log_probs.unsqueeze(1) if unbatched else log_probs
    T, N = lp.shape[0], lp.shape[1]
    tg = targets.numpy() if isinstance(targets, Tensor) else np.asarray(targets)
    if unbatched and tg.ndim == 1:
        tg = tg[None, :]
    il, tl = _as_int_array(input_lengths, "input_lengths"), _as_int_array(target_lengths, "target_lengths")
    if il.size != N or tl.size != N:
        raise RuntimeError(f"input_lengths ({il.size}) and target_lengths ({tl.size}) must have batch "
                           f"size {N}")
    if il.size and (il.max() > T or il.min() < 0):
        bad = int(il.max()) if il.max() > T else int(il.min())
        raise RuntimeError(f"Expected input_lengths to have value at most {T}, but got value {bad} "
                           "(while checking arguments for ctc_loss)")
    ext = _extended_targets(tg.astype(np.int64), tl, blank)
    xp = get_array_module(lp._data)
    nll = CTCNegLogLikelihood.apply(lp, xp.asarray(ext), xp.asarray(2 * tl + 1), xp.asarray(il), blank,
                                    zero_infinity)
    if reduction == "none":
        return nll.squeeze(0) if unbatched else nll
    if reduction == "sum":
        return nll.sum()
    return (nll / ops.tensor(np.maximum(tl, 1), dtype=nll.dtype)).mean()
