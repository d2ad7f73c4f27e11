"""The HMM recursions in log space (no scaling factors; log 0 = -inf is allowed).

With pi = start probabilities, A = transitions, b_t(j) = p(o_t | state j):
    forward   log alpha_t(j) = log b_t(j) + logsumexp_i(log alpha_{t-1}(i) + log A_ij)
    backward  log beta_t(i)  = logsumexp_j(log A_ij + log b_{t+1}(j) + log beta_{t+1}(j))
    gamma_t(i) = alpha_t(i) beta_t(i) / P(O),  xi_t(i,j) = alpha_t(i) A_ij b_{t+1}(j) beta_{t+1}(j) / P(O)
    Viterbi   delta_t(j) = log b_t(j) + max_i(delta_{t-1}(i) + log A_ij), with back-pointers.
Working in logs avoids the underflow of long products of probabilities (claim C165).
"""

from __future__ import annotations

import numpy as np

__all__ = ["forward_log", "backward_log", "posteriors_log", "xi_sum_log", "viterbi_log", "safe_log"]


def logsumexp(a, axis=None, keepdims=False):
    """log(sum(exp(a))) along ``axis``, stable, with all -inf slices giving -inf.

    A lean NumPy version: the recursions call it once per time step, where scipy's generic
    implementation costs ~10x more per call.
    """
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore", under="ignore"):
        out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return (
        out if keepdims else (np.squeeze(out, axis=axis) if axis is not None else out.reshape(()))
    )


def safe_log(p):
    """log p with log 0 = -inf and no warning."""
    with np.errstate(divide="ignore"):
        return np.log(p)


def forward_log(log_start, log_trans, log_frame):
    """(log P(O), log alpha) for log_frame (T, N) = log b_t(j), or a batch (B, T, N) of equal-length
    sequences (then log P(O) has shape (B,)).

    Each step is computed as m + log(exp(log alpha_{t-1} - m) @ A) with m = max_i log alpha_{t-1}(i),
    i.e. logsumexp with the max factored out; alpha stays in log space and never underflows.
    """
    lf = np.asarray(log_frame, dtype=np.float64)
    A = np.exp(log_trans)
    alpha = np.empty_like(lf)
    alpha[..., 0, :] = log_start + lf[..., 0, :]
    with np.errstate(divide="ignore", under="ignore"):
        for t in range(1, lf.shape[-2]):
            prev = alpha[..., t - 1, :]
            m = _finite_max(prev)
            alpha[..., t, :] = np.log(np.exp(prev - m) @ A) + m + lf[..., t, :]
    lp = logsumexp(alpha[..., -1, :], axis=-1)
    return (float(lp) if lp.ndim == 0 else lp), alpha


def backward_log(log_trans, log_frame):
    """log beta with log beta_{T-1} = 0; same shapes as ``log_frame`` ((T, N) or (B, T, N))."""
    lf = np.asarray(log_frame, dtype=np.float64)
    At = np.exp(log_trans).T
    beta = np.zeros_like(lf)
    with np.errstate(divide="ignore", under="ignore"):
        for t in range(lf.shape[-2] - 2, -1, -1):
            nxt = lf[..., t + 1, :] + beta[..., t + 1, :]
            m = _finite_max(nxt)
            beta[..., t, :] = np.log(np.exp(nxt - m) @ At) + m
    return beta


def _finite_max(x):
    m = np.max(x, axis=-1, keepdims=True)
    return np.where(np.isfinite(m), m, 0.0)


def posteriors_log(alpha, beta):
    """State posteriors gamma (..., T, N), each row normalised."""
    g = alpha + beta
    g = g - logsumexp(g, axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        return np.exp(g)


def xi_sum_log(alpha, beta, log_trans, log_frame, log_prob):
    """sum_t xi_t(i, j): expected transition counts (N, N) (summed over a batch too)."""
    if alpha.shape[-2] < 2:
        return np.zeros_like(log_trans)
    lp = np.asarray(log_prob)[..., None, None, None]
    x = (
        alpha[..., :-1, :, None]
        + log_trans
        + (log_frame[..., 1:, :] + beta[..., 1:, :])[..., None, :]
        - lp
    )
    with np.errstate(under="ignore"):
        return np.exp(x).reshape(-1, *log_trans.shape).sum(0)


def viterbi_log(log_start, log_trans, log_frame):
    """(log P(O, best path), best state path (T,)) by dynamic programming."""
    T, N = log_frame.shape
    delta = log_start + log_frame[0]
    back = np.zeros((T, N), dtype=np.intp)
    for t in range(1, T):
        cand = delta[:, None] + log_trans  # (from, to)
        back[t] = np.argmax(cand, axis=0)
        delta = cand[back[t], np.arange(N)] + log_frame[t]
    path = np.empty(T, dtype=np.intp)
    path[-1] = int(np.argmax(delta))
    for t in range(T - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return float(delta[path[-1]]), path
