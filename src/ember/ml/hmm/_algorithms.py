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
    return out if keepdims else (np.squeeze(out, axis=axis) if axis is not None else out.reshape(()))


def safe_log(p):
    """log p with log 0 = -inf and no warning."""
    with np.errstate(divide="ignore"):
        return np.log(p)


def forward_log(log_start, log_trans, log_frame):
    """(log P(O), log alpha (T, N)) for one sequence; log_frame (T, N) = log b_t(j)."""
    T, N = log_frame.shape
    alpha = np.empty((T, N))
    alpha[0] = log_start + log_frame[0]
    for t in range(1, T):
        alpha[t] = logsumexp(alpha[t - 1][:, None] + log_trans, axis=0) + log_frame[t]
    return float(logsumexp(alpha[-1], axis=0)), alpha


def backward_log(log_trans, log_frame):
    """log beta (T, N), with log beta_{T-1} = 0."""
    T, N = log_frame.shape
    beta = np.zeros((T, N))
    for t in range(T - 2, -1, -1):
        beta[t] = logsumexp(log_trans + (log_frame[t + 1] + beta[t + 1])[None, :], axis=1)
    return beta


def posteriors_log(alpha, beta):
    """State posteriors gamma (T, N), each row normalised."""
    g = alpha + beta
    g -= logsumexp(g, axis=1, keepdims=True)
    with np.errstate(under="ignore"):
        return np.exp(g)


def xi_sum_log(alpha, beta, log_trans, log_frame, log_prob):
    """sum_t xi_t(i, j): expected transition counts (N, N)."""
    if len(alpha) < 2:
        return np.zeros_like(log_trans)
    x = alpha[:-1, :, None] + log_trans[None] + (log_frame[1:] + beta[1:])[:, None, :] - log_prob
    with np.errstate(under="ignore"):
        return np.exp(logsumexp(x, axis=0))


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
